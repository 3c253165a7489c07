"""`compliance order new|sign|render|list` end to end on a copy of the sample records."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from compliance.build import load
from compliance.cli import order as order_cli
from compliance.model.records import OrderStatus
from compliance.store import write
from compliance.store.write import parse
from extract import squash, text_of
from cli_support import copy_sample, fingerprint, run

ROOT = Path(__file__).resolve().parents[2]
GAPS = "Пропущены номера: 1–44, 46–70 за 2026 г. (серия од)\n"

NEW_GROUP = """
  # 11. Обучающиеся театральной студии «Маска» — новая группа, приказа ещё нет
  - id: maska-students
    title: ДДТ. Театральная студия «Маска». Обучающиеся
    messenger: MAX
    association: Театральная студия «Маска»
    direction: художественная
    tasks: [информационная, организационная]
    audience: [обучающиеся]
    admin: kovalev-ap  # Ковалёв А.П.
    order: 2026-099-од  # номер будущего приказа
    members: [st-013, st-014]
"""


@pytest.fixture
def records(tmp_path, monkeypatch):
    records = copy_sample(tmp_path, monkeypatch, today=dt.date(2026, 11, 26), modules=(order_cli,))
    with open(records / "groups.yaml", "a", encoding="utf-8") as stream:
        stream.write(NEW_GROUP)
    return records


@pytest.fixture
def sample(tmp_path, monkeypatch):
    return copy_sample(tmp_path, monkeypatch, today=dt.date(2026, 11, 26), modules=(order_cli,))


def assert_records_load(records: Path) -> None:
    result = run("check")
    assert result.exit_code in (0, 1), result.stderr  # 1: compliance findings; 2 would be broken records
    load(records)


def test_order_new_creates_draft_72_and_keeps_groups_comments(records):
    groups_before = (records / "groups.yaml").read_text(encoding="utf-8")
    result = run("order", "new", "--date", "2026-11-20")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == (
        "Создан проект приказа № 72-од от 20.11.2026 — records/orders/2026-072-од.yaml\n"
        "  Заголовок: О создании групп в мобильных мессенджерах\n"
        "  Создаёт группы: maska-students (в groups.yaml у них указан этот приказ)\n"
        "Дальше: напечатайте проект (compliance order render 72-од), после подписания отметьте его: "
        "compliance order sign 72-од --date ГГГГ-ММ-ДД\n")
    assert result.stderr == GAPS
    data = parse((records / "orders" / "2026-072-од.yaml").read_text(encoding="utf-8"))
    assert (data["number"], data["series"], data["status"], str(data["date"])) == (72, "од", "проект", "2026-11-20")
    assert (data["signed_by"], data["executor"]) == ("prokhorova-ta", "kuzmina-ev")
    groups_after = (records / "groups.yaml").read_text(encoding="utf-8")
    assert groups_after == groups_before.replace("order: 2026-099-од  # номер будущего приказа",
                                                 "order: 2026-072-од  # номер будущего приказа")
    assert_records_load(records)


def test_order_sign_registers_then_second_sign_exits_2(records):
    run("order", "new", "--date", "2026-11-20")
    result = run("order", "sign", "72-од", "--date", "2026-11-25")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ("Приказ № 72-од от 25.11.2026 «О создании групп в мобильных мессенджерах» подписан и "
                             "зарегистрирован — records/orders/2026-072-од.yaml\n")
    order = load(records).orders_by_id["2026-072-од"]
    assert (order.status, order.date) == (OrderStatus.SIGNED, dt.date(2026, 11, 25))
    assert_records_load(records)

    again = run("order", "sign", "2026-072-од", "--date", "2026-11-26")
    assert again.exit_code == 2
    assert again.stderr == ("Приказ № 72-од уже подписан 25.11.2026; повторно он не подписывается.\n"
                            "  Как исправить: проверьте номер (compliance order list); подписанный приказ изменяют "
                            "или отменяют новым приказом.\n")


def test_order_sign_with_a_date_of_another_year_exits_2(records, monkeypatch):
    run("order", "new", "--date", "2026-12-29")
    monkeypatch.setattr(order_cli, "_today", lambda: dt.date(2027, 1, 11))
    before = fingerprint(records)
    result = run("order", "sign", "72-од/2026", "--date", "2027-01-11")
    assert result.exit_code == 2
    assert result.stderr == (
        "Приказ № 72-од — номер 2026 г., а дата подписания 11.01.2027 — 2027 г.; номера приказов начинаются заново "
        "каждый год.\n"
        "  Как исправить: подпишите датой 2026 г. или создайте новый проект на 2027 г. "
        "(compliance order new --date 2027-01-11 …), а этот удалите.\n")
    assert fingerprint(records) == before


def test_order_sign_with_a_bad_date_exits_2(records):
    result = run("order", "sign", "72-од", "--date", "31.11.2026")
    assert result.exit_code == 2
    assert "«31.11.2026» — нужна дата в виде ГГГГ-ММ-ДД или ДД.ММ.ГГГГ, например 2026-11-24." in result.stderr


@pytest.mark.parametrize("fmt", ["pdf", "docx", "xlsx"])
def test_order_render_of_a_signed_order_has_its_number(records, fmt):
    run("order", "new", "--date", "2026-11-20")
    run("order", "sign", "72-од", "--date", "2026-11-25")
    result = run("order", "render", "72-од", "--out", "печать", "--format", fmt)
    assert result.exit_code == 0, result.stderr
    path = Path("печать") / f"Приказ_2026-072-од.{fmt}"
    assert result.stdout == f"  {path}\nПриказ № 72-од: записано файлов — 1 в папку печать.\n"
    text = squash(text_of(path))
    for fact in ("№72-од", "25.11.2026", "ДДТ.Театральнаястудия«Маска».Обучающиеся", "Ковалёв"):
        assert fact in text, fact
    assert "ПРОЕКТ" not in text


def test_order_render_of_a_draft_is_marked_and_has_no_number(records):
    run("order", "new", "--date", "2026-11-20")
    result = run("order", "render", "72-од", "--out", "out")
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in Path("out").iterdir()) == [
        "Приказ_2026-072-од.docx", "Приказ_2026-072-од.pdf", "Приказ_2026-072-од.xlsx"]
    text = squash(text_of(Path("out") / "Приказ_2026-072-од.pdf"))
    assert "ПРОЕКТ" in text and "№72-од" not in text


def test_order_render_into_the_records_folder_exits_2(sample):
    records = sample
    before = fingerprint(records)
    result = run("order", "render", "45-од", "--out", "records/orders")
    assert result.exit_code == 2
    assert result.stderr == ("«records/orders» не подходит для документов: это папка записей, папка внутри неё или файл.\n"
                             "  Как исправить: укажите в --out отдельную папку, например out/.\n")
    assert fingerprint(records) == before


def test_order_render_of_an_unknown_order_exits_2(sample):
    result = run("order", "render", "99-од")
    assert result.exit_code == 2
    assert result.stderr == ("Приказа № 99-од за 2026 г. нет в records/orders/.\n"
                             "  Как исправить: посмотрите номера командой «compliance order list».\n")


def test_order_list_prints_the_register(records):
    run("order", "new", "--date", "2026-11-20")
    result = run("order", "list", "--year", "2026")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == (
        "2026 г., приказы по основной деятельности (од):\n"
        "  45-од  01.09.2026  О создании групп в мобильных мессенджерах                подписан\n"
        "  71-од  15.10.2026  Об утверждении новой редакции Правил использования чата  подписан\n"
        "  72-од  —           О создании групп в мобильных мессенджерах                проект\n"
        "  Следующий свободный номер: 73-од\n")
    assert result.stderr == GAPS
    assert run("order", "list", "--year", "2025").stdout == "В records/orders/ нет приказов за 2025 г.\n"


def test_order_new_without_a_waiting_group_exits_2(sample):
    result = run("order", "new")
    assert result.exit_code == 2
    assert result.stderr.startswith("Не из чего составить проект приказа: у всех групп в groups.yaml уже есть приказ")


def test_order_new_approving_a_new_version(records):
    result = run("order", "new", "--group", "maska-students", "--approve", "chat-rules", "--date", "2026-11-20",
                 "--groups-by", "2026-11-30", "--acknowledge-by", "2026-12-15")
    assert result.exit_code == 0, result.stderr
    assert "  В acts/chat-rules.yaml добавлена редакция 3: впишите её текст (text) и что изменилось (changes)\n" in result.stdout
    order = load(records).orders_by_id["2026-072-од"]
    assert [(a.act, a.version) for a in order.approves] == [("chat-rules", 3)]
    assert (order.deadlines.groups_created, order.deadlines.acknowledged) == (dt.date(2026, 11, 30), dt.date(2026, 12, 15))


def test_order_new_write_failure_leaves_records_byte_identical(records, monkeypatch):
    before = fingerprint(records)

    def full_disk(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(write.os, "replace", full_disk)
    result = run("order", "new", "--date", "2026-11-20")
    assert result.exit_code == 2
    assert result.stderr == (
        "Не удалось записать records/orders/2026-072-од.yaml (No space left on device). Файлы в records/ не изменены.\n"
        "  Как исправить: проверьте, что на диске есть место и у вас есть права на запись в папку записей, "
        "и повторите команду.\n")
    assert fingerprint(records) == before
    assert list(records.rglob("*.tmp")) == []


def test_order_new_failure_on_groups_yaml_takes_back_the_new_order(records, monkeypatch):
    before = fingerprint(records)
    real_replace = write.os.replace

    def fail_on_groups(src, dst):
        if Path(dst).name == "groups.yaml":
            raise OSError(13, "Permission denied")
        real_replace(src, dst)

    monkeypatch.setattr(write.os, "replace", fail_on_groups)
    result = run("order", "new", "--date", "2026-11-20")
    assert result.exit_code == 2
    assert result.stderr.startswith("Не удалось записать records/groups.yaml (Permission denied). Файлы в records/ не изменены.")
    assert fingerprint(records) == before


def test_order_new_while_another_command_writes_exits_2(records, monkeypatch):
    import fcntl

    monkeypatch.setattr(write, "LOCK_TIMEOUT", 0.2)
    with open(records / ".lock", "a") as other:
        fcntl.flock(other, fcntl.LOCK_EX)
        result = run("order", "new", "--date", "2026-11-20")
    assert result.exit_code == 2
    assert result.stderr == ("Записи в «records» сейчас изменяет другая команда compliance (занят файл records/.lock); "
                             "ждали 0.2 с.\n"
                             "  Как исправить: дождитесь, пока другая команда закончит работу, и повторите свою.\n")
    assert not (records / "orders" / "2026-072-од.yaml").exists()


def test_build_after_order_new_renders_the_draft(records):
    run("order", "new", "--date", "2026-11-20")
    result = run("build", "--out", "out", "--format", "pdf")
    assert result.exit_code == 0, result.stderr
    text = squash(text_of(Path("out") / "Приказ_2026-072-од.pdf"))
    assert "ПРОЕКТ" in text and "№_____" in text
    assert "ДДТ.Театральнаястудия«Маска».Обучающиеся" in text
