"""(Re)create templates/order.docx, acknowledgement_sheet.docx, monthly_report.docx and order_register.docx.

Run from anywhere: `python templates/make_templates.py`. The templates are data the institution may
restyle in Word; rerunning this script resets them to the layout below (A4, Times New Roman, ГОСТ margins).

Why python-docx and not a hand-made .docx: every Jinja tag is written as one run, so docxtpl always sees it
whole, and the layout stays reviewable as code. Output bytes are deterministic, so a rerun shows no diff.
"""
from __future__ import annotations

import datetime
import io
import sys
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_ROW_HEIGHT_RULE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt

HERE = Path(__file__).resolve().parents[1] / "templates"
if (HERE.parent / "compliance").is_dir():
    sys.path.insert(0, str(HERE.parent))

from compliance.render.deterministic import normalise_zip  # noqa: E402
from compliance.views.acknowledgement_sheet import SHEET_COLUMNS  # noqa: E402
from compliance.views.order import GROUP_COLUMNS  # noqa: E402
from compliance.views.order_register import REGISTER_COLUMNS  # noqa: E402
from compliance.views import monthly_report as report_view  # noqa: E402

FONT = "Times New Roman"
BODY_PT = 14
TABLE_PT = 12
WIDE_TABLE_PT = 10        # the seven-column table of groups in the order
REPORT_TABLE_PT = 10
TEXT_WIDTH_MM = 170       # A4 210 mm minus margins 30 + 10
LANDSCAPE_TEXT_WIDTH_MM = 257
FIXED_TIME = datetime.datetime(2000, 1, 1)

LEFT, CENTER, RIGHT, JUSTIFY = (WD_ALIGN_PARAGRAPH.LEFT, WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.RIGHT,
                                WD_ALIGN_PARAGRAPH.JUSTIFY)

# Column widths in mm, sized so that no header word and no date breaks in the middle (measured with the
# metrics of Times New Roman). The view's relative widths suit XLSX and PDF; here the narrow columns need
# more room than their share, since a Word table cannot shrink a word. «\u00ad» is an optional hyphen.
ORDER_WIDTHS_MM = (9, 27, 22, 30, 33, 30, 19)
SHEET_WIDTHS_MM = (12, 60, 40, 30, 28)
REGISTER_WIDTHS_MM = (18, 22, 80, 37, 30, 35, 35)

# The monthly report's columns come from its view module; only the widths (mm) are the template's own.
REPORT_WIDTHS_MM = {
    "clauses": (15, 40, 28, 87),
    "groups": (9, 25, 23, 28, 22, 25, 13, 25),
    "coverage": (60, 20, 16, 14, 22, 24, 14),
    "overdue": (10, 28, 22, 56, 34, 20),
    "overdue_groups": (9, 58, 28, 25, 28, 22),
    "activity": (50, 30, 23, 23, 20, 24),
    "admin_findings": (10, 95, 65),
    "violations": (8, 20, 30, 14, 35, 35, 28),
    "chat_findings": (8, 20, 27, 14, 45, 23, 33),
    "concealment": (8, 20, 32, 14, 66, 30),
}
REPORT_COLUMNS = {
    section: tuple((c.header, c.field, w) for c, w in zip(columns, REPORT_WIDTHS_MM[section], strict=True))
    for section, columns in (("clauses", report_view.CLAUSE_COLUMNS),
                             ("groups", report_view.GROUP_COLUMNS), ("coverage", report_view.COVERAGE_COLUMNS),
                             ("overdue", report_view.OVERDUE_COLUMNS),
                             ("overdue_groups", report_view.OVERDUE_GROUP_COLUMNS),
                             ("activity", report_view.ACTIVITY_COLUMNS),
                             ("admin_findings", report_view.FINDING_COLUMNS),
                             ("violations", report_view.VIOLATION_COLUMNS),
                             ("chat_findings", report_view.CHAT_COLUMNS), ("concealment", report_view.CONCEALMENT_COLUMNS))
}


# ---------------------------------------------------------------- document and styles

