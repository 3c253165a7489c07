"""DOCX from the view-models through docxtpl templates that only place text.

Templates are data an institution edits in Word, so they run in a Jinja sandbox with autoescaping and
StrictUndefined: a tag cannot reach Python internals, an `&` in the data cannot break the XML, and a misspelt
variable stops the build with the template's name and the text around the tag instead of printing nothing.
"""
from __future__ import annotations

import dataclasses
import datetime
import functools
import io
import re
import sys
import zipfile
from pathlib import Path
from typing import Any

import compliance
from compliance.errors import InternalError, TemplateProblem, display_path
from compliance.render.deterministic import write_zip, zip_bytes
from compliance.views.acknowledgement_sheet import AckSheetView
from compliance.views.monthly_report import MonthlyReportView
from compliance.views.order import OrderView
from compliance.views.order_register import OrderRegisterView

TEMPLATE_NAMES = {
    OrderView: "order.docx",
    AckSheetView: "acknowledgement_sheet.docx",
    MonthlyReportView: "monthly_report.docx",
    OrderRegisterView: "order_register.docx",
}
FIXED_TIME = datetime.datetime(2000, 1, 1)
_QUOTE_RADIUS = 40            # characters of template text quoted on each side of a failing tag
_COMPILED_LIMIT = 64          # compiled XML parts kept per process (a few per template)
# What one template may compute: a template from the internet must not hang the build or fill memory.
MAX_REPEAT = 10_000           # characters or items of «'_' * 40» and the like
MAX_POWER_BITS = 4_096        # «9 ** 9 ** 9» is a number of ~300 million digits
MAX_RANGE_TOTAL = 100_000     # items of all range() calls in one part: nested loops multiply


def default_templates_dir() -> Path:
    """`compliance/templates/` in an installed package, else `templates/` of the source checkout."""
    package = Path(compliance.__file__).resolve().parent
    packaged = package / "templates"
    if packaged.is_dir():
        return packaged
    return package.parent / "templates"


def render_order(view: OrderView, path: Path, templates_dir: Path | None = None) -> Path:
    """Write the order (приказ) to `path`."""
    return _render(view, "order.docx", path, templates_dir)


def render_ack_sheet(view: AckSheetView, path: Path, templates_dir: Path | None = None) -> Path:
    """Write an acknowledgement sheet (лист ознакомления) to `path`."""
    return _render(view, "acknowledgement_sheet.docx", path, templates_dir)


def render_monthly_report(view: MonthlyReportView, path: Path, templates_dir: Path | None = None) -> Path:
    """Write the monthly report (ежемесячный отчёт) to `path`."""
    return _render(view, "monthly_report.docx", path, templates_dir)


def render(view: Any, path: Path, templates_dir: Path | None = None) -> Path:
    """Write any view-model with the template of the same name."""
    name = TEMPLATE_NAMES.get(type(view))
    if name is None:
        raise InternalError(f"no DOCX template for {type(view).__name__}")
    return _render(view, name, path, templates_dir)


def template_path(view_type: type, templates_dir: Path | None = None) -> Path:
    return Path(templates_dir or default_templates_dir()) / TEMPLATE_NAMES[view_type]


# ---------------------------------------------------------------- rendering
#
# docxtpl opens the template, reworks its XML with regular expressions, renders it, and python-docx writes every
# part and compresses the archive, which was then rewritten once more with fixed timestamps: ~24 ms a document,
# most of it spent on parts that never change (800 KB of styles). Here each template is opened and prepared once
# per process (_Prepared: the XML Jinja compiles, the unchanged parts as python-docx writes them); a document
# renders only its text parts and the archive is written once, reusing the compressed unchanged parts. Every step
# is docxtpl's own (patch_xml, fix_tables, resolve_listing, the same renumbering of pictures) in the same order,
# so the files are those docxtpl and python-docx would write.

