"""Check DOCX templates before they are used: the answer a user needs after restyling one in Word.

Four kinds of problems, each named with the template, the part (body, header, footer), the paragraph
around it and a Russian «Как исправить»:
  1. tags Word has split into several text fragments (runs, spelling marks, bookmarks, hyperlinks);
  2. Jinja syntax errors, found in the text exactly as docxtpl prepares it (`patch_xml`);
  3. variables and fields the document's view-model does not have;
  4. docxtpl's own tags misused: `{%tr` outside a table row, `{%p if` closed by a plain `{% endif %}`,
     text that shares a paragraph or row with the tag that replaces it.

docxtpl 0.20 rejoins a tag split across plain runs, so such a split is only a warning; it is an error when
a hyperlink, a tracked change or a field starts inside the tag, because rejoining then breaks the XML.
"""
from __future__ import annotations

import dataclasses
import difflib
import functools
import html
import importlib
import re
import types
import typing
import zipfile
from collections.abc import Sequence
from pathlib import Path

from compliance.errors import display_path

VIEW_TYPES = {
    "order.docx": ("compliance.views.order", "OrderView", "приказ"),
    "acknowledgement_sheet.docx": ("compliance.views.acknowledgement_sheet", "AckSheetView", "лист ознакомления"),
    "monthly_report.docx": ("compliance.views.monthly_report", "MonthlyReportView", "ежемесячный отчёт"),
    "order_register.docx": ("compliance.views.order_register", "OrderRegisterView",
                            "журнал регистрации приказов"),
}
ERROR, WARNING = "error", "warning"
QUOTE_WIDTH = 60

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
# Elements with content (accusative, nominative): docxtpl rejoins a tag by cutting the markup between its
# fragments, so a tag that starts outside one of these and ends inside it loses the element's start.
CONTAINERS = {W + "hyperlink": ("гиперссылку", "гиперссылка"), W + "smartTag": ("смарт-тег", "смарт-тег"),
              W + "ins": ("исправление (режим рецензирования)", "исправление"),
              W + "del": ("исправление (режим рецензирования)", "исправление"),
              W + "moveTo": ("исправление (режим рецензирования)", "исправление"),
              W + "moveFrom": ("исправление (режим рецензирования)", "исправление"),
              W + "fldSimple": ("поле", "поле"), W + "sdtContent": ("элемент управления содержимым", "элемент"),
              W + "customXml": ("элемент XML", "элемент XML")}
FIELD_CODES = {W + "fldChar", W + "instrText"}

TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.DOTALL)
OPENER = re.compile(r"\{\{|\{%|\{#")
CLOSER_OF = {"{{": "}}", "{%": "%}", "{#": "#}"}
PREFIX = re.compile(r"^\{([{%#])(p|tr|tc|r)\s")        # docxtpl's {%p …, {{tr …, {#tc … (no space after the brace)
KEYWORD = re.compile(r"^\{%-?\s*(?:(?:p|tr|tc|r)\s+)?([A-Za-z_]\w*)(.*?)-?%\}$", re.DOTALL)
BLOCKS = {"for", "if", "with", "macro", "call", "filter", "block", "autoescape", "raw"}
MIDDLES = {"else": {"if", "for"}, "elif": {"if"}}
OWNER_OF = {"p": "абзац", "tr": "строку таблицы", "tc": "ячейку таблицы"}
SMART_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "«": '"', "»": '"', "‘": "'", "’": "'"})
SPLIT_FIX = ("выделите тег, удалите и наберите его заново одним действием (без правки отдельных букв), "
             "или вставьте как простой текст (Ctrl+Shift+V).")


@dataclasses.dataclass(frozen=True)
class TemplateFinding:
    """One problem in a template: where it is, what is wrong (quoting the paragraph), how to fix it."""

    template: str                # «templates/order.docx»
    part: str                    # «основной текст», «нижний колонтитул», or "" for the file as a whole
    message: str
    fix: str
    severity: str = ERROR        # WARNING: the document still comes out as meant

    def render(self) -> str:
        where = f"{self.template}, {self.part}" if self.part else self.template
        mark = "замечание: " if self.severity == WARNING else ""
        return f"{where}: {mark}{self.message}\n  Как исправить: {self.fix}"