def new_document(title: str):
    doc = Document()
    _set_defaults(doc)
    _add_body_style(doc)
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin, section.right_margin = Mm(30), Mm(10)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.header_distance, section.footer_distance = Mm(10), Mm(10)
    props = doc.core_properties
    props.author = props.last_modified_by = "compliance"
    props.title, props.comments, props.subject, props.keywords = title, "", "", ""
    props.language = "ru-RU"
    props.revision = 1
    props.created = props.modified = props.last_printed = FIXED_TIME
    _modern_word_settings(doc)
    # python-docx starts with one empty paragraph; drop it so the document opens with our first line.
    body = doc.element.body
    for p in body.findall(qn("w:p")):
        body.remove(p)
    return doc


def _modern_word_settings(doc) -> None:
    """Word 2013+ layout (else Word shows «Режим ограниченной функциональности»), no blank Letter thumbnail."""
    from docx.opc.constants import RELATIONSHIP_TYPE

    settings = doc.settings.element
    for setting in settings.iter(qn("w:compatSetting")):
        if setting.get(qn("w:name")) == "compatibilityMode":
            setting.set(qn("w:val"), "15")
    language = settings.find(qn("w:themeFontLang"))
    if language is not None:
        language.set(qn("w:val"), "ru-RU")
    package = doc.part.package
    for rel_id, rel in list(package.rels.items()):
        if rel.reltype == RELATIONSHIP_TYPE.THUMBNAIL:
            package.rels.pop(rel_id)


def _fonts_element() -> OxmlElement:
    fonts = OxmlElement("w:rFonts")
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), FONT)
    return fonts


def _set_defaults(doc) -> None:
    """Times New Roman everywhere, Russian language, single spacing without gaps between paragraphs."""
    styles = doc.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    # Theme fonts (asciiTheme=minorHAnsi…) would win over named ones: replace the element.
    rpr.replace(rpr.find(qn("w:rFonts")), _fonts_element())
    lang = rpr.find(qn("w:lang"))
    lang.set(qn("w:val"), "ru-RU")
    lang.set(qn("w:eastAsia"), "ru-RU")
    spacing = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr")).find(qn("w:spacing"))
    spacing.set(qn("w:after"), "0")
    spacing.set(qn("w:line"), "240")
    spacing.set(qn("w:lineRule"), "auto")

    normal = doc.styles["Normal"]
    normal.font.size = Pt(BODY_PT)
    normal_rpr = normal.element.get_or_add_rPr()
    old = normal_rpr.find(qn("w:rFonts"))
    if old is not None:
        normal_rpr.remove(old)
    normal_rpr.insert(0, _fonts_element())
    fmt = normal.paragraph_format
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.line_spacing = 1.0
    fmt.widow_control = True
    for name in ("Header", "Footer"):
        doc.styles[name].font.size = Pt(TABLE_PT)
    # One footer tab, at the right edge of this page's text (the default ones are for Letter paper).
    tabs = doc.styles["Footer"].paragraph_format.tab_stops
    tabs.clear_all()
    tabs.add_tab_stop(Mm(TEXT_WIDTH_MM), WD_TAB_ALIGNMENT.RIGHT)


def _add_body_style(doc) -> None:
    """«Текст документа»: justified, 1.25 cm first-line indent; a Word user restyles all body text at once."""
    from docx.enum.style import WD_STYLE_TYPE

    style = doc.styles.add_style("Текст документа", WD_STYLE_TYPE.PARAGRAPH)
    style.style_id = "DocBody"
    style.base_style = doc.styles["Normal"]
    style.quick_style = True
    fmt = style.paragraph_format
    fmt.alignment = JUSTIFY
    fmt.first_line_indent = Cm(1.25)


def save(doc, path: Path) -> None:
    buffer = io.BytesIO()
    doc.save(buffer)
    path.write_bytes(normalise_zip(buffer.getvalue()))


# ---------------------------------------------------------------- paragraphs