def _render(view: Any, template_name: str, path: Path, templates_dir: Path | None) -> Path:
    source = Path(templates_dir or default_templates_dir()) / template_name
    prepared = _prepared(source)
    if prepared.footnotes:
        return _render_with_docxtpl(view, source, path)
    rendering = _Rendering(prepared)
    # The view object's fields, not a dict copy: nested rows and Column objects stay attribute-accessible.
    context = {f.name: getattr(view, f.name) for f in dataclasses.fields(view)}
    if getattr(view, "qr", ""):
        context["qr"] = _qr_picture(rendering, view.qr)
    if getattr(view, "chart", None) is not None:
        context["chart"] = _chart_picture(rendering, view.chart)
    try:
        data = rendering.render(context, view)
    except TemplateProblem:
        raise
    except Exception as exc:
        problem = _problem_outside_parts(prepared.label, exc)
        if problem is None:
            raise
        raise problem from exc
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(data)
    return out


def _render_with_docxtpl(view: Any, source: Path, path: Path) -> Path:
    """docxtpl's own way, for a template with footnotes (it renders them once per section of the document)."""
    label = display_path(source)
    template = _template_class()(io.BytesIO(_template_bytes(source)))
    template.label = label
    try:
        template.init_docx()
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise TemplateProblem(f"{label}: файл не является документом DOCX ({exc}).") from exc
    context = {f.name: getattr(view, f.name) for f in dataclasses.fields(view)}
    if getattr(view, "qr", ""):
        context["qr"] = _qr_picture(template, view.qr)
    if getattr(view, "chart", None) is not None:
        context["chart"] = _chart_picture(template, view.chart)
    try:
        template.render(context, jinja_env=jinja_environment())
    except TemplateProblem:
        raise
    except Exception as exc:
        problem = _problem_outside_parts(label, exc)
        if problem is None:
            raise
        raise problem from exc
    _stamp_properties(template.docx.core_properties, view)
    stamp = getattr(view, "stamp", None)
    _set_keywords(template.docx.part.package.part_related_by(_core_reltype()).element,
                  stamp.manifest() if stamp else "")
    buffer = io.BytesIO()
    template.save(buffer)
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    write_zip(buffer.getvalue(), out)
    return out


@dataclasses.dataclass(frozen=True)
class _Rel:
    """A relationship of a part, as python-docx writes it."""

    rid: str
    reltype: str
    ref: str                      # target as written in the .rels file
    external: bool
    target: str | None            # partname of the target part


@dataclasses.dataclass(frozen=True)
class _Part:
    name: str                     # partname, "/word/styles.xml"
    content_type: str
    blob: bytes                   # as python-docx writes the untouched template
    rels: tuple[_Rel, ...]
    rels_xml: bytes | None


@dataclasses.dataclass(frozen=True)
class _Story:
    """A part with text to render: the body, a header or a footer."""

    part: str                     # partname
    label: str                    # how error messages name it ("" for the body)
    source: str                   # the XML Jinja compiles: docxtpl's patch_xml, one paragraph a line
    next_id: int | None           # python-docx's id of a picture added to this part


@dataclasses.dataclass(frozen=True)
class _Prepared:
    label: str
    parts: dict[str, _Part]       # in the order python-docx writes them
    package_rels: tuple[_Rel, ...]
    package_rels_xml: bytes
    content_types: bytes
    body: _Story
    stories: tuple[_Story, ...]   # headers, then footers, as docxtpl renders them
    shell: Any                    # the document element, its body an empty placeholder
    core_part: str
    core: Any                     # the core properties element of the template
    images: tuple[tuple[str, str], ...]   # (SHA-1, partname) of the template's own pictures
    footnotes: bool


_PREPARED_LIMIT = 16              # prepared templates kept per process
_prepared_cache: dict[tuple[str, bytes], _Prepared] = {}


def _prepared(source: Path) -> _Prepared:
    """The template at `source`, prepared once per process and again only when the file changes (the key is its
    bytes). Kept in a module dict, so worker processes forked after a first document inherit it."""
    label = display_path(source)
    data = _template_bytes(source)
    key = (label, data)
    prepared = _prepared_cache.get(key)
    if prepared is None:
        prepared = _prepare(label, data)
        if len(_prepared_cache) >= _PREPARED_LIMIT:
            _prepared_cache.clear()
        _prepared_cache[key] = prepared
    return prepared


