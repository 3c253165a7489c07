"""The labelled corpus and its measurement: enough messages and decoys, a table, and floors that hold."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import measure  # noqa: E402

from compliance.model.records import FindingCategory  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]


def test_measure_corpus_has_300_messages_and_40_decoys_per_category():
    _, corpus = measure.load()
    assert len(corpus) >= 300
    assert len({item.message.id for item in corpus}) == len(corpus)
    for category in FindingCategory:
        assert sum(category.value in item.decoy for item in corpus) >= 40, category.value
        assert sum(category.value in item.expect for item in corpus) >= 20, category.value


def test_measure_script_prints_the_table_and_holds_the_floors():
    result = subprocess.run([sys.executable, "tests/scan/measure.py", "--check"], cwd=ROOT,
                            capture_output=True, text=True, encoding="utf-8")
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert lines[1].split() == ["категория", "TP", "FP", "FN", "ловушек", "точность", "полнота"]
    assert [line[:24].strip() for line in lines[2:10]] == [c.value for c in FindingCategory] + ["всего"]
    for line in lines[2:9]:
        precision, recall = (float(x) for x in line.split()[-2:])
        assert 0.0 <= precision <= 1.0 and 0.0 <= recall <= 1.0
    assert "Ниже порога" not in result.stdout


def test_measure_floors_fail_a_regression():
    row = measure.Row(FindingCategory.SPELLING, tp=8, fp=2, fn=0, decoys=40, missed=(), false=())
    assert measure.below_floor([row]) == ["орфография: точность 0.800 < 0.95 или полнота 1.000 < 0.9"]
