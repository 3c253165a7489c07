"""Tests that importing compliance.ru stays cheap."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_import_package_fresh_interpreter_loads_no_heavy_libraries():
    code = (
        "import sys, compliance.ru; "
        "print(sorted(m for m in ('pymorphy3', 'pytrovich', 'babel', 'num2words') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