def _prepare(label: str, data: bytes) -> _Prepared:
    import copy

    from docx import Document
    from docx.opc.constants import CONTENT_TYPE, RELATIONSHIP_TYPE
    from docx.opc.oxml import parse_xml
    from docx.opc.pkgwriter import _ContentTypesItem
    from docx.oxml.ns import qn
    from lxml import etree

    try:
        document = Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise TemplateProblem(f"{label}: файл не является документом DOCX ({exc}).") from exc
    helper = _docxtpl()
    document.core_properties       # python-docx adds the part if the template has none, as rendering would
    package = document.part.package

    def rel(r) -> _Rel:
        return _Rel(r.rId, r.reltype, r.target_ref, r.is_external, None if r.is_external else r.target_part.partname)

    every = list(package.iter_parts())
    parts = {part.partname: _Part(part.partname, part.content_type, _as_bytes(part.blob),
                                  tuple(rel(r) for r in part.rels.values()),
                                  _as_bytes(part.rels.xml) if len(part.rels) else None) for part in every}

    def story(part, label: str, xml: str) -> _Story:
        return _Story(part.partname, label, re.sub(r"<w:p([ >])", r"\n<w:p\1", helper.patch_xml(xml)),
                      getattr(part, "next_id", None))

    main = document.part
    body = story(main, "", helper.xml_to_string(main.element.body))
    stories = []
    for uri in (helper.HEADER_URI, helper.FOOTER_URI):
        for r in main.rels.values():
            if r.reltype == uri and r.target_part.blob:
                part = r.target_part
                stories.append(story(part, _part_name(part), etree.tostring(parse_xml(part.blob), encoding="unicode")))
    shell = copy.deepcopy(main.element)
    shell.replace(shell.find(qn("w:body")), etree.Element(qn("w:body")))
    core = package.part_related_by(RELATIONSHIP_TYPE.CORE_PROPERTIES)
    return _Prepared(
        label=label, parts=parts, package_rels=tuple(rel(r) for r in package.rels.values()),
        package_rels_xml=_as_bytes(package.rels.xml), content_types=_ContentTypesItem.from_parts(every).blob,
        body=body, stories=tuple(stories), shell=shell, core_part=core.partname, core=core.element,
        images=tuple((image.sha1, image.partname) for image in package.image_parts),
        footnotes=any(part.content_type == CONTENT_TYPE.WML_FOOTNOTES for part in every))


def _as_bytes(blob: bytes | str) -> bytes:
    return blob.encode("utf-8") if isinstance(blob, str) else blob


@functools.cache
def _docxtpl():
    """A DocxTemplate used only for its XML helpers (patch_xml, resolve_listing, fix_tables)."""
    from docxtpl import DocxTemplate

    return DocxTemplate(None)


def _core_reltype() -> str:
    from docx.opc.constants import RELATIONSHIP_TYPE

    return RELATIONSHIP_TYPE.CORE_PROPERTIES