def par(container, *runs: str, align=LEFT, size: float | None = None, bold: bool = False, body: bool = False,
        before: float = 0, after: float = 0, left_indent_cm: float | None = None, keep_next: bool = False):
    """Add a paragraph; each string in `runs` becomes one run, so a Jinja tag is never split."""
    p = container.add_paragraph(style="Текст документа" if body else None)
    fmt = p.paragraph_format
    if not body:
        fmt.alignment = align
    if before:
        fmt.space_before = Pt(before)
    if after:
        fmt.space_after = Pt(after)
    if left_indent_cm is not None:
        fmt.left_indent = Cm(left_indent_cm)
    if keep_next:
        fmt.keep_with_next = True
    for text in runs:
        run = p.add_run(text)
        run.bold = bold or None
        if size:
            run.font.size = Pt(size)
    return p


def tag(container, text: str):
    """A paragraph holding only a docxtpl `{%p … %}` tag; docxtpl removes it when rendering."""
    return container.add_paragraph(text)


def field(paragraph, instruction: str, placeholder: str, size: float) -> None:
    """A real Word field (PAGE, NUMPAGES) as fldChar runs, which Word and LibreOffice both update."""
    def run_with(element):
        run = paragraph.add_run()
        run.font.size = Pt(size)
        run._r.append(element)

    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    run_with(begin)
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    run_with(instr)
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    run_with(separate)
    paragraph.add_run(placeholder).font.size = Pt(size)
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run_with(end)


STAMP = "{% if stamp %}{{ stamp.footer }}{% endif %}"   # the records fingerprint, for `compliance verify`
STAMP_PT = 8


def stamp_run(paragraph) -> None:
    paragraph.add_run(STAMP).font.size = Pt(STAMP_PT)


def stamp_and_qr_footers(doc) -> None:
    """The records fingerprint at the bottom left of every page; on page 1 the QR code at the bottom right
    (ГОСТ Р 7.0.97-2025, requisite 31). Word moves the text of page 1 up to make room for the code."""
    section = doc.sections[0]
    section.footer.is_linked_to_previous = False
    stamp_run(section.footer.paragraphs[0])
    first = section.first_page_footer
    first.is_linked_to_previous = False
    p = first.paragraphs[0]
    stamp_run(p)
    p.add_run("\t")
    p.add_run("{% if qr %}{{ qr }}{% endif %}")   # the renderer puts the picture of the code in place of its text


def page_numbers_from_second_page(doc) -> None:
    """ГОСТ: digits only, centred in the top margin, none on page 1."""
    section = doc.sections[0]
    section.different_first_page_header_footer = True
    section.first_page_header.is_linked_to_previous = False
    header = section.header
    header.is_linked_to_previous = False
    p = header.paragraphs[0]
    p.paragraph_format.alignment = CENTER
    field(p, "PAGE", "2", TABLE_PT)


def page_of_pages_footer(doc) -> None:
    """The records fingerprint at the bottom left and «стр. N из M» at the bottom right of every page,
    so a loose sheet is known to be complete."""
    footer = doc.sections[0].footer
    footer.is_linked_to_previous = False
    p = footer.paragraphs[0]
    stamp_run(p)
    size = 10
    p.add_run("\tстр. ").font.size = Pt(size)
    field(p, "PAGE", "1", size)
    p.add_run(" из ").font.size = Pt(size)
    field(p, "NUMPAGES", "1", size)


# ---------------------------------------------------------------- tables

# w:tblPr is an ordered sequence in the schema; Word rejects a file whose children are out of order.
TBLPR_ORDER = ("tblStyle", "tblpPr", "tblOverlap", "bidiVisual", "tblStyleRowBandSize", "tblStyleColBandSize",
               "tblW", "jc", "tblCellSpacing", "tblInd", "tblBorders", "shd", "tblLayout", "tblCellMar", "tblLook",
               "tblCaption", "tblDescription")


def _insert_in_order(parent, element, order: tuple[str, ...]) -> None:
    name = element.tag.split("}")[1]
    later = set(order[order.index(name) + 1:])
    for child in parent:
        if child.tag.split("}")[1] in later:
            child.addprevious(element)
            return
    parent.append(element)


