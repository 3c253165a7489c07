"""Same records, same bytes: Office zips written with fixed timestamps and order, in one pass.

The archive is written here rather than by zipfile so that a part repeated in every document (the 800 KB of
Word styles in each DOCX) is compressed once per process: its compressed bytes are kept and reused. The bytes
are those zipfile writes for members stamped FIXED_TIME, 0644 and deflated at the default level.
"""
from __future__ import annotations

import io
import struct
import sys
import zipfile
import zlib
from collections import OrderedDict
from collections.abc import Collection, Iterable
from pathlib import Path

FIXED_TIME = (1980, 1, 1, 0, 0, 0)
_DOS_DATE = (FIXED_TIME[0] - 1980) << 9 | FIXED_TIME[1] << 5 | FIXED_TIME[2]
_DOS_TIME = FIXED_TIME[3] << 11 | FIXED_TIME[4] << 5 | FIXED_TIME[5] // 2
_VERSION = 20                          # "deflate", what zipfile records
_SYSTEM = 0 if sys.platform == "win32" else 3   # as zipfile.ZipInfo records the creating system
_ATTRIBUTES = 0o644 << 16
_UTF8_NAME = 0x800
_LOCAL = struct.Struct("<4s2B4HL2L2H")
_CENTRAL = struct.Struct("<4s4B4HL2L5H2L")
_END = struct.Struct("<4s4H2LH")
_REUSE_ENTRIES = 64                    # compressed parts kept per process
_REUSE_MIN = 4096                      # smaller parts are cheap to compress again


class _Compressed:
    __slots__ = ("crc", "size", "data")

    def __init__(self, raw: bytes):
        deflate = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)
        self.data = deflate.compress(raw) + deflate.flush()
        self.crc = zlib.crc32(raw)
        self.size = len(raw)


_kept: OrderedDict[bytes, _Compressed] = OrderedDict()


def _compressed(raw: bytes, reuse: bool) -> _Compressed:
    if not reuse or len(raw) < _REUSE_MIN:
        return _Compressed(raw)
    # Keyed by the bytes: a template part is the same object each time, whose hash Python keeps.
    found = _kept.get(raw)
    if found is None:
        found = _kept[raw] = _Compressed(raw)
        if len(_kept) > _REUSE_ENTRIES:
            _kept.popitem(last=False)
    else:
        _kept.move_to_end(raw)
    return found


def zip_bytes(members: Iterable[tuple[str, bytes]], reuse: Collection[str] = ()) -> bytes:
    """A zip of `members` (name, content) in their order; the compressed form of members named in `reuse` is
    kept for the next archive holding the same content."""
    out = io.BytesIO()
    central = []
    for name, raw in members:
        packed = _compressed(raw, name in reuse)
        encoded = name.encode("ascii") if name.isascii() else name.encode("utf-8")
        flags = 0 if name.isascii() else _UTF8_NAME
        offset = out.tell()
        out.write(_LOCAL.pack(b"PK\x03\x04", _VERSION, 0, flags, zipfile.ZIP_DEFLATED, _DOS_TIME, _DOS_DATE,
                              packed.crc, len(packed.data), packed.size, len(encoded), 0))
        out.write(encoded)
        out.write(packed.data)
        central.append(_CENTRAL.pack(b"PK\x01\x02", _VERSION, _SYSTEM, _VERSION, 0, flags, zipfile.ZIP_DEFLATED,
                                     _DOS_TIME, _DOS_DATE, packed.crc, len(packed.data), packed.size, len(encoded),
                                     0, 0, 0, 0, _ATTRIBUTES, offset) + encoded)
    start = out.tell()
    for entry in central:
        out.write(entry)
    out.write(_END.pack(b"PK\x05\x06", 0, 0, len(central), len(central), out.tell() - start, start, 0))
    return out.getvalue()


def normalise_zip(data: bytes) -> bytes:
    """Return the zip `data` with every member stamped FIXED_TIME (content order kept)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    return zip_bytes((info.filename, source.read(info)) for info in source.infolist())


def write_zip(data: bytes, path: Path) -> None:
    Path(path).write_bytes(normalise_zip(data))