class _Rendering:
    """One document from a prepared template. Pictures are added to this document only: the prepared template
    is shared by every document of the process."""

    def __init__(self, prepared: _Prepared):
        self.prepared = prepared
        self.current_rendering_part: _StoryPart | None = None   # what docxtpl's InlineImage asks for
        self.added: dict[str, list[_Rel]] = {}                  # source partname → pictures' relationships
        self.new_parts: dict[str, tuple[str, bytes]] = {}       # partname → (content type, bytes)
        self.images = list(prepared.images)                     # python-docx's ImageParts

    def render(self, context: dict[str, Any], view: Any) -> bytes:
        import copy

        from docx.opc.coreprops import CoreProperties
        from docx.opc.oxml import serialize_part_xml
        from docx.oxml.ns import nsmap, qn
        from docx.oxml.parser import parse_xml

        p = self.prepared
        rendered: dict[str, bytes] = {}
        tree = _fix_tables(self._part_xml(p.body, context))
        if tree.find(".//wp:docPr", namespaces=nsmap) is not None:
            for number, element in enumerate(tree.xpath("//wp:docPr", namespaces=nsmap), 1001):
                element.attrib["id"] = str(number)       # docxtpl's fix_docpr_ids
        root = copy.deepcopy(p.shell)
        root.replace(root.find(qn("w:body")), tree)
        rendered[p.body.part] = serialize_part_xml(root)
        for story in p.stories:
            rendered[story.part] = serialize_part_xml(parse_xml(self._part_xml(story, context).encode("utf-8")))
        element = copy.deepcopy(p.core)
        core = CoreProperties(element)
        environment = jinja_environment()
        for name in ("author", "comments", "identifier", "language", "subject", "title"):   # docxtpl's list
            setattr(core, name, environment.from_string(getattr(core, name)).render(context))
        _stamp_properties(core, view)
        stamp = getattr(view, "stamp", None)
        _set_keywords(element, stamp.manifest() if stamp else "")
        rendered[p.core_part] = serialize_part_xml(element)
        return self._archive(rendered)

    def _part_xml(self, story: _Story, context: dict[str, Any]) -> str:
        """docxtpl's render_xml_part, with errors that name the template, the part and the text around the tag."""
        self.current_rendering_part = _StoryPart(self, story)
        try:
            xml = jinja_environment().from_string(story.source).render(context)
        except Exception as exc:
            line = _template_line(exc)
            if line is None:
                raise              # not raised by template code: a bug, keep the traceback
            raise TemplateProblem(_message(self.prepared.label, story.label, story.source, line, exc, context)) from exc
        xml = xml.replace("\n<w:p ", "<w:p ").replace("\n<w:p>", "<w:p>")
        xml = xml.replace("{_{", "{{").replace("}_}", "}}").replace("{_%", "{%").replace("%_}", "%}")
        if any(ch in xml for ch in "\t\a\n\f"):           # otherwise resolve_listing changes nothing
            xml = _docxtpl().resolve_listing(xml)
        return xml

    def add_picture(self, story: _Story, stream: Any) -> tuple[str, Any]:
        """python-docx's get_or_add_image for this document: (relationship id, image)."""
        from docx.image.image import Image
        from docx.opc.constants import RELATIONSHIP_TYPE
        from docx.opc.packuri import PackURI

        image = Image.from_file(stream)
        partname = next((name for sha1, name in self.images if sha1 == image.sha1), None)
        if partname is None:
            used = {PackURI(name).idx for _, name in self.images}
            number = next((n for n in range(1, len(self.images) + 1) if n not in used), len(self.images) + 1)
            partname = f"/word/media/image{number}.{image.ext}"
            self.images.append((image.sha1, partname))
            self.new_parts[partname] = (image.content_type, image.blob)
        rels = [*self.prepared.parts[story.part].rels, *self.added.get(story.part, ())]
        found = next((r for r in rels if r.reltype == RELATIONSHIP_TYPE.IMAGE and r.target == partname
                      and not r.external), None)
        if found is None:
            taken = {r.rid for r in rels}
            rid = next(f"rId{n}" for n in range(1, len(rels) + 2) if f"rId{n}" not in taken)
            found = _Rel(rid, RELATIONSHIP_TYPE.IMAGE, PackURI(partname).relative_ref(PackURI(story.part).baseURI),
                         False, partname)
            self.added.setdefault(story.part, []).append(found)
        return found.rid, image

    def _archive(self, rendered: dict[str, bytes]) -> bytes:
        """The members python-docx's PackageWriter writes, in its order, as one deterministic zip."""
        p = self.prepared
        names = list(p.parts) if not self.added else self._walk()
        members = [("[Content_Types].xml", self._content_types(names)), ("_rels/.rels", p.package_rels_xml)]
        reuse = set()
        for name in names:
            part = p.parts.get(name)
            member = name[1:]
            if name in rendered:
                members.append((member, rendered[name]))
            elif part is not None:
                members.append((member, part.blob))
                reuse.add(member)
            else:
                members.append((member, self.new_parts[name][1]))
            rels = self._rels(name)
            if rels is not None:
                members.append((_rels_member(name), rels))
        return zip_bytes(members, reuse)

    def _walk(self) -> list[str]:
        """python-docx's OpcPackage.iter_parts over the template's parts and the added pictures."""
        visited: list[str] = []

        def walk(rels):
            for rel in rels:
                if rel.external or rel.target in visited:
                    continue
                visited.append(rel.target)
                part = self.prepared.parts.get(rel.target)
                walk([*(part.rels if part else ()), *self.added.get(rel.target, ())])

        walk(self.prepared.package_rels)
        return visited

    def _rels(self, name: str) -> bytes | None:
        part = self.prepared.parts.get(name)
        added = self.added.get(name)
        if not added:
            return part.rels_xml if part else None
        from docx.opc.oxml import CT_Relationships

        element = CT_Relationships.new()
        for rel in [*(part.rels if part else ()), *added]:
            element.add_rel(rel.rid, rel.reltype, rel.ref, rel.external)
        return _as_bytes(element.xml)

    def _content_types(self, names: list[str]) -> bytes:
        if not self.new_parts:
            return self.prepared.content_types
        from types import SimpleNamespace

        from docx.opc.packuri import PackURI
        from docx.opc.pkgwriter import _ContentTypesItem

        def content_type(name: str) -> str:
            part = self.prepared.parts.get(name)
            return part.content_type if part else self.new_parts[name][0]

        return _ContentTypesItem.from_parts(SimpleNamespace(partname=PackURI(name), content_type=content_type(name))
                                            for name in names).blob