def _set_borders(table, visible: bool) -> None:
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        if visible:
            element.set(qn("w:val"), "single")
            element.set(qn("w:sz"), "4")
            element.set(qn("w:space"), "0")
            element.set(qn("w:color"), "000000")
        else:
            element.set(qn("w:val"), "nil")
        borders.append(element)
    _insert_in_order(tbl_pr, borders, TBLPR_ORDER)


def _set_cell_margins(table, side_mm: float) -> None:
    margins = OxmlElement("w:tblCellMar")
    twips = str(round(side_mm / 25.4 * 1440))
    for edge, value in (("top", "0"), ("left", twips), ("bottom", "0"), ("right", twips)):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:w"), value)
        element.set(qn("w:type"), "dxa")
        margins.append(element)
    _insert_in_order(table._tbl.tblPr, margins, TBLPR_ORDER)


def _mark_header_row(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    tr_pr.append(OxmlElement("w:tblHeader"))
    tr_pr.append(OxmlElement("w:cantSplit"))


def _cant_split(row) -> None:
    row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))


def new_table(container, widths_mm: list[float], *, borders: bool):
    """A fixed-layout table: widths on the grid and on every cell (LibreOffice ignores cell widths alone)."""
    table = container.add_table(rows=0, cols=len(widths_mm))
    table.style = None
    table.autofit = False
    width = table._tbl.tblPr.find(qn("w:tblW"))
    if width is None:
        width = OxmlElement("w:tblW")
        _insert_in_order(table._tbl.tblPr, width, TBLPR_ORDER)
    width.set(qn("w:w"), str(round(sum(widths_mm) / 25.4 * 1440)))
    width.set(qn("w:type"), "dxa")
    _set_borders(table, borders)
    _set_cell_margins(table, 1.0 if borders else 0.0)
    for column, w in zip(table.columns, widths_mm):
        column.width = Mm(w)
    return table


def add_row(table, widths_mm: list[float], texts: list[list[str]], *, size: float, bold: bool = False,
            align=LEFT, aligns: list | None = None, valign=WD_CELL_VERTICAL_ALIGNMENT.TOP):
    """One row; texts[i] are the runs of cell i (each run a separate w:r)."""
    row = table.add_row()
    for i, (cell, w) in enumerate(zip(row.cells, widths_mm)):
        cell.width = Mm(w)
        cell.vertical_alignment = valign
        p = cell.paragraphs[0]
        p.paragraph_format.alignment = aligns[i] if aligns else align
        for text in texts[i]:
            run = p.add_run()
            for k, piece in enumerate(text.split("\u00ad")):
                if k:
                    run._r.append(OxmlElement("w:softHyphen"))
                run.add_text(piece)
            run.bold = bold or None
            run.font.size = Pt(size)
    return row


def data_table(container, columns, loop: str, item: str, *, size: float, min_row_height_mm: float | None = None,
               aligns: list | None = None, text_width_mm: float = TEXT_WIDTH_MM):
    """Gridded table: repeating header row, then `{%tr for item in loop %}` over one template row.

    `columns` are (header, field, width in mm).
    """
    widths = [float(c[2]) for c in columns]
    assert abs(sum(widths) - text_width_mm) < 0.5, (columns, sum(widths))
    table = new_table(container, widths, borders=True)
    header = add_row(table, widths, [[c[0]] for c in columns], size=size, bold=True, align=CENTER,
                     valign=WD_CELL_VERTICAL_ALIGNMENT.CENTER)
    _mark_header_row(header)
    n = len(columns)
    add_row(table, widths, [[f"{{%tr for {item} in {loop} %}}"]] + [[]] * (n - 1), size=size)
    row = add_row(table, widths, [[f"{{{{ {item}.{c[1]} }}}}"] for c in columns], size=size, aligns=aligns)
    _cant_split(row)
    if min_row_height_mm:
        row.height = Mm(min_row_height_mm)
        row.height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST
        for cell in row.cells:
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    add_row(table, widths, [["{%tr endfor %}"]] + [[]] * (n - 1), size=size)
    return table


