"""`compliance check` on many findings of one kind: counted per group with one example and where each group's
list is, instead of one line per finding; few findings are still listed one by one."""
from __future__ import annotations

import shutil
from pathlib import Path

from click.testing import CliRunner
from ruamel.yaml import YAML

from compliance.cli import cli
from compliance.cli.findings import LISTED
from rules.minimal import D

SAMPLE = Path(__file__).resolve().parents[2] / "records"


def _records(tmp_path: Path, findings: list[dict]) -> Path:
    root = tmp_path / "records"
    shutil.copytree(SAMPLE, root)
    yaml = YAML()
    path = root / "log" / "2026-11.yaml"
    log = yaml.load(path.read_text(encoding="utf-8"))
    log["findings"] = findings
    with path.open("w", encoding="utf-8") as handle:
        yaml.dump(log, handle)
    return root


def _finding(n: int, group: str) -> dict:
    return {"id": f"f-{n}", "group": group, "message": str(1000 + n), "date": D(2026, 11, 1 + n % 28),
            "time": "22:40", "sender": "pr-051", "category": "тихие часы", "clause": "5.1",
            "excerpt": "Напоминаю, завтра не забудьте форму", "status": "новое"}


def test_check_many_unreviewed_chat_findings_counts_them_per_group(tmp_path):
    findings = [_finding(n, "robiks-parents") for n in range(40)] + [_finding(n, "tourists-students")
                                                                    for n in range(40, 60)]
    assert len(findings) > LISTED
    result = CliRunner().invoke(cli, ["check", "--records", str(_records(tmp_path, findings)), "--on", "2026-11-30"])
    assert result.exit_code == 1, result.output
    lines = result.stdout.splitlines()
    start = lines.index("  [замечание] P4-FINDING-NOT-REVIEWED: 60 — в 2 группах, по группам:")
    assert lines[start + 1:start + 7] == [
        "    robiks-parents — 40: «ДДТ. Робикс. Родители»",
        "    tourists-students — 20: «Юные туристы ДДТ»",
        "    Например: замечание f-0 по переписке (тихие часы, п. 5.1) от 01.11.2026 22:40, группа «ДДТ. Робикс. "
        "Родители» не рассмотрено администратором",
        "    Что сделать: просмотрите замечания группы (compliance findings --group ГРУППА --status новое) и "
        "подтвердите или отклоните каждое: compliance findings confirm|dismiss ID --note …",
        "    Список по группе: compliance findings --group ГРУППА --status новое",
        "  [сведения] P4-VIOLATION-OPEN: нарушение v-2026-11-03 (п. 4) от 19.11.2026, группа «ДДТ. Театральная студия "
        "«Маска». Родители»: "
        "не устранено, срок 05.12.2026",
    ]
    assert sum("P4-FINDING-NOT-REVIEWED" in line for line in lines) == 1
    assert "п. 4 — ответственность администратора: замечание — 60, сведения — 1" in lines


def test_check_few_unreviewed_chat_findings_lists_each(tmp_path):
    result = CliRunner().invoke(cli, ["check", "--records", str(_records(tmp_path, [_finding(1, "robiks-parents")])),
                                      "--on", "2026-11-30"])
    assert [line for line in result.stdout.splitlines() if "P4-FINDING" in line or "robiks-parents --status" in line] == [
        "  [замечание] P4-FINDING-NOT-REVIEWED: замечание f-1 по переписке (тихие часы, п. 5.1) от 02.11.2026 22:40, "
        "группа «ДДТ. Робикс. Родители» не рассмотрено администратором",
        "    Что сделать: просмотрите замечания группы (compliance findings --group robiks-parents --status новое) и "
        "подтвердите или отклоните каждое: compliance findings confirm|dismiss ID --note …",
    ]
