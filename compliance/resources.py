"""Files shipped with the tool: the sample records and the DOCX templates.

Installed, they live inside the package (compliance/sample, compliance/templates);
in a source checkout, in the repository's records/ and templates/.
"""
from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent


def _shipped(installed: str, checkout: str) -> Path:
    inside = PACKAGE / installed
    return inside if inside.is_dir() else PACKAGE.parent / checkout


def sample_records_dir() -> Path:
    return _shipped("sample", "records")


def templates_dir() -> Path:
    return _shipped("templates", "templates")