def signature_table(container, signature: str, *, with_blank: bool, size: float = BODY_PT, keep_next: bool = False):
    """Borderless: position at the left margin, «И.О. Фамилия» flush right (ГОСТ реквизит 22)."""
    if with_blank:
        widths = [80.0, 45.0, 45.0]
        texts = [[f"{{{{ {signature}.position }}}}"], ["____________"], [f"{{{{ {signature}.name }}}}"]]
        aligns = [LEFT, CENTER, RIGHT]
    else:
        widths = [110.0, 60.0]
        texts = [[f"{{{{ {signature}.position }}}}"], [f"{{{{ {signature}.name }}}}"]]
        aligns = [LEFT, RIGHT]
    table = new_table(container, widths, borders=False)
    row = add_row(table, widths, texts, size=size, aligns=aligns, valign=WD_CELL_VERTICAL_ALIGNMENT.BOTTOM)
    if keep_next:
        for cell in row.cells:
            cell.paragraphs[0].paragraph_format.keep_with_next = True
    return table


def letterhead(doc) -> None:
    tag(doc, "{%p if letterhead.founder %}")
    par(doc, "{{ letterhead.founder }}", align=CENTER, size=TABLE_PT, after=6)
    tag(doc, "{%p endif %}")
    par(doc, "{{ letterhead.name }}", align=CENTER, bold=True)
    par(doc, "(", "{{ letterhead.short_name }}", ")", align=CENTER)


def end_paragraph(doc) -> None:
    """Word wants a paragraph after a final table; keep it tiny so it never starts a page of its own."""
    p = doc.add_paragraph()
    p.paragraph_format.line_spacing = Pt(1)
    p.add_run().font.size = Pt(1)


# ---------------------------------------------------------------- the three templates

def make_order(path: Path) -> None:
    doc = new_document("Приказ")
    page_numbers_from_second_page(doc)
    stamp_and_qr_footers(doc)

    tag(doc, "{%p if draft_mark %}")
    par(doc, "{{ draft_mark }}", align=RIGHT, bold=True, after=6)
    tag(doc, "{%p endif %}")
    letterhead(doc)
    par(doc, "{{ doc_type }}", align=CENTER, bold=True, before=18, after=12)

    widths = [85.0, 85.0]
    table = new_table(doc, widths, borders=False)
    add_row(table, widths, [["{{ date }}"], ["{{ number }}"]], size=BODY_PT, aligns=[LEFT, RIGHT])
    par(doc, "{{ letterhead.place }}", align=CENTER, before=6, after=18)

    par(doc, "{{ heading }}", bold=True, after=12, keep_next=True)
    par(doc, "{{ preamble }}", body=True)
    par(doc, "{{ command }}", before=6, after=6)
    # An order that creates no groups (a new edition of the rules) has neither this point nor the table.
    tag(doc, "{%p if create_point.text %}")
    par(doc, "{{ create_point.number }}", " ", "{{ create_point.text }}", body=True, after=6, keep_next=True)
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if groups %}")
    columns = [(c.header, c.field, w) for c, w in zip(GROUP_COLUMNS, ORDER_WIDTHS_MM, strict=True)]
    aligns = [CENTER, LEFT, CENTER, LEFT, LEFT, LEFT, CENTER]
    data_table(doc, columns, "groups", "row", size=WIDE_TABLE_PT, aligns=aligns)
    tag(doc, "{%p endif %}")

    # Keep-with-next down to the signature: it never stands alone on a page without text above it.
    tag(doc, "{%p for p in points %}")
    par(doc, "{{ p.number }}", " ", "{{ p.text }}", body=True, before=6, keep_next=True)
    tag(doc, "{%p endfor %}")

    par(doc, "", keep_next=True)
    par(doc, "", keep_next=True)
    signature_table(doc, "signature", with_blank=False)

    par(doc, "{{ acquainted_heading }}", before=24, after=6, keep_next=True)
    widths = [55.0, 28.0, 35.0, 52.0]
    table = new_table(doc, widths, borders=False)
    add_row(table, widths, [["{%tr for a in acquainted %}"], [], [], []], size=TABLE_PT)
    row = add_row(table, widths, [["{{ a.position }}"], ["____________"], ["{{ a.name }}"], ["{{ a.blank }}"]],
                  size=TABLE_PT, aligns=[LEFT, CENTER, LEFT, RIGHT], valign=WD_CELL_VERTICAL_ALIGNMENT.BOTTOM)
    row.height, row.height_rule = Mm(10), WD_ROW_HEIGHT_RULE.AT_LEAST
    _cant_split(row)
    add_row(table, widths, [["{%tr endfor %}"], [], [], []], size=TABLE_PT)

    par(doc, "{{ executor }}", size=10, before=24)
    appendices(doc)
    save(doc, path)


