"""A new group that names its future order (the README's workflow): refused with the next step until the draft
exists, then checked like any group; an order number that is neither recorded nor free is a plain error."""
from __future__ import annotations

from pathlib import Path

import pytest

from robustness.cases import Case
from robustness.common import TAIL, refused, run

SECTION = "Ссылки между записями: новая группа ждёт приказа"
ORDER = 11                   # place of this section in docs/robustness.md
README = Path(__file__).resolve().parents[2] / "README.md"
GROUP = """
  # 7. Новая группа: приказа о ней ещё нет
  - id: chess-parents
    title: ДДТ. Шахматный клуб. Родители
    messenger: MAX
    association: Шахматный клуб
    direction: физкультурно-спортивная
    tasks:
      - информационная
    audience:
      - родители
    admin: belova-sy  # Белова С.Ю.
    order: {order}
    created: null
    registered: null
    members:
      - pr-001  # Аксёнова Н.С.
"""
WAITS = ("records/groups.yaml:{line}:12: группа «ДДТ. Шахматный клуб. Родители»: приказа «2026-072-од» ещё нет — "
         "проект приказа о создании группы не создан, а без него записи не проверяются и документы не формируются\n"
         "  Как исправить: создайте проект командой «compliance order new»: он получит следующий свободный номер и "
         "будет указан у группы\n")
UNKNOWN = ("records/groups.yaml:{line}:12: группа «ДДТ. Шахматный клуб. Родители»: приказ «2026-050-од» не найден в "
           "records/orders/\n"
           "  Как исправить: создайте приказ командой «compliance order new» или исправьте id приказа\n")

CASES = [
    Case("group-waits-for-its-order", "новая группа, в поле order — следующий свободный номер 2026-072-од, "
                                      "проекта приказа ещё нет (шаг из README)",
         f"`check`: отказ, код 2: «{WAITS.splitlines()[0].format(line='N')}» и «{WAITS.splitlines()[1].strip()}»",
         fixed="сообщение «приказ «2026-072-од» не найден в records/orders/» не говорило, что так и задумано до "
               "`order new`; README не предупреждал, что до проекта проверка не работает",
         data="waits"),
    Case("group-order-drafted", "то же, затем `compliance order new`",
         "`order new` создаёт проект № 72-од с этой группой; `check` — код 1 и нарушение P2.1-GROUP-NO-ORDER "
         "«… создана без подписанного приказа: приказ 2026-072-од не подписан», а не ошибка загрузки",
         data="drafted"),
    Case("group-order-number-not-free", "в поле order — 2026-050-од: номер меньше последнего записанного "
                                        "(приказ ведётся не в records/)",
         f"`check`: отказ, код 2: «{UNKNOWN.splitlines()[0].format(line='N')}»", data="unknown"),
]


def _add_group(records: Path, order: str) -> int:
    """Append the group; the line of its «order:»."""
    groups = records / "groups.yaml"
    text = groups.read_text(encoding="utf-8").rstrip("\n") + "\n" + GROUP.format(order=order)
    groups.write_text(text, encoding="utf-8")
    return text.splitlines().index(f"    order: {order}") + 1


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_group_naming_an_order_not_yet_drafted(records, case):
    order = "2026-050-од" if case.data == "unknown" else "2026-072-од"
    line = _add_group(records, order)
    check = ["check", "--records", "records"]
    if case.data != "drafted":
        refused(check, records, (UNKNOWN if case.data == "unknown" else WAITS).format(line=line) + TAIL.format(n=1))
        return
    made = run(["order", "new", "--date", "2026-11-20", "--records", "records"])
    assert made.exit_code == 0, made.stderr
    assert "Создаёт группы: chess-parents" in made.stdout
    assert (records / "orders" / "2026-072-од.yaml").is_file()
    result = run(check)
    assert result.exit_code == 1, result.stderr
    assert ("P2.1-GROUP-NO-ORDER: группа «ДДТ. Шахматный клуб. Родители» создана без подписанного приказа: "
            "приказ 2026-072-од не подписан") in result.stdout
    readme = " ".join(README.read_text(encoding="utf-8").split())
    assert "Пока проекта нет, команды, которые читают все записи (`check`, `build`, `ack`, `import`), " \
           "останавливаются на этой строке `groups.yaml` с подсказкой создать проект" in readme
