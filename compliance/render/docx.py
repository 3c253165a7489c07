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
from compliance.render.deterministic import write_zip
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

def _render(view: Any, template_name: str, path: Path, templates_dir: Path | None) -> Path:
    source = Path(templates_dir or default_templates_dir()) / template_name
    label = display_path(source)
    template = _template_class()(io.BytesIO(_template_bytes(source)))
    template.label = label
    try:
        template.init_docx()
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise TemplateProblem(f"{label}: файл не является документом DOCX ({exc}).") from exc
    # The view object's fields, not a dict copy: nested rows and Column objects stay attribute-accessible.
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
    _set_keywords(template.docx, stamp.manifest() if stamp else "")
    buffer = io.BytesIO()
    template.save(buffer)
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    write_zip(buffer.getvalue(), out)
    return out


def _stamp_properties(props, view: Any) -> None:
    """Fixed metadata, so the same view gives the same bytes (Word would write 'now' and the user name)."""
    props.author = props.last_modified_by = view.letterhead.short_name
    props.title = view.heading
    props.created = props.modified = props.last_printed = FIXED_TIME
    props.revision = 1
    props.language = "ru-RU"


def _set_keywords(document, text: str) -> None:
    """The records manifest in the keywords (Файл → Сведения → Теги), where `compliance verify` reads it.
    python-docx refuses properties over 255 characters and a manifest is longer, so set the element itself."""
    from docx.opc.constants import RELATIONSHIP_TYPE
    from docx.oxml.ns import qn
    from lxml import etree

    core = document.part.package.part_related_by(RELATIONSHIP_TYPE.CORE_PROPERTIES).element
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