CORNER_CM = 8.0           # ГОСТ Р 7.0.97-2025: corner requisites at most 8 cm long
ITEM_TEXT_CM = 1.8        # list items: the dash at the paragraph indent (1.25 cm), the text from here


def _add_item_style(doc) -> None:
    """«Пункт перечня»: a list item with a hanging indent. The dash stands at the paragraph indent and a tab
    takes the text to the indent, so wrapped lines align with it (a space would stretch in justified text)."""
    from docx.enum.style import WD_STYLE_TYPE

    style = doc.styles.add_style("Пункт перечня", WD_STYLE_TYPE.PARAGRAPH)
    style.style_id = "ListItem"
    style.base_style = doc.styles["Normal"]
    style.quick_style = True
    fmt = style.paragraph_format
    fmt.alignment = JUSTIFY
    fmt.left_indent = Cm(ITEM_TEXT_CM)
    fmt.first_line_indent = Cm(1.25 - ITEM_TEXT_CM)
    fmt.tab_stops.add_tab_stop(Cm(ITEM_TEXT_CM))


def appendices(doc) -> None:
    """The acts the order approves, each from a new page: the appendix mark and the approval stamp at the
    top right (a block 8 cm wide, lines left-aligned), the act's name centred, then its text."""
    _add_item_style(doc)
    corner = TEXT_WIDTH_MM / 10 - CORNER_CM
    tag(doc, "{%p for a in appendices %}")
    # An empty, 1 pt high paragraph that starts the page: the mark lines are a loop, and a page break
    # on the mark paragraph itself would repeat for every line.
    p = doc.add_paragraph()
    p.paragraph_format.page_break_before = True
    p.paragraph_format.line_spacing = Pt(1)
    p.add_run().font.size = Pt(1)
    tag(doc, "{%p for line in a.mark %}")
    par(doc, "{{ line }}", size=TABLE_PT, left_indent_cm=corner)
    tag(doc, "{%p endfor %}")
    par(doc, "", size=TABLE_PT, left_indent_cm=corner)
    tag(doc, "{%p for line in a.approval %}")
    par(doc, "{{ line }}", size=TABLE_PT, left_indent_cm=corner)
    tag(doc, "{%p endfor %}")
    par(doc, "{{ a.doc_type }}", align=CENTER, bold=True, before=28, keep_next=True)
    par(doc, "{{ a.heading }}", align=CENTER, bold=True, keep_next=True)
    tag(doc, "{%p if a.edition %}")
    par(doc, "{{ a.edition }}", align=CENTER, keep_next=True)
    tag(doc, "{%p endif %}")
    par(doc, "", keep_next=True)
    tag(doc, "{%p for b in a.blocks %}")
    tag(doc, '{%p if b.kind == "heading" %}')
    par(doc, "{{ b.text }}", align=CENTER, bold=True, before=8, after=4, keep_next=True)
    tag(doc, '{%p elif b.kind == "item" %}')
    item = doc.add_paragraph(style="Пункт перечня")
    item.add_run('{{ b.text|replace("– ", "–\\t") }}')   # docxtpl turns the tab character into a Word tab
    tag(doc, "{%p else %}")
    par(doc, "{{ b.text }}", body=True)
    tag(doc, "{%p endif %}")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p endfor %}")


