"""PT Serif for the PDF renderer: registered once per process and embedded as subsets.

Why: the 14 standard PDF fonts have no Cyrillic, and a font the reader lacks would be substituted.

Speed: reportlab builds and compresses a font subset for every document (≈ 4 ms of a 2-page order). Each
document's first subset is therefore laid out the same way — ASCII and the whole Russian alphabet with its
punctuation, in a fixed order — so that its font program is built and compressed once per process and reused.
A document using other characters gets them appended as before (and that subset is built for it alone).
"""
from __future__ import annotations

import io
from collections import OrderedDict
from functools import lru_cache
from importlib.resources import files

from reportlab import rl_config
from reportlab.pdfbase import pdfdoc, pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont, TTFontFace

FAMILY = "PTSerif"
BOLD = f"{FAMILY}-Bold"
ITALIC = f"{FAMILY}-Italic"
BOLD_ITALIC = f"{FAMILY}-BoldItalic"

_FILES = {FAMILY: "Regular", BOLD: "Bold", ITALIC: "Italic", BOLD_ITALIC: "BoldItalic"}

# Characters every document's first subset holds, in this order: Russian letters and the punctuation of
# Russian office text (ASCII is always there). Codes 1–31 and 127–255 of the subset give 160 places.
REPERTOIRE = ("абвгдеёжзийклмнопрстуфхцчшщъыьэюя"
              "АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ"
              "«»„“”‘’–—−№…•·§°±×÷≤≥≈≠€₽‰\u2009\u202f\u2011")
_CACHE_SIZE = 32                  # font programs (and their compressed bytes) kept per process

# Binary streams: ASCII85 makes every stream 25 % longer and costs a pass over it in pure Python.
rl_config.useA85 = 0


class _Bounded(OrderedDict):
    """A small least-recently-used cache."""

    def __init__(self, size: int):
        super().__init__()
        self.size = size

    def get_or(self, key, make):
        value = self.get(key)
        if value is None:
            value = make()
            self[key] = value
            if len(self) > self.size:
                self.popitem(last=False)
        else:
            self.move_to_end(key)
        return value


class _CachedFlate:
    """reportlab's FlateDecode filter, remembering the output for the same font program (the same bytes object)."""

    pdfname = "FlateDecode"

    def __init__(self) -> None:
        self._done = _Bounded(_CACHE_SIZE)

    def encode(self, data: bytes) -> bytes:
        return self._done.get_or(data, lambda: pdfdoc.PDFZCompress.encode(data))


_FLATE = _CachedFlate()


class _Face(TTFontFace):
    """A face whose subsets are built once per set of characters and compressed once."""

    _subsets: _Bounded

    def makeSubset(self, subset):  # noqa: N802 (reportlab's name)
        return self._subsets.get_or(tuple(subset), lambda: super(_Face, self).makeSubset(subset))

    def addSubsetObjects(self, doc, fontname, subset):  # noqa: N802
        reference = super().addSubsetObjects(doc, fontname, subset)
        stream = doc.idToObject.get(f"fontFile:{self.filename}({fontname})")
        if stream is not None and stream.filters:
            stream.filters = [_FLATE]
        return reference


class PresetFont(TTFont):
    """A TrueType font whose first subset in every document starts with REPERTOIRE."""

    def __init__(self, name: str, data: bytes):
        super().__init__(name, io.BytesIO(data))
        self.face.__class__ = _Face      # the face is built by TTFont itself; only its subsetting changes
        self.face._subsets = _Bounded(_CACHE_SIZE)

    def splitString(self, text, doc, encoding="utf-8"):  # noqa: N802
        if doc not in self.state:
            super().splitString(REPERTOIRE, doc)   # assigns the codes in the fixed order
        return super().splitString(text, doc, encoding)


@lru_cache(maxsize=None)
def register_pt_serif() -> str:
    """Register the four PT Serif faces and their family (for <b> and <i>); return the family name."""
    folder = files("fontpkg_pt_serif").joinpath("files")
    for name, face in _FILES.items():
        # Bytes rather than a path: works even when the package is installed zipped.
        data = folder.joinpath(f"PT_Serif-Web-{face}.ttf").read_bytes()
        pdfmetrics.registerFont(PresetFont(name, data))
    pdfmetrics.registerFontFamily(FAMILY, normal=FAMILY, bold=BOLD, italic=ITALIC, boldItalic=BOLD_ITALIC)
    return FAMILY
