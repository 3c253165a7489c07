"""The QR code of ГОСТ Р 7.0.97-2025 (requisite 31): one encoder, reportlab's, for the PDF and the DOCX,
so both formats carry the same code."""
from __future__ import annotations

import io

from reportlab.graphics.barcode import qrencoder

SIZE_MM = 20       # the code without its quiet zone: small on the page, still read by a phone camera
LEVEL = "M"        # up to 15 % of the code may be lost to a fold, a stain or a staple
UTF8_ECI = 26      # the QR "extended channel" number of UTF-8


def segments(text: str) -> list[qrencoder.QR]:
    """Byte mode; a text that is not ASCII (the order index «од») is declared UTF-8, or scanners guess Shift JIS."""
    data = [qrencoder.QR8bitByte(text)]
    return data if text.isascii() else [qrencoder.QRECI(UTF8_ECI), *data]


def matrix(text: str) -> list[list[bool]]:
    """Dark modules, row by row, without the quiet zone."""
    code = qrencoder.QRCode(None, getattr(qrencoder.QRErrorCorrectLevel, LEVEL))
    for segment in segments(text):
        code.addData(segment)
    code.make()
    return [[bool(module) for module in row] for row in code.modules]


def png(text: str, *, module_px: int = 8, border: int = 4) -> tuple[bytes, float]:
    """A black-and-white PNG with the standard quiet zone, and the share of its width that is the code itself.
    The same text gives the same bytes."""
    from PIL import Image  # reportlab's own dependency

    rows = matrix(text)
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
