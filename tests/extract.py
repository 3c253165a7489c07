"""Text of a rendered document, per format, for tests: what a reader of the file sees."""
from __future__ import annotations

import re
from pathlib import Path

NB = "\u00a0"


def normalise(text: str) -> str:
    return re.sub(r"[ \t]+", " ", text.replace(NB, " "))


def docx_text(path: Path) -> str:
    import docx

    document = docx.Document(str(path))
    parts = []

    def walk(body):
        for child in body.iterchildren():
            tag = child.tag.rsplit("}", 1)[-1]
            if tag == "p":
                # a tab in a run (not a tab stop of the paragraph) separates text as a space does
                parts.append("".join(t.text or "" if t.tag.endswith("}t") else " " for t in child.iter()
                                     if t.tag.endswith("}t") or (t.tag.endswith("}tab") and t.getparent().tag.endswith("}r"))))
            elif tag == "tbl":
                for row in child.iter():
                    if row.tag.endswith("}tr"):
                        cells = []
                        for cell in row:
                            if cell.tag.endswith("}tc"):
                                cells.append(" ".join("".join(t.text or "" for t in p.iter() if t.tag.endswith("}t"))
                                                      for p in cell.iter() if p.tag.endswith("}p")).strip())
                        parts.append(" | ".join(cells))

    for section in document.sections:
        for header in (section.first_page_header, section.header):
            walk(header._element)
    walk(document.element.body)
    for section in document.sections:
        walk(section.footer._element)
    return normalise("\n".join(parts))


def xlsx_text(path: Path) -> str:
    import openpyxl

    workbook = openpyxl.load_workbook(path)
    lines = []
    for sheet in workbook.worksheets:
        lines.append(f"## {sheet.title}")
        for row in sheet.iter_rows(values_only=True):
            cells = [str(v) for v in row if v not in (None, "")]
            if cells:
                lines.append(" | ".join(cells))
        # The printed footer is part of what a reader sees (the records fingerprint is only there).
        footer = sheet.oddFooter
        printed = [part.text for part in (footer.left, footer.center, footer.right) if part.text]
        if printed:
            lines.append("колонтитул: " + " | ".join(printed))
    return normalise("\n".join(lines))


def pdf_text(path: Path) -> str:
    from pypdf import PdfReader

    reader = PdfReader(str(path))
    return normalise("\n".join(page.extract_text() or "" for page in reader.pages))


def text_of(path: Path) -> str:
    return {".docx": docx_text, ".xlsx": xlsx_text, ".pdf": pdf_text}[Path(path).suffix](Path(path))


def squash(text: str) -> str:
    """Text without any whitespace: compare facts regardless of line wrapping."""
    return re.sub(r"\s+", "", normalise(text))