def _fix_tables(xml: str):
    """docxtpl's fix_tables: the body parsed, its tables' column grids fitted to the cells a loop produced. Most
    tables need no change, and finding that out cell by cell in Python is half the time of a 1,000-row sheet;
    here rows are counted by lxml, and docxtpl's own function runs only for a table it would change."""
    from lxml import etree

    tree = etree.fromstring(xml, parser=etree.XMLParser(recover=True))
    try:
        fits = _tables_fit(tree)
    except (AttributeError, KeyError, TypeError, ValueError):
        fits = False               # docxtpl's function raises its own error, or copes
    return tree if fits else _docxtpl().fix_tables(xml)


def _tables_fit(tree) -> bool:
    """Whether docxtpl's fix_tables would leave every table as it is: no row with more cells than the grid has
    columns, and some row spanning all of them."""
    w = "{" + tree.nsmap["w"] + "}"
    tc, span_path = w + "tc", f"{w}tc/{w}tcPr/{w}gridSpan"
    for table in tree.iter(w + "tbl"):
        columns = len(table.find(w + "tblGrid").findall(w + "gridCol"))
        widest = 0
        for row in table.iter(w + "tr"):
            cells = row.findall(tc)
            if len(cells) > columns:
                return False
            spanned = len(cells)
            if row.find(span_path) is not None:
                spanned = 0
                for cell in cells:
                    properties = cell.find(w + "tcPr")
                    span = None if properties is None else properties.find(w + "gridSpan")
                    spanned += 1 if span is None else int(span.get(w + "val"))
            widest = max(widest, spanned)
        if columns > widest:
            return False
    return True


def _rels_member(partname: str) -> str:
    folder, _, file = partname.rpartition("/")
    return f"{folder}/_rels/{file}.rels"[1:]


class _StoryPart:
    """What docxtpl's InlineImage calls while a part renders: python-docx's StoryPart.new_pic_inline."""

    def __init__(self, rendering: _Rendering, story: _Story):
        self.rendering, self.story = rendering, story

    def new_pic_inline(self, image_descriptor, width=None, height=None):
        from docx.oxml.shape import CT_Inline

        if self.story.next_id is None:
            raise InternalError(f"a picture in {self.story.part}, which holds no pictures")
        rid, image = self.rendering.add_picture(self.story, image_descriptor)
        cx, cy = image.scaled_dimensions(width, height)
        return CT_Inline.new_pic_inline(self.story.next_id, rid, image.filename, cx, cy)


def _stamp_properties(props, view: Any) -> None:
    """Fixed metadata, so the same view gives the same bytes (Word would write 'now' and the user name)."""
    props.author = props.last_modified_by = view.letterhead.short_name
    props.title = view.heading
    props.created = props.modified = props.last_printed = FIXED_TIME
    props.revision = 1
    props.language = "ru-RU"