def make_acknowledgement_sheet(path: Path) -> None:
    doc = new_document("Лист ознакомления")
    page_of_pages_footer(doc)

    # Corner requisite: lines left-aligned in a block 8 cm wide at the right edge (ГОСТ Р 7.0.97-2025).
    tag(doc, "{%p for line in appendix_mark %}")
    par(doc, "{{ line }}", size=TABLE_PT, left_indent_cm=(TEXT_WIDTH_MM / 10) - 8)
    tag(doc, "{%p endfor %}")
    par(doc, "{{ letterhead.short_name }}", align=CENTER, before=18)
    par(doc, "{{ heading }}", align=CENTER, bold=True, before=12)
    par(doc, "{{ subject }}", align=CENTER)
    par(doc, "{{ approval }}", align=CENTER, after=12)
    par(doc, "{{ group }}")
    par(doc, "{{ admin }}")
    par(doc, "{{ deadline }}", after=12)

    columns = [(c.header, c.field, w) for c, w in zip(SHEET_COLUMNS, SHEET_WIDTHS_MM, strict=True)]
    data_table(doc, columns, "rows", "r", size=TABLE_PT, min_row_height_mm=8.0,
               aligns=[CENTER, LEFT, LEFT, CENTER, LEFT])

    par(doc, "{{ total }}", before=12, after=24, keep_next=True)
    signature_table(doc, "admin_signature", with_blank=True)
    end_paragraph(doc)
    save(doc, path)


REPORT_NUMERIC = {"number", "members", "acknowledged", "coverage", "required", "on_time", "late", "missing",
                  "monitoring", "publications", "other", "deletions", "deadline", "date", "registered", "clause"}


def report_section(doc, section: str, *, page_break: bool = False, variant: str | None = None):
    """Title, lead, then the table, or the section's `empty` text when it has no rows; returns the table.
    A section whose rows come in two kinds (`variant`: the overdue list by person or by group) gets a table for
    each, the one whose first column field matches the view's columns kept."""
    title = par(doc, f"{{{{ {section}.title }}}}", bold=True, before=0 if page_break else 12, after=6, keep_next=True)
    title.paragraph_format.page_break_before = page_break or None
    tag(doc, f"{{%p if {section}.lead %}}")
    par(doc, f"{{{{ {section}.lead }}}}", body=True, after=6, keep_next=True)
    tag(doc, "{%p endif %}")
    columns = REPORT_COLUMNS[section]
    if variant is None:
        tag(doc, f"{{%p if {section}.rows %}}")
    else:
        tag(doc, f'{{%p if {section}.rows and {section}.columns[1].field == "{columns[1][1]}" %}}')
    aligns = [CENTER if field_name in REPORT_NUMERIC else LEFT for _, field_name, _ in columns]
    table = data_table(doc, columns, f"{section}.rows", "r", size=REPORT_TABLE_PT, aligns=aligns)
    if variant is not None:
        tag(doc, f"{{%p elif {section}.rows %}}")
        other = REPORT_COLUMNS[variant]
        aligns = [CENTER if field_name in REPORT_NUMERIC else LEFT for _, field_name, _ in other]
        data_table(doc, other, f"{section}.rows", "r", size=REPORT_TABLE_PT, aligns=aligns)
    tag(doc, "{%p else %}")
    par(doc, f"{{{{ {section}.empty }}}}", body=True)
    tag(doc, "{%p endif %}")
    return table


def bold_when_alarm(table, field_name: str) -> None:
    """In the clause table, «не выполнено» in bold: the cell of `field_name` in the template row gets two
    paragraphs, one bold, and `{%p if r.alarm %}` keeps one of them."""
    index = [c[1] for c in REPORT_COLUMNS["clauses"]].index(field_name)
    cell = table.rows[2].cells[index]            # header, {%tr for %}, the template row, {%tr endfor %}
    first = cell.paragraphs[0]
    for run in list(first.runs):
        run._r.getparent().remove(run._r)
    first.add_run("{%p if r.alarm %}")
    for text, bold in (("{{ r.%s }}" % field_name, True), ("{%p else %}", False), ("{{ r.%s }}" % field_name, False),
                       ("{%p endif %}", False)):
        p = cell.add_paragraph()
        p.paragraph_format.alignment = first.paragraph_format.alignment
        run = p.add_run(text)
        run.bold = bold or None
        run.font.size = Pt(REPORT_TABLE_PT)