def check_templates(folder: Path) -> dict[Path, list[TemplateFinding]]:
    """Every DOCX in `folder` (Word's «~$» lock files aside), plus each template the program needs but
    the folder lacks. Keys are sorted paths."""
    folder = Path(folder)
    found = sorted(p for p in folder.glob("*.docx") if not p.name.startswith("~$"))
    results: dict[Path, list[TemplateFinding]] = {}
    for name in sorted(set(VIEW_TYPES) - {p.name for p in found}):
        path = folder / name
        results[path] = [TemplateFinding(
            display_path(path), "", f"шаблон не найден: без него не сформировать {VIEW_TYPES[name][2]} в DOCX.",
            f"верните файл {name} в папку {display_path(folder)} (исходный — в {display_path(_default_dir())}).")]
    for path in found:
        view_type, note = view_type_for(path.name)
        findings = check_template(path, view_type)
        if note:
            findings.insert(0, TemplateFinding(display_path(path), "", note[0], note[1], WARNING))
        results[path] = findings
    return dict(sorted(results.items()))


def view_type_for(name: str) -> tuple[type | None, tuple[str, str] | None]:
    """The view-model class a template file renders, or None with a note saying why variables go unchecked."""
    known = VIEW_TYPES.get(name)
    if known is None:
        return None, ("программа не использует шаблон с таким именем, его переменные не проверены.",
                      "шаблоны называются " + ", ".join(VIEW_TYPES) + "; переименуйте файл, если это один из них.")
    module, cls, title = known
    try:
        return getattr(importlib.import_module(module), cls), None
    except ModuleNotFoundError as exc:
        if exc.name != module:
            raise
        return None, (f"эта версия программы ещё не формирует документ «{title}», переменные не проверены.",
                      "обновите программу или не используйте этот шаблон.")


def check_template(path: Path, view_type: type | None) -> list[TemplateFinding]:
    """Findings for one template, in document order; variables are checked only when `view_type` is given."""
    label = display_path(Path(path))
    try:
        template = _load(Path(path))
    except _NotDocx as exc:
        return [TemplateFinding(label, "", f"файл не является документом DOCX ({exc}).",
                                "сохраните шаблон в Word как «Документ Word (*.docx)».")]
    findings: list[TemplateFinding] = []
    for part in _parts(template):
        findings.extend(_Checker(label, part, view_type).run())
    return findings


# ---------------------------------------------------------------- reading the parts

class _NotDocx(Exception):
    pass


def _load(path: Path):
    from docx.opc.exceptions import PackageNotFoundError
    from docxtpl import DocxTemplate
    from lxml import etree

    template = DocxTemplate(str(path))
    try:
        template.init_docx()
    except (zipfile.BadZipFile, KeyError, ValueError, PackageNotFoundError, etree.XMLSyntaxError) as exc:
        raise _NotDocx(str(exc) or type(exc).__name__) from None
    return template


@dataclasses.dataclass
class _Paragraph:
    index: int
    text: str
    spans: list[tuple[int, int, object]]     # (start, end, w:t element) of the text
    row: object                              # the w:tr holding it, or None
    cell: object


@dataclasses.dataclass
class _Tag:
    paragraph: _Paragraph
    start: int
    end: int
    text: str

    @property
    def prefix(self) -> str:
        found = PREFIX.match(self.text)
        return found.group(2) if found else ""

    @property
    def keyword(self) -> str:
        found = KEYWORD.match(self.text)
        return found.group(1) if found else ""

    @property
    def key(self) -> str:
        return _key(self.text)


@dataclasses.dataclass
class _Part:
    label: str
    paragraphs: list[_Paragraph]
    numbered_xml: str                        # docxtpl's patched XML, one paragraph per line as it compiles it


def _parts(template) -> list[_Part]:
    from docx.oxml import parse_xml

    body = template.docx.element.body
    parts = [_part("основной текст", body, template.patch_xml(template.get_xml()))]
    kinds = _header_footer_kinds(body)
    for uri, name in ((template.HEADER_URI, "верхний колонтитул"), (template.FOOTER_URI, "нижний колонтитул")):
        for rel_key, part in sorted(template.get_headers_footers(uri), key=lambda item: str(item[1].partname)):
            label = name + kinds.get(rel_key, "")
            parts.append(_part(label, parse_xml(part.blob), template.patch_xml(template.get_part_xml(part))))
    return parts


def _header_footer_kinds(body) -> dict[str, str]:
    """«первой страницы», «чётных страниц», «раздел 2» for each header/footer relationship."""
    sections = list(body.iter(W + "sectPr"))
    kinds = {}
    for number, section in enumerate(sections, 1):
        for ref in list(section.iter(W + "headerReference")) + list(section.iter(W + "footerReference")):
            kind = {"first": " первой страницы", "even": " чётных страниц"}.get(ref.get(W + "type"), "")
            where = f" (раздел {number})" if len(sections) > 1 else ""
            kinds.setdefault(ref.get(REL), kind + where)
    return kinds