def _set_keywords(core, text: str) -> None:
    """The records manifest in the keywords (Файл → Сведения → Теги), where `compliance verify` reads it.
    python-docx refuses properties over 255 characters and a manifest is longer, so set the element itself."""
    from docx.oxml.ns import qn
    from lxml import etree

    element = core.find(qn("cp:keywords"))
    if element is None:
        element = etree.SubElement(core, qn("cp:keywords"))
    element.text = text


def _qr_picture(template, text: str):
    """The QR code of ГОСТ Р 7.0.97-2025 (requisite 31) as a picture where the template prints `qr`."""
    from docx.shared import Mm
    from docxtpl import InlineImage

    from .qr import SIZE_MM, png

    picture, code_share = png(text)
    return InlineImage(template, io.BytesIO(picture), width=Mm(SIZE_MM / code_share))


CHART_WIDTH_MM = 165          # the report's coverage chart, within the 170 mm of text
CHART_BARS_PER_PICTURE = 20   # a picture taller than a page would be cut off by Word


class _Pictures:
    """Several pictures in one paragraph, a line break between them, where the template prints one tag."""

    def __init__(self, pictures):
        self.pictures = pictures

    def __html__(self) -> str:
        # Each InlineImage closes the text run it stands in and opens a new one; a <w:br/> there breaks the line.
        return '</w:t><w:br/><w:t xml:space="preserve">'.join(p.__html__() for p in self.pictures)

    __str__ = __html__


def _chart_picture(template, chart):
    """The report's coverage chart as pictures where the template prints `chart`."""
    from docx.shared import Mm
    from docxtpl import InlineImage

    from .chart_png import chart_png

    return _Pictures([InlineImage(template, io.BytesIO(chart_png(piece, CHART_WIDTH_MM)), width=Mm(CHART_WIDTH_MM))
                      for piece in chart.pieces(CHART_BARS_PER_PICTURE)])


_bytes_cache: dict[tuple[str, int, int], bytes] = {}


def _template_bytes(source: Path) -> bytes:
    """Read each template once per process (again only if the file changes on disk)."""
    try:
        stat = source.stat()
    except FileNotFoundError:
        raise TemplateProblem(f"{display_path(source)}: шаблон не найден.") from None
    key = (str(source.resolve()), stat.st_mtime_ns, stat.st_size)
    data = _bytes_cache.get(key)
    if data is None:
        data = source.read_bytes()
        _bytes_cache[key] = data
    return data


@functools.cache
def jinja_environment():
    """The one sandboxed Jinja environment every template renders in (also for checking templates)."""
    # Imported here: jinja2 and docxtpl cost ~0.25 s, which commands that never write DOCX should not pay.
    from jinja2 import StrictUndefined, pass_context
    from jinja2.exceptions import SecurityError
    from jinja2.sandbox import SandboxedEnvironment, safe_range

    @pass_context
    def budgeted_range(context, *args):
        items = safe_range(*args)
        used = getattr(context, "_compliance_range_used", 0) + len(items)
        if used > MAX_RANGE_TOTAL:
            raise SecurityError(f"циклы range() на {used} и более повторений (допускается {MAX_RANGE_TOTAL})")
        context._compliance_range_used = used
        return items

    class CachingSandbox(SandboxedEnvironment):
        """docxtpl compiles each XML part on every render; the parts of a template never change, so compile once.
        Also refuses the few computations that would take a template minutes or gigabytes."""

        intercepted_binops = frozenset({"*", "**"})

        def __init__(self, **options):
            super().__init__(**options)
            self._compiled: dict[str, Any] = {}
            self.globals["range"] = budgeted_range

        def call_binop(self, context, operator, left, right):
            if operator == "**" and isinstance(left, int) and isinstance(right, int) and right > 0 \
                    and right * max(1, abs(left).bit_length()) > MAX_POWER_BITS:
                raise SecurityError(f"возведение в степень с результатом больше {MAX_POWER_BITS} бит")
            if operator == "*":
                for sequence, times in ((left, right), (right, left)):
                    if isinstance(sequence, (str, list, tuple)) and isinstance(times, int) \
                            and len(sequence) * times > MAX_REPEAT:
                        raise SecurityError(f"повторение «*» длиной {len(sequence) * times} (допускается {MAX_REPEAT})")
            return super().call_binop(context, operator, left, right)

        def from_string(self, source, globals=None, template_class=None):
            if globals is not None or template_class is not None or not isinstance(source, str):
                return super().from_string(source, globals, template_class)
            compiled = self._compiled.get(source)
            if compiled is None:
                if len(self._compiled) >= _COMPILED_LIMIT:
                    self._compiled.clear()
                compiled = super().from_string(source)
                self._compiled[source] = compiled
            return compiled

    return CachingSandbox(autoescape=True, undefined=StrictUndefined)