def make_monthly_report(path: Path) -> None:
    """Page 1: heading, summary, the clause table and the conclusion; the numbered sections from page 2."""
    doc = new_document("Отчёт")
    page_of_pages_footer(doc)

    letterhead(doc)
    par(doc, "{{ doc_type }}", align=CENTER, bold=True, before=18, after=12)
    widths = [85.0, 85.0]
    table = new_table(doc, widths, borders=False)
    add_row(table, widths, [["{{ date }}"], ["{{ letterhead.place }}"]], size=BODY_PT, aligns=[LEFT, RIGHT])
    par(doc, "{{ heading }}", bold=True, before=18, after=12, keep_next=True)

    tag(doc, "{%p for s in summary %}")
    par(doc, "{{ s }}", body=True)
    tag(doc, "{%p endfor %}")

    bold_when_alarm(report_section(doc, "clauses"), "status")
    verdict = par(doc, "{{ verdict }}", body=True, before=6)
    verdict.runs[0].bold = True

    for section in REPORT_COLUMNS:
        if section in ("clauses", "overdue_groups"):
            continue
        report_section(doc, section, page_break=section == "groups",
                       variant="overdue_groups" if section == "overdue" else None)
        if section == "coverage":
            tag(doc, "{%p if chart %}")
            par(doc, "{{ chart }}", align=CENTER, before=12, keep_next=True)   # the renderer puts the picture here
            par(doc, "{{ chart_title }}", align=CENTER, size=TABLE_PT, after=6)
            tag(doc, "{%p endif %}")

    # The whole signature block stays on one page: each paragraph and table keeps with the next.
    par(doc, "", keep_next=True)
    par(doc, "", keep_next=True)
    signature_table(doc, "prepared_by", with_blank=True, keep_next=True)
    par(doc, "{{ reviewed_heading }}", before=24, after=12, keep_next=True)
    signature_table(doc, "reviewed_by", with_blank=True, keep_next=True)   # the date stays with the signature
    par(doc, "{{ reviewed_date }}", before=12)
    save(doc, path)


def make_order_register(path: Path) -> None:
    doc = new_document("Журнал регистрации приказов")
    section = doc.sections[0]  # a register is wide: landscape, like the PDF and XLSX
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    tabs = doc.styles["Footer"].paragraph_format.tab_stops
    tabs.clear_all()
    tabs.add_tab_stop(Mm(LANDSCAPE_TEXT_WIDTH_MM), WD_TAB_ALIGNMENT.RIGHT)
    page_of_pages_footer(doc)

    letterhead(doc)
    par(doc, "{{ heading }}", align=CENTER, bold=True, before=18)
    par(doc, "{{ subtitle }}", align=CENTER, after=12)
    columns = [(c.header, c.field, w) for c, w in zip(REGISTER_COLUMNS, REGISTER_WIDTHS_MM, strict=True)]
    data_table(doc, columns, "rows", "r", size=WIDE_TABLE_PT, aligns=[CENTER, CENTER, LEFT, LEFT, LEFT, LEFT, LEFT],
               text_width_mm=LANDSCAPE_TEXT_WIDTH_MM)
    par(doc, "{{ total }}", before=12)
    tag(doc, "{%p if missing_numbers %}")
    par(doc, "{{ missing_numbers }}", before=6)
    tag(doc, "{%p endif %}")
    save(doc, path)


def main() -> None:
    make_order(HERE / "order.docx")
    make_acknowledgement_sheet(HERE / "acknowledgement_sheet.docx")
    make_monthly_report(HERE / "monthly_report.docx")
    make_order_register(HERE / "order_register.docx")


if __name__ == "__main__":
    main()
