"""PT Serif for the PDF renderer: registered once per process and embedded as subsets.

Why: the 14 standard PDF fonts have no Cyrillic, and a font the reader lacks would be substituted.
"""
from __future__ import annotations

import io
from functools import lru_cache
from importlib.resources import files

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FAMILY = "PTSerif"
BOLD = f"{FAMILY}-Bold"
ITALIC = f"{FAMILY}-Italic"
BOLD_ITALIC = f"{FAMILY}-BoldItalic"

_FILES = {FAMILY: "Regular", BOLD: "Bold", ITALIC: "Italic", BOLD_ITALIC: "BoldItalic"}


@lru_cache(maxsize=None)
def register_pt_serif() -> str:
    """Register the four PT Serif faces and their family (for <b> and <i>); return the family name."""
    folder = files("fontpkg_pt_serif").joinpath("files")
    for name, face in _FILES.items():
        # Bytes rather than a path: works even when the package is installed zipped.
        data = folder.joinpath(f"PT_Serif-Web-{face}.ttf").read_bytes()
        pdfmetrics.registerFont(TTFont(name, io.BytesIO(data)))
    pdfmetrics.registerFontFamily(FAMILY, normal=FAMILY, bold=BOLD, italic=ITALIC, boldItalic=BOLD_ITALIC)
    return FAMILY