@functools.cache
def _template_class():
    from docxtpl import DocxTemplate

    class LocatedTemplate(DocxTemplate):
        """A DocxTemplate whose errors name the template file, the part and the text around the tag."""

        label = ""

        def render_xml_part(self, src_xml, part, context, jinja_env=None):
            try:
                return super().render_xml_part(src_xml, part, context, jinja_env)
            except Exception as exc:
                line = _template_line(exc)
                if line is None:
                    raise          # not raised by template code: a bug, keep the traceback
                # docxtpl puts each paragraph on its own line before compiling; line numbers refer to that.
                numbered = re.sub(r"<w:p([ >])", r"\n<w:p\1", src_xml)
                raise TemplateProblem(_message(self.label, _part_name(part), numbered, line, exc, context)) from exc

    return LocatedTemplate


# ---------------------------------------------------------------- error messages

def _template_line(exc: BaseException) -> int | None:
    """Line of the template where `exc` arose, or None when it did not come from template code."""
    from jinja2 import TemplateSyntaxError

    if isinstance(exc, TemplateSyntaxError):
        return exc.lineno or 0
    line = None
    tb = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == "<template>":
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def _part_name(part: Any) -> str:
    name = str(getattr(part, "partname", ""))
    if "header" in name:
        return "верхний колонтитул"
    if "footer" in name:
        return "нижний колонтитул"
    return ""


def _plain(xml: str) -> str:
    return re.sub(r"<[^>]+>", "", xml).replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.DOTALL)


def _quote(numbered_xml: str, line: int, name: str | None, unclosed: bool) -> str:
    """The template text around the failing tag, cut to a readable window."""
    lines = numbered_xml.splitlines()
    if unclosed:
        text = _plain(numbered_xml)
        match = _unclosed_block(text)
    else:
        text = _plain(lines[line - 1]) if 0 < line <= len(lines) else _plain(numbered_xml)
        tags = list(_TAG.finditer(text))
        named = [m for m in tags if name and re.search(rf"(?<![\w.]){re.escape(name)}\b|\.{re.escape(name)}\b",
                                                        m.group(0))]
        match = (named or tags or [None])[0]
        if match is None and name:       # the line holds no tag: look for the name anywhere in the part
            text = _plain(numbered_xml)
            match = next((m for m in _TAG.finditer(text) if name in m.group(0)), None)
    if match is None:
        start, end = 0, min(len(text), 2 * _QUOTE_RADIUS)
    else:
        start, end = max(0, match.start() - _QUOTE_RADIUS), min(len(text), match.end() + _QUOTE_RADIUS)
    quoted = " ".join(text[start:end].split())
    return ("… " if start > 0 else "") + quoted + (" …" if end < len(text) else "")


_BLOCKS = {"if": "endif", "for": "endfor", "with": "endwith", "macro": "endmacro", "call": "endcall",
           "filter": "endfilter", "set": "endset", "block": "endblock", "raw": "endraw", "autoescape": "endautoescape"}


def _unclosed_block(text: str) -> re.Match | None:
    """The opening tag left without its end tag (Jinja reports only the end of the template)."""
    stack: list[re.Match] = []
    for match in re.finditer(r"\{%-?\s*(\w+)([^%]*)%\}", text):
        word, rest = match.group(1), match.group(2)
        if word in _BLOCKS and not (word == "set" and "=" in rest):
            stack.append(match)
        elif word.startswith("end") and stack:
            stack.pop()
    return stack[-1] if stack else None