def _part(label: str, root, patched: str) -> _Part:
    paragraphs = []
    for p in root.iter(W + "p"):
        if any(a.tag == MC_FALLBACK for a in p.iterancestors()):
            continue                      # the legacy copy of a text box: the same paragraphs twice
        spans, text = [], ""
        for t in p.iter(W + "t"):
            if next(t.iterancestors(W + "p")) is not p:
                continue                  # a paragraph of a text box inside this one
            spans.append((len(text), len(text) + len(t.text or ""), t))
            text += t.text or ""
        paragraphs.append(_Paragraph(len(paragraphs), text, spans, next(p.iterancestors(W + "tr"), None),
                                     next(p.iterancestors(W + "tc"), None)))
    return _Part(label, paragraphs, re.sub(r"<w:p([ >])", r"\n<w:p\1", patched))


def _key(tag: str) -> str:
    """A tag as docxtpl leaves it after patching: no {%p prefix, ASCII quotes, no spaces."""
    tag = PREFIX.sub(lambda m: "{" + m.group(1), tag)
    return re.sub(r"\s+", "", html.unescape(tag).translate(SMART_QUOTES))


def _quote(text: str, start: int = 0, end: int = 0) -> str:
    """About QUOTE_WIDTH characters of `text` around [start, end), the tag kept whole."""
    if len(text) > QUOTE_WIDTH:
        room = max(0, QUOTE_WIDTH - (end - start))
        left = max(0, min(start - room // 2, len(text) - QUOTE_WIDTH))
        right = max(end, left + QUOTE_WIDTH)
        text = ("…" if left > 0 else "") + text[left:right] + ("…" if right < len(text) else "")
    return " ".join(text.split())


# ---------------------------------------------------------------- the checks

class _Checker:
    def __init__(self, template: str, part: _Part, view_type: type | None):
        self.template, self.part, self.view_type = template, part, view_type
        self.found: list[tuple[int, int, TemplateFinding]] = []
        self.tags: list[_Tag] = []
        self.unclosed = False
        self.misplaced = False

    def run(self) -> list[TemplateFinding]:
        for paragraph in self.part.paragraphs:
            self._scan_paragraph(paragraph)
        self._check_docxtpl_tags()
        ast = self._parse()
        if ast is not None:
            self._check_unsafe(ast)
        if ast is not None and self.view_type is not None:
            self._check_variables(ast)
        self.found.sort(key=lambda item: (item[0], item[1]))
        unique = []
        for _, _, finding in self.found:
            if finding not in unique:
                unique.append(finding)
        return unique

    def add(self, paragraph: _Paragraph | None, message: str, fix: str, severity: str = ERROR, order: int = 0):
        index = paragraph.index if paragraph is not None else len(self.part.paragraphs)
        self.found.append((index, order, TemplateFinding(self.template, self.part.label, message, fix, severity)))

    def in_paragraph(self, tag: _Tag) -> str:
        return f"в абзаце «{_quote(tag.paragraph.text, tag.start, tag.end)}»"

    # 1. tags Word split, tags left open at the end of a paragraph
    def _scan_paragraph(self, paragraph: _Paragraph) -> None:
        text = paragraph.text
        position = 0
        while True:
            opener = OPENER.search(text, position)
            if opener is None:
                return
            closer = CLOSER_OF[opener.group(0)]
            end = text.find(closer, opener.end())
            if end < 0:
                self.unclosed = True
                start = opener.start()
                self.add(paragraph, f"тег «{_quote(text[start:], 0, 0)}» не закрыт: в абзаце "
                         f"«{_quote(text, start, len(text))}» нет «{closer}» после «{opener.group(0)}».",
                         f"тег целиком должен стоять в одном абзаце: допишите «{closer}» или уберите разрыв "
                         "абзаца (Enter) внутри тега.", order=opener.start())
                return
            tag = _Tag(paragraph, opener.start(), end + 2, text[opener.start():end + 2])
            self.tags.append(tag)
            self._check_split(tag)
            position = tag.end

    def _check_split(self, tag: _Tag) -> None:
        pieces = [t for start, end, t in tag.paragraph.spans if start < tag.end and end > tag.start]
        if len(pieces) < 2:
            return
        broken = _straddled(pieces)
        count = f"{len(pieces)} {_fragments(len(pieces))}"
        message = f"тег «{tag.text}» разбит Word на {count} {self.in_paragraph(tag)}"
        if broken:
            into, lost, container = broken
            outcome = ("документ не сформируется: нарушится разметка колонтитула"
                       if container and "колонтитул" in self.part.label
                       else f"при формировании {lost} пропадёт из документа")
            inside = f"часть тега входит в {into}" if container else f"внутри тега стоит {into}"
            self.add(tag.paragraph, f"{message}, и {inside}: {outcome}.",
                     f"{SPLIT_FIX} Перед этим примите исправления, снимите гиперссылку и удалите поля в тексте тега.",
                     order=tag.start)
        else:
            styled = _styles_differ(pieces)
            consequence = ("фрагменты оформлены по-разному, и значение получит оформление первого"
                           if styled else "программа склеит фрагменты, документ сформируется")
            self.add(tag.paragraph, f"{message}; {consequence}.", SPLIT_FIX, WARNING, order=tag.start)

    # 4. docxtpl's paragraph / row / cell tags
    def _check_docxtpl_tags(self) -> None:
        rows: dict[object, list[_Paragraph]] = {}
        cells: dict[object, list[_Paragraph]] = {}
        for paragraph in self.part.paragraphs:
            if paragraph.row is not None:
                rows.setdefault(paragraph.row, []).append(paragraph)
            if paragraph.cell is not None:
                cells.setdefault(paragraph.cell, []).append(paragraph)
        for tag in self.tags:
            prefix = tag.prefix
            if prefix in ("tr", "tc"):
                owner = tag.paragraph.row if prefix == "tr" else tag.paragraph.cell
                if owner is None:
                    self.misplaced = True
                    where = "строку" if prefix == "tr" else "ячейку"
                    self.add(tag.paragraph, f"тег «{tag.text}» стоит вне таблицы {self.in_paragraph(tag)}: "
                             f"«{{%{prefix}» повторяет или убирает целую {OWNER_OF[prefix]}.",
                             f"перенесите тег в отдельную {where} таблицы или замените «{{%{prefix}» на «{{%p» "
                             "для абзацев.", order=tag.start)
                    continue
                others = rows[owner] if prefix == "tr" else cells[owner]
            elif prefix == "p":
                others = [tag.paragraph]
            else:
                continue
            rest = " ".join(_without(p.text, tag) if p is tag.paragraph else p.text for p in others).strip()
            if rest:
                alone = {"p": "в отдельном абзаце (Enter до и после тега)",
                         "tr": "в отдельной строке таблицы, а поля — в следующей строке",
                         "tc": "в отдельной ячейке"}[prefix]
                self.add(tag.paragraph, f"тег «{tag.text}» {self.in_paragraph(tag)} заменяет {OWNER_OF[prefix]} "
                         f"целиком: текст «{_quote(rest)}» рядом с ним пропадёт из документа.",
                         f"поставьте тег «{tag.text}» один {alone}.", order=tag.start)
        for opener, tag in self._blocks["prefix"]:
            if not tag.prefix:
                how = f"записан без «{opener.prefix}»"
            elif not opener.prefix:
                how = f"записан с «{tag.prefix}», а блок открыт без него"
            else:
                how = f"записан с «{tag.prefix}», а блок открыт с «{opener.prefix}»"
            self.add(tag.paragraph, f"тег «{tag.text}» {self.in_paragraph(tag)} закрывает блок «{opener.text}», но "
                     f"{how}: при формировании часть документа пропадёт или документ будет повреждён.",
                     f"запишите его как «{_closing(opener, tag.keyword)}»: парные теги блока пишутся одинаково "
                     "({%p … %} — отдельным абзацем, {%tr … %} — строкой таблицы, {% … %} — внутри текста).",
                     order=tag.start)

    @functools.cached_property
    def _blocks(self) -> dict[str, list]:
        """Block structure of the tags: prefix mismatches, and the first structural error Jinja will meet."""
        stack: list[_Tag] = []
        events: dict[str, list] = {"prefix": [], "structure": []}
        for tag in self.tags:
            if not tag.text.startswith("{%"):
                continue
            word, rest = tag.keyword, KEYWORD.match(tag.text).group(2) if tag.keyword else ""
            if word in BLOCKS or (word == "set" and "=" not in rest):
                stack.append(tag)
            elif word in MIDDLES:
                if not stack or stack[-1].keyword not in MIDDLES[word]:
                    events["structure"].append(("stray", tag, stack[-1] if stack else None))
                elif stack[-1].prefix != tag.prefix:
                    events["prefix"].append((stack[-1], tag))
            elif word.startswith("end"):
                if not stack:
                    events["structure"].append(("stray", tag, None))
                elif word != "end" + stack[-1].keyword:
                    events["structure"].append(("wrong", tag, stack[-1]))
                    stack.pop()
                else:
                    opener = stack.pop()
                    if opener.prefix != tag.prefix:
                        events["prefix"].append((opener, tag))
        events["structure"].extend(("unclosed", opener, None) for opener in reversed(stack))
        return events

    # 2. syntax, as Jinja sees the XML docxtpl prepares
    def _parse(self):
        from jinja2 import TemplateSyntaxError

        from compliance.render.docx import jinja_environment

        try:
            return jinja_environment().parse(self.part.numbered_xml)
        except TemplateSyntaxError as exc:
            if self.unclosed or (self.misplaced and re.match(r"Encountered unknown tag '(tr|tc)'", exc.message)):
                return None             # already reported, by paragraph
            self._syntax_finding(exc)
            return None

    def _syntax_finding(self, exc) -> None:
        text = exc.message or str(exc)
        structure = self._blocks["structure"]
        if structure and (text.startswith("Unexpected end of template")
                          or re.match(r"Encountered unknown tag '(end\w*|else|elif)'", text)):
            kind, tag, opener = structure[0]
            if kind == "unclosed":
                self.add(tag.paragraph, f"блок «{tag.text}» не закрыт {self.in_paragraph(tag)}.",
                         f"добавьте после содержимого блока «{_closing(tag, 'end' + tag.keyword)}»"
                         + (" отдельным абзацем." if tag.prefix == "p" else
                            " в отдельной строке таблицы." if tag.prefix == "tr" else "."), order=tag.start)
            elif opener is None:
                self.add(tag.paragraph, f"лишний тег «{tag.text}» {self.in_paragraph(tag)}: нет открывающего "
                         "тега блока перед ним.", "удалите этот тег или добавьте перед ним открывающий, например "
                         "«{%p if … %}» или «{%p for … in … %}».", order=tag.start)
            else:
                self.add(tag.paragraph, f"тег «{tag.text}» {self.in_paragraph(tag)} не подходит к открытому "
                         f"блоку «{opener.text}» {self.in_paragraph(opener)}.",
                         f"закройте блок тегом «{_closing(opener, 'end' + opener.keyword)}» или исправьте "
                         "порядок тегов: блоки закрываются в обратном порядке.", order=tag.start)
            return
        tag, line_text = self._culprit(exc.lineno or 0)
        where = self.in_paragraph(tag) if tag else f"в тексте «{_quote(line_text)}»"
        shown = f"«{tag.text}» " if tag else ""
        what, fix = _russian(text)
        self.add(tag.paragraph if tag else None, f"ошибка в теге {shown}{where}: {what}.", fix,
                 order=tag.start if tag else 0)

    def _culprit(self, line: int) -> tuple[_Tag | None, str]:
        """The template tag on compiled line `line` that Jinja cannot parse, and that line's text."""
        from jinja2 import TemplateSyntaxError

        from compliance.render.docx import jinja_environment

        located = self._patched_tags
        on_line = [item for item in located if item[0] == line]
        for _, index, text in on_line:
            try:
                jinja_environment().parse(_standalone(text))
            except TemplateSyntaxError:
                return self._raw(index), _line_text(self.part.numbered_xml, line)
        tag = self._raw(on_line[0][1]) if on_line else None
        return tag, _line_text(self.part.numbered_xml, line)

    @functools.cached_property
    def _patched_tags(self) -> list[tuple[int, int, str]]:
        """(line, index among all compiled tags, text) of each tag docxtpl hands to Jinja."""
        found = []
        for number, line in enumerate(self.part.numbered_xml.split("\n"), 1):
            for match in TAG.finditer(line):
                found.append((number, len(found), html.unescape(match.group(0))))
        return found

    def _raw(self, index: int) -> _Tag | None:
        """The tag in the Word text that became compiled tag `index` (same text, same occurrence)."""
        located = self._patched_tags
        key = _key(located[index][2])
        occurrence = sum(1 for _, i, text in located[:index] if _key(text) == key)
        same = [tag for tag in self.tags if tag.key == key]
        return same[occurrence] if occurrence < len(same) else None

    # 3. variables and fields
    def _check_variables(self, ast) -> None:
        from jinja2 import meta

        from compliance.render.docx import jinja_environment

        env = jinja_environment()
        top = _fields(self.view_type)
        undeclared = meta.find_undeclared_variables(ast) - set(top) - set(env.globals)
        walker = _Walker(top)
        walker.visit(ast, {})
        for line, chain, name, owner, shape in walker.unknown:
            if owner is None and name not in undeclared:
                continue
            tag = self._tag_naming(line, name)
            where = self.in_paragraph(tag) if tag else f"в тексте «{_quote(_line_text(self.part.numbered_xml, line))}»"
            valid = list(_fields_of(shape)) if owner is not None else list(top)
            guess = difflib.get_close_matches(name, valid, n=1)
            hint = f"возможно, имелось в виду «{guess[0]}». " if guess else ""
            if owner is None:
                message = f"неизвестная переменная «{name}» {where}."
                fix = f"{hint}Допустимые имена: {', '.join(valid)}."
            else:
                message = f"у «{owner}» нет поля «{name}» {where}."
                fix = f"{hint}Поля «{owner}»: {', '.join(valid)}."
            self.add(tag.paragraph if tag else None, message, fix, order=tag.start if tag else 0)

    # 4. what the sandbox refuses when rendering: found here, before a user meets it
    def _check_unsafe(self, ast) -> None:
        from jinja2 import nodes

        for node in ast.find_all((nodes.Include, nodes.Import, nodes.FromImport, nodes.Extends)):
            word = {nodes.Include: "include", nodes.Import: "import", nodes.FromImport: "from",
                    nodes.Extends: "extends"}[type(node)]
            self._unsafe(node.lineno, word, f"подключение другого файла («{word}»)",
                         "шаблон DOCX не может читать другие файлы; перенесите нужный текст в сам шаблон.")
        names = [(n.lineno, n.attr) for n in ast.find_all(nodes.Getattr)]
        names += [(n.lineno, n.arg.value) for n in ast.find_all(nodes.Getitem)
                  if isinstance(n.arg, nodes.Const) and isinstance(n.arg.value, str)]
        names += [(n.lineno, arg.value) for n in ast.find_all(nodes.Filter) if n.name == "attr"
                  for arg in n.args if isinstance(arg, nodes.Const) and isinstance(arg.value, str)]
        names += [(n.lineno, found) for n in ast.find_all(nodes.Const) if isinstance(n.value, str)
                  for found in re.findall(r"__\w+__", n.value)]      # «'{0.__class__}'.format(…)»
        first: dict[int, str] = {}    # one finding per line: the name that comes first in its text
        for line, name in names:
            text = _line_text(self.part.numbered_xml, line)
            if name.startswith("_") and (line not in first or 0 <= text.find(name) < text.find(first[line])):
                first[line] = name
        for line, name in sorted(first.items()):
            self._unsafe(line, name, f"недопустимое обращение «{name}»",
                         "шаблон может только подставлять поля документа; служебные атрибуты (на «_») ему недоступны.")

    def _unsafe(self, line: int, name: str, what: str, fix: str) -> None:
        tag = self._tag_naming(line, name)
        where = self.in_paragraph(tag) if tag else f"в тексте «{_quote(_line_text(self.part.numbered_xml, line))}»"
        self.add(tag.paragraph if tag else None, f"{what} {where}.", fix, order=tag.start if tag else 0)

    def _tag_naming(self, line: int, name: str) -> _Tag | None:
        pattern = re.compile(rf"(?<![\w]){re.escape(name)}(?!\w)")
        for number, index, text in self._patched_tags:
            if number == line and pattern.search(text):
                return self._raw(index)
        return None


def _without(text: str, tag: _Tag) -> str:
    return text[:tag.start] + text[tag.end:]


def _closing(opener: _Tag, word: str) -> str:
    return f"{{%{opener.prefix} {word} %}}" if opener.prefix else f"{{% {word} %}}"


def _standalone(tag: str) -> str:
    """A tag that Jinja can parse on its own: a block opener gets its end tag; a middle or end tag is
    replaced by a harmless one (it cannot be judged alone)."""
    found = KEYWORD.match(tag)
    if not found:
        return tag
    word = found.group(1)
    if word in BLOCKS:
        return f"{tag}{{% end{word} %}}"
    if word in MIDDLES or word.startswith("end"):
        return ""
    return tag


def _line_text(numbered_xml: str, line: int) -> str:
    lines = numbered_xml.split("\n")
    text = lines[line - 1] if 0 < line <= len(lines) else ""
    return html.unescape(re.sub(r"<[^>]+>", "", text))


def _fragments(count: int) -> str:
    if count % 10 == 1 and count % 100 != 11:
        return "фрагмент"
    if count % 10 in (2, 3, 4) and count % 100 not in (12, 13, 14):
        return "фрагмента"
    return "фрагментов"


def _straddled(pieces: list) -> tuple[str, str, bool] | None:
    """(accusative, nominative, is a container) of what the rejoining of a split tag would cut, if anything."""
    def containers(t):
        return [a for a in t.iterancestors() if a.tag in CONTAINERS]

    first = containers(pieces[0])
    for piece in pieces[1:]:
        other = containers(piece)
        if other != first:
            changed = [a for a in first + other if a not in first or a not in other]
            return (*CONTAINERS[changed[0].tag], True)
    paragraph = next(pieces[0].iterancestors(W + "p"))
    inside = False
    for element in paragraph.iter():
        if element is pieces[0]:
            inside = True
        elif element is pieces[-1]:
            break
        elif inside and element.tag in FIELD_CODES:
            return "поле", "поле", False
    return None


def _styles_differ(pieces: list) -> bool:
    from lxml import etree

    def style(t):
        run = t.getparent()
        props = run.find(W + "rPr") if run is not None else None
        if props is None:
            return b""
        props = etree.fromstring(etree.tostring(props))
        for noise in props.findall(W + "lang") + props.findall(W + "noProof"):
            props.remove(noise)
        return etree.tostring(props, method="c14n")

    return len({style(t) for t in pieces}) > 1


_JINJA_TOKENS = {"end of statement block": "%}", "end of print statement": "}}", "end of template": "конец шаблона",
                 "name": "имя", "integer": "число", "float": "число", "string": "строка"}


def _token(name: str) -> str:
    return _JINJA_TOKENS.get(name, name)


SYNTAX_FIX = ("запишите тег полностью: {{ поле }}, {% if условие %} … {% endif %}, "
              "{% for строка in список %} … {% endfor %}.")


def _russian(message: str) -> tuple[str, str]:
    """Jinja's syntax error message in Russian (the original when it is not one of the usual ones), and the fix."""
    patterns = [
        (r"Expected an expression, got '(end of statement block|end of print statement)'",
         lambda m: "не хватает выражения, тег закончился раньше"),
        (r"Expected an expression, got '(.+)'", lambda m: f"ожидалось выражение, а стоит «{_token(m[1])}»"),
        (r"expected token '(.+?)', got '(end of statement block|end of print statement)'",
         lambda m: f"ожидалось «{_token(m[1])}», а тег закончился"),
        (r"expected token '(.+?)', got '(.+)'", lambda m: f"ожидалось «{_token(m[1])}», а стоит «{_token(m[2])}»"),
        (r"unexpected char '(.+?)' at \d+", lambda m: f"недопустимый знак «{m[1]}»"),
        (r"unexpected '(end of statement block|end of print statement)'",
         lambda m: "тег закончился раньше, чем выражение"),
        (r"unexpected '(.+?)', expected '(.+?)'", lambda m: f"лишний знак «{m[1]}», ожидалось «{_token(m[2])}»"),
        (r"unexpected '(.+?)'", lambda m: f"лишний знак «{m[1]}»"),
        (r"tag name expected", lambda m: "после «{%» нет имени тега"),
        (r"expected name or number", lambda m: "после точки нет имени поля"),
        (r"Missing end of comment tag", lambda m: "комментарий не закрыт знаками «#}»"),
        (r"Encountered unknown tag '(.+?)'", lambda m: f"неизвестный тег «{m[1]}»"),
        (r"[Uu]nexpected end of template", lambda m: "шаблон закончился внутри тега"),
    ]
    spaced = re.match(r"Encountered unknown tag '(p|tr|tc|r)'", message)
    if spaced:
        word = spaced[1]
        return (f"неизвестный тег «{word}»: между «{{%» и «{word}» не должно быть пробела",
                f"пишите «{{%{word} …%}}» слитно, например «{{%{word} if условие %}}».")
    for pattern, russian in patterns:
        found = re.match(pattern, message)
        if found:
            return russian(found), SYNTAX_FIX
    return f"ошибка Jinja: {message}", SYNTAX_FIX


# ---------------------------------------------------------------- view-model shapes

@dataclasses.dataclass(frozen=True)
class _Record:
    classes: tuple[type, ...]
    bindings: tuple[tuple[object, object], ...] = ()   # type variable → type, for a generic view class


@dataclasses.dataclass(frozen=True)
class _Seq:
    element: object


def _fields(cls: type) -> dict[str, object]:
    return _fields_of(_Record((cls,)))


@functools.cache
def _fields_of(shape) -> dict[str, object]:
    """Names a template may read from a value of this shape (fields, then public properties) → their shapes."""
    if not isinstance(shape, _Record):
        return {}
    names: dict[str, object] = {}
    for cls in shape.classes:
        hints = typing.get_type_hints(cls)
        for field in dataclasses.fields(cls):
            names.setdefault(field.name, _shape_of(_bound(hints.get(field.name), shape.bindings)))
        for name, member in vars(cls).items():
            if isinstance(member, property) and not name.startswith("_"):
                names.setdefault(name, _shape_of(typing.get_type_hints(member.fget).get("return")))
    return names


def _bound(annotation, bindings: tuple[tuple[object, object], ...]):
    """`annotation` with the type variables of a generic view class replaced: tuple[Row, ...] → tuple[X, ...]."""
    if not bindings:
        return annotation
    mapping = dict(bindings)
    if annotation in mapping:
        return mapping[annotation]
    parameters = getattr(annotation, "__parameters__", ())
    if parameters:
        return annotation[tuple(mapping.get(p, p) for p in parameters)]
    return annotation


def _shape_of(annotation):
    """_Record for a dataclass (or a union of them, or a generic one such as ReportSection[ClauseRow]),
    _Seq for tuple[X, ...], None when unknown or plain."""
    if dataclasses.is_dataclass(annotation) and isinstance(annotation, type):
        return _Record((annotation,))
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if dataclasses.is_dataclass(origin) and isinstance(origin, type):
        return _Record((origin,), tuple(zip(getattr(origin, "__parameters__", ()), args)))
    if origin in (typing.Union, types.UnionType):
        shapes = [_shape_of(a) for a in args if a is not type(None)]
        if len(shapes) == 1:
            return shapes[0]
        if shapes and all(isinstance(s, _Record) for s in shapes):
            return _Record(tuple(c for s in shapes for c in s.classes))
        return None
    if annotation in (tuple, list) or origin in (tuple, list, Sequence):
        if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
            return _Seq(_shape_of(args[0]))
        return _Seq(_shape_of(args[0]) if len(args) == 1 else None)
    return None


class _Walker:
    """Walks a Jinja AST with the shape of each name in scope; collects names and fields the view lacks."""

    def __init__(self, top: dict[str, object]):
        self.top = top
        self.unknown: list[tuple[int, str, str, str | None, object]] = []   # line, chain, name, owner, shape

    def visit(self, node, scope: dict[str, tuple[object, str]]) -> None:
        from jinja2 import nodes

        if isinstance(node, nodes.For):
            self.visit(node.iter, scope)
            inner = dict(scope)
            inner["loop"] = (None, "loop")
            element = self.shape(node.iter, scope)
            element = element.element if isinstance(element, _Seq) else None
            for name in self.targets(node.target):
                inner[name] = (element if isinstance(node.target, nodes.Name) else None, name)
            for child in ([node.test] if node.test else []) + node.body:
                self.visit(child, inner)
            for child in node.else_:
                self.visit(child, scope)
        elif isinstance(node, nodes.Assign):
            self.visit(node.node, scope)
            for name in self.targets(node.target):
                scope[name] = (self.shape(node.node, scope) if isinstance(node.target, nodes.Name) else None, name)
        elif isinstance(node, (nodes.AssignBlock, nodes.With, nodes.Macro, nodes.CallBlock)):
            inner = dict(scope)
            for child in node.iter_child_nodes():
                if isinstance(child, nodes.Name) and child.ctx in ("store", "param"):
                    inner[child.name] = (None, child.name)
                    if isinstance(node, nodes.AssignBlock):
                        scope[child.name] = (None, child.name)
            if isinstance(node, nodes.Macro):
                scope[node.name] = (None, node.name)
                for name in ("caller", "varargs", "kwargs"):
                    inner[name] = (None, name)
            for child in node.iter_child_nodes():
                if not (isinstance(child, nodes.Name) and child.ctx in ("store", "param")):
                    self.visit(child, inner)
        elif isinstance(node, nodes.Name):
            if node.ctx == "load" and node.name not in scope and node.name not in self.top:
                self.unknown.append((node.lineno, node.name, node.name, None, None))
        elif isinstance(node, (nodes.Getattr, nodes.Getitem)):
            name = self.member(node)
            owner = self.shape(node.node, scope)
            if name is not None and isinstance(owner, _Record) and name not in _fields_of(owner):
                self.unknown.append((node.lineno, self.chain(node), name, self.chain(node.node), owner))
            self.visit(node.node, scope)
            if isinstance(node, nodes.Getitem):
                self.visit(node.arg, scope)
        else:
            for child in node.iter_child_nodes():
                self.visit(child, scope)

    @staticmethod
    def targets(target) -> list[str]:
        from jinja2 import nodes

        if isinstance(target, nodes.Name):
            return [target.name]
        return [n.name for n in target.find_all(nodes.Name)]

    @staticmethod
    def member(node) -> str | None:
        from jinja2 import nodes

        if isinstance(node, nodes.Getattr):
            return node.attr
        if isinstance(node.arg, nodes.Const) and isinstance(node.arg.value, str):
            return node.arg.value
        return None

    def shape(self, node, scope):
        from jinja2 import nodes

        if isinstance(node, nodes.Name):
            if node.name in scope:
                return scope[node.name][0]
            return self.top.get(node.name)
        if isinstance(node, (nodes.Getattr, nodes.Getitem)):
            owner = self.shape(node.node, scope)
            name = self.member(node)
            if name is not None:
                return _fields_of(owner).get(name) if isinstance(owner, _Record) else None
            if isinstance(owner, _Seq) and isinstance(node.arg, nodes.Const) and isinstance(node.arg.value, int):
                return owner.element
        return None

    def chain(self, node) -> str:
        from jinja2 import nodes

        if isinstance(node, nodes.Name):
            return node.name
        if isinstance(node, (nodes.Getattr, nodes.Getitem)):
            name = self.member(node)
            if name is not None:
                return f"{self.chain(node.node)}.{name}"
            index = node.arg.value if isinstance(node.arg, nodes.Const) else "…"
            return f"{self.chain(node.node)}[{index}]"
        return "…"


def _default_dir() -> Path:
    from compliance.render.docx import default_templates_dir

    return default_templates_dir()
