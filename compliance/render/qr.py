"""The QR code of ГОСТ Р 7.0.97-2025 (requisite 31): one matrix for the PDF and the DOCX, so both formats carry
the same code. segno encodes it (about twice as fast as reportlab's encoder, which tries its eight masks in
plain Python), and the matrix is kept per text: the PDF and the DOCX of one order draw the same one."""
from __future__ import annotations

import io
from functools import lru_cache

SIZE_MM = 20       # the code without its quiet zone: small on the page, still read by a phone camera
LEVEL = "M"        # up to 15 % of the code may be lost to a fold, a stain or a staple


@lru_cache(maxsize=256)
def _matrix(text: str) -> tuple[tuple[bool, ...], ...]:
    import segno

    # Byte mode; a text that is not ASCII (the order index «од») is declared UTF-8 (ECI 26), or scanners guess
    # Shift JIS. The level stays M: segno would otherwise raise it where the same size allows.
    code = segno.make_qr(text, error=LEVEL, mode="byte", encoding="utf-8", eci=not text.isascii(),
                         boost_error=False)
    return tuple(tuple(bool(module) for module in row) for row in code.matrix)


def matrix(text: str) -> list[list[bool]]:
    """Dark modules, row by row, without the quiet zone."""
    return [list(row) for row in _matrix(text)]


def dark_runs(text: str) -> list[tuple[int, int, int]]:
    """(row, first column, length) of every run of dark modules: what the PDF draws as rectangles."""
    runs = []
    for r, row in enumerate(_matrix(text)):
        c = 0
        while c < len(row):
            if row[c]:
                start = c
                while c < len(row) and row[c]:
                    c += 1
                runs.append((r, start, c - start))
            else:
                c += 1
    return runs


@lru_cache(maxsize=64)
def png(text: str, *, module_px: int = 8, border: int = 4) -> tuple[bytes, float]:
    """A black-and-white PNG with the standard quiet zone, and the share of its width that is the code itself.
    The same text gives the same bytes."""
    from PIL import Image  # reportlab's own dependency

    rows = _matrix(text)
    side = len(rows) + 2 * border
    image = Image.new("1", (side, side), 1)
    for r, row in enumerate(rows):
        for c, dark in enumerate(row):
            if dark:
                image.putpixel((c + border, r + border), 0)
    # Whole pixels per module: Word smooths a scaled picture, and a blurred edge is harder to scan.
    image = image.resize((side * module_px, side * module_px), Image.Resampling.NEAREST)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue(), len(rows) / side