def _message(label: str, part: str, numbered_xml: str, line: int, exc: BaseException,
             context: dict[str, Any]) -> str:
    from jinja2 import TemplateSyntaxError, UndefinedError
    from jinja2.exceptions import SecurityError

    text = str(getattr(exc, "message", None) or exc)
    name = None
    unclosed = False
    fix = "исправьте тег в шаблоне или удалите его."
    if isinstance(exc, SecurityError):
        found = re.search(r"attribute '([^']+)'", text)
        name = found.group(1) if found else None
        if name is None and re.search("[а-я]", text):    # our own limits (CachingSandbox), already in Russian
            what = f"слишком большое вычисление: {text}"
            fix = "шаблон только подставляет поля документа; уберите из тега вычисление."
        else:
            what = f"недопустимое обращение «{name or text}»"
            fix = "шаблон может только подставлять поля документа; служебные атрибуты (на «_») ему недоступны."
    elif isinstance(exc, OverflowError) and "Range too big" in text:
        what = f"слишком большое вычисление: range() длиннее {MAX_RANGE_TOTAL} повторений"
        fix = "шаблон только подставляет поля документа; уберите из тега вычисление."
    elif isinstance(exc, TypeError) and "no loader" in text:
        what = "подключение другого файла («include», «import» или «extends»)"
        fix = "шаблон DOCX не может читать другие файлы; перенесите нужный текст в сам шаблон."
    elif isinstance(exc, UndefinedError):
        variable = re.match(r"'([^']+)' is undefined", text)
        attribute = re.search(r"has no attribute '([^']+)'", text)
        if variable:
            name = variable.group(1)
            what = f"неизвестная переменная «{name}»"
            fix = f"используйте одну из переменных: {', '.join(sorted(context))}."
        elif attribute:
            name = attribute.group(1)
            what = f"неизвестное поле «{name}»"
            fields = _fields_named_in(text)
            if fields:
                fix = f"используйте одно из полей: {', '.join(fields)}."
        else:
            what = f"неизвестное значение ({text})"
    elif isinstance(exc, TemplateSyntaxError):
        unknown = re.match(r"Encountered unknown tag '([^']+)'", text)
        if "Unexpected end of template" in text:
            unclosed = True
            what = "тег не закрыт"
            fix = "добавьте парный тег {% endif %} или {% endfor %} (в абзаце: {%p endif %}, в строке таблицы: {%tr endfor %})."
        elif unknown:
            name = unknown.group(1)
            what = f"неизвестный или лишний тег «{name}»"
        else:
            what = f"ошибка в записи тега ({text})"
        fix = fix if unclosed else "проверьте, что тег записан полностью: {{ поле }} или {% if … %} … {% endif %}."
    else:
        what = f"ошибка при подстановке ({type(exc).__name__}: {text})"
    where = f" ({part})" if part else ""
    quote = _quote(numbered_xml, line, name, unclosed)
    return f"{label}{where}: {what} в тексте «{quote}».\n  Как исправить: {fix}"


def _fields_named_in(message: str) -> list[str]:
    """Fields of the view class Jinja names in «'pkg.module.Class object' has no attribute …»."""
    found = re.match(r"'([\w.]+)\.(\w+) object' has no attribute", message)
    if not found:
        return []
    cls = getattr(sys.modules.get(found.group(1)), found.group(2), None)
    if cls is None or not dataclasses.is_dataclass(cls):
        return []
    return [f.name for f in dataclasses.fields(cls)]


def _problem_outside_parts(label: str, exc: BaseException) -> TemplateProblem | None:
    """Errors docxtpl raises outside the XML parts: document properties and XML broken by a misplaced tag."""
    from jinja2 import TemplateError
    from lxml import etree

    if isinstance(exc, TemplateError) or _template_line(exc) is not None:
        return TemplateProblem(f"{label}: ошибка в свойствах документа (Файл → Сведения): {exc}.\n"
                               "  Как исправить: уберите теги {{ … }} из названия, темы и примечаний документа.")
    if isinstance(exc, etree.XMLSyntaxError):
        return TemplateProblem(f"{label}: после подстановки документ повреждён ({exc}).\n"
                               "  Как исправить: теги {%p … %} ставьте в отдельном абзаце, "
                               "а {%tr … %} — в отдельной строке таблицы.")
    return None
