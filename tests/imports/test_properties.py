"""Whatever the bytes, a reader yields messages or raises ExportError — never anything else."""
from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from compliance.imports import ChatMessage, ExportError
from compliance.imports import telegram, whatsapp

DATA = Path(__file__).resolve().parent / "data"
CHAT = (DATA / "telegram_chat" / "result.json").read_bytes()
ACCOUNT = (DATA / "telegram_account" / "result.json").read_bytes()
ANDROID = (DATA / "whatsapp" / "android_ru.txt").read_bytes()
SETTINGS = settings(max_examples=150, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow])


def outcome(read, data: bytes, **options) -> list | None:
    """What `read` returns for a file holding `data`, or None when it raised ExportError."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "export"
        path.write_bytes(data)
        try:
            return list(read(path, **options))
        except ExportError as error:
            assert "Как исправить:" in str(error)
            return None


def well_formed(messages: list | None) -> None:
    for message in messages or []:
        assert isinstance(message, ChatMessage)
        assert message.kind in ("text", "service", "media", "poll", "sticker", "deleted", "system")
        assert isinstance(message.text, str) and isinstance(message.sender, str)


@SETTINGS
@given(st.binary(max_size=400))
@example(b"")
@example(b"{")
@example(b'{"chats": {"list": [{"type": 1, "messages": [{}]}]}}')
def test_telegram_random_bytes_raise_only_export_error(data):
    well_formed(outcome(telegram.read_messages, data))


@SETTINGS
@given(st.sampled_from([CHAT, ACCOUNT]), st.integers(min_value=0), st.binary(min_size=1, max_size=3),
       st.sampled_from(["cut", "replace", "insert"]))
def test_telegram_damaged_export_raises_only_export_error(source, position, patch, how):
    at = position % len(source)
    damaged = {"cut": source[:at], "replace": source[:at] + patch + source[at + len(patch):],
               "insert": source[:at] + patch + source[at:]}[how]
    for backend in ("yajl2_c", "python"):
        well_formed(outcome(telegram.read_messages, damaged, backend=backend))
        outcome(telegram.list_chats, damaged, backend=backend)


@SETTINGS
@given(st.binary(max_size=400))
@example(b"\xff\xfe\x00")
@example(b"\xef\xbb\xbf")
def test_whatsapp_random_bytes_raise_only_export_error(data):
    well_formed(outcome(whatsapp.read_messages, data))


LINE = st.one_of(
    st.text(max_size=60),
    st.builds(lambda d, m, y, h, mi, body: f"{d}.{m}.{y}, {h}:{mi} - {body}",
              st.integers(0, 40), st.integers(0, 40), st.integers(0, 3000), st.integers(0, 30), st.integers(0, 99),
              st.text(max_size=40)),
    st.builds(lambda m, d, y, h, mi, s, ampm, body: f"[{m}/{d}/{y}, {h}:{mi:02d}:{s:02d}\u202f{ampm}] {body}",
              st.integers(0, 40), st.integers(0, 40), st.integers(0, 99), st.integers(0, 30), st.integers(0, 99),
              st.integers(0, 99), st.sampled_from(["AM", "PM", "am", "p.m."]), st.text(max_size=40)),
)


@SETTINGS
@given(st.lists(LINE, max_size=12), st.sampled_from([None, "dmy", "mdy"]))
def test_whatsapp_random_lines_raise_only_export_error(lines, order):
    well_formed(outcome(whatsapp.read_messages, "\n".join(lines).encode("utf-8", "surrogatepass"), date_order=order))


@SETTINGS
@given(st.integers(min_value=0), st.binary(min_size=1, max_size=3))
def test_whatsapp_damaged_export_raises_only_export_error(position, patch):
    at = position % len(ANDROID)
    well_formed(outcome(whatsapp.read_messages, ANDROID[:at] + patch + ANDROID[at:]))
