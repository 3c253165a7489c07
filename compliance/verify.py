"""Does a document still match the records? The library side of `compliance verify`.

Every document keeps in its keywords (PDF, DOCX, XLSX) the manifest of the records it was made from
(views/stamp.py). Verifying reads that manifest, builds the stamp of the same document from the records as
they are now, and names each record that changed, appeared or went away. Digests cover parsed content, so
an edited YAML comment changes nothing.

PDF metadata is read with pypdf: a PDF re-saved by a viewer or signed by an ЭДО system keeps its Info
dictionary in an object stream or an incremental update, which a hand-made reader would miss. DOCX and XLSX
keep theirs in docProps/core.xml, which zipfile and ElementTree read without loading an office library.
"""
from __future__ import annotations

import logging
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable
from xml.etree import ElementTree

from .errors import ComplianceError, display_path
from .views.stamp import MANIFEST_PREFIX, Stamp

CURRENT, STALE, GONE, UNREADABLE = "current", "stale", "gone", "unreadable"
EXIT_CODES = {CURRENT: 0, STALE: 1, GONE: 1, UNREADABLE: 2}
SUFFIXES = (".docx", ".xlsx", ".pdf")
SHOWN_CHANGES = 30            # a longer list ends with «… и ещё N записей»
_CORE_XML = "docProps/core.xml"
_CORE_XML_LIMIT = 16 * 2**20  # a real core.xml is a few KB; more is a zip bomb, not a document
_KEYWORDS = "{http://schemas.openxmlformats.org/package/2006/metadata/core-properties}keywords"
_ACTIONS = ("изменено", "добавлено", "удалено")
_QUIET = logging.NullHandler()


class UnverifiableDocument(ComplianceError):
    """A file that is not a document of this tool, or one whose manifest is lost."""


class _Gone(Exception):
    """The order, group, act version or month the document was made for is no longer in the records."""


@dataclass(frozen=True)
class Change:
    action: str                  # «изменено», «добавлено», «удалено»
    record: str                  # «people.yaml, запись pr-011 (Иванова М.П.)»

    def render(self) -> str:
        return f"  {self.action}: {self.record}"


@dataclass(frozen=True)
class Verdict:
    path: Path
    status: str                  # CURRENT, STALE, GONE or UNREADABLE
    message: str                 # «документ соответствует записям (отпечаток 8d0ae08bd8).»
    changes: tuple[Change, ...] = ()
    more: str = ""               # «  … и ещё 12 записей» when the list of changes is cut

    @property
    def exit_code(self) -> int:
        return EXIT_CODES[self.status]

    def render(self) -> str:
        if self.status == UNREADABLE:
            return self.message  # already «path: what is wrong» + «Как исправить»
        lines = [f"{display_path(self.path)}: {self.message}", *(c.render() for c in self.changes)]
        return "\n".join(lines + ([self.more] if self.more else []))


# ---------------------------------------------------------------- reading a document's manifest

def documents_in(paths: Iterable[Path]) -> list[Path]:
    """The paths as given; a folder stands for the documents in it (as `compliance build` wrote them)."""
    found: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            found += sorted(p for p in path.iterdir() if p.suffix.lower() in SUFFIXES and p.is_file())
        else:
            found.append(path)
    return found


def read_stamp(path: Path) -> Stamp:
    """The stamp kept in the document's metadata; UnverifiableDocument when there is none."""
    path = Path(path)
    shown = display_path(path)
    if not path.is_file():
        raise UnverifiableDocument(f"{shown}: файл не найден.\n  Как исправить: проверьте путь к документу.")
    with path.open("rb") as file:
        head = file.read(1024)
    if b"%PDF-" in head:
        keywords = _pdf_keywords(path, shown)
    elif head.startswith(b"PK\x03\x04"):
        keywords = _office_keywords(path, shown)
    else:
        raise UnverifiableDocument(f"{shown}: это не документ DOCX, XLSX или PDF.\n"
                                   f"  Как исправить: укажите документ, сформированный командой compliance build.")
    stamp = Stamp.from_manifest(_as_manifest(keywords or ""))
    if stamp is None:
        raise UnverifiableDocument(
            f"{shown}: в документе нет отпечатка записей: он сформирован не программой compliance "
            f"или отпечаток потерян при пересохранении в другой программе.\n"
            f"  Как исправить: проверяйте файл в том виде, в каком его сформировала команда compliance build, "
            f"или сформируйте документ заново.")
    return stamp


def _as_manifest(keywords: str) -> str:
    """Office programs treat keywords as a list: LibreOffice exports «compliance-stamp/1 X» to PDF as
    «compliance-stamp/1, X». Undo that, so a PDF made from our DOCX still verifies."""
    prefix = MANIFEST_PREFIX.strip()
    return re.sub(rf"{re.escape(prefix)}[,;]\s*", MANIFEST_PREFIX, keywords)


def _damaged(shown: str, kind: str, exc: BaseException) -> UnverifiableDocument:
    return UnverifiableDocument(f"{shown}: файл повреждён или не читается как {kind} ({exc}).\n"
                                f"  Как исправить: проверьте исходный файл, сформированный командой compliance build, "
                                f"или сформируйте документ заново.")


def _pdf_keywords(path: Path, shown: str) -> str | None:
    from pypdf import PdfReader
    from pypdf.errors import FileNotDecryptedError, PyPdfError

    # pypdf logs what it repairs in a damaged file; without a handler Python would print that to stderr.
    logging.getLogger("pypdf").addHandler(_QUIET)
    try:
        reader = PdfReader(path)
        keywords = (reader.metadata or {}).get("/Keywords")
        if not keywords and reader.xmp_metadata is not None:  # PDF 2.0 tools may keep only XMP
            keywords = reader.xmp_metadata.pdf_keywords
    except FileNotDecryptedError as exc:
        raise UnverifiableDocument(f"{shown}: PDF защищён паролем, его свойства не прочитать.\n"
                                   f"  Как исправить: проверьте исходный файл, сформированный командой "
                                   f"compliance build.") from exc
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, OSError) as exc:
        raise _damaged(shown, "PDF", exc) from exc
    return str(keywords) if keywords else None


def _office_keywords(path: Path, shown: str) -> str | None:
    try:
        with zipfile.ZipFile(path) as archive:
            try:
                info = archive.getinfo(_CORE_XML)
            except KeyError:
                return None
            if info.file_size > _CORE_XML_LIMIT:
                raise _damaged(shown, "DOCX или XLSX", ValueError(f"{_CORE_XML} слишком велик"))
            root = ElementTree.fromstring(archive.read(info))
    except (zipfile.BadZipFile, ElementTree.ParseError, OSError, EOFError) as exc:
        raise _damaged(shown, "DOCX или XLSX", exc) from exc
    element = root.find(_KEYWORDS)
    return element.text if element is not None else None


# ---------------------------------------------------------------- the same stamp from today's records

def _order(records, key: str) -> Stamp:
    from .views.stamp import order_stamp

    if key not in records.orders_by_id:
        raise _Gone(f"приказа {key} больше нет в записях (orders/{key}.yaml)")
    return order_stamp(records, key)


def _sheet(records, key: str) -> Stamp:
    from .views.stamp import sheet_stamp

    group_id, act_id, number = key.rsplit("/", 2)
    group = records.groups_by_id.get(group_id)
    if group is None:
        raise _Gone(f"группы {group_id} больше нет в записях (groups.yaml)")
    act = records.acts_by_id.get(act_id)
    if act is None:
        raise _Gone(f"акта {act_id} больше нет в записях (acts/{act_id}.yaml)")
    version = next((v for v in act.versions if str(v.version) == number), None)
    if version is None:
        raise _Gone(f"редакции {number} акта {act_id} больше нет в записях (acts/{act_id}.yaml)")
    return sheet_stamp(records, group, act, version)


def _report(records, month: str) -> Stamp:
    from .views.stamp import report_stamp

    if month not in records.logs_by_month:
        raise _Gone(f"журнала за {month} больше нет в записях (log/{month}.yaml)")
    return report_stamp(records, month)


def _register(records, key: str) -> Stamp:
    from .views.stamp import register_stamp

    year, series = key.split("-", 1)
    if not any(order.date.year == int(year) and order.series == series for _, order in records.orders):
        raise _Gone(f"приказов серии «{series}» за {year} год больше нет в записях (orders/)")
    return register_stamp(records, int(year), series)


STAMPS: dict[str, Callable[[object, str], Stamp]] = {
    "order": _order,
    "acknowledgement_sheet": _sheet,
    "monthly_report": _report,
    "order_register": _register,
}


def current_stamp(records, kind: str, key: str) -> Stamp:
    """The stamp the document of this kind and key would get from `records` now."""
    return STAMPS[kind](records, key)


# ---------------------------------------------------------------- comparing

def record_name(record: str, records) -> str:
    """«people.yaml, запись pr-011 (Иванова М.П.)»: the file and id the user edits, and whom it is about."""
    from .ru import surname_first
    from .views.common import full_name

    file, _, record_id = record.partition("#")
    if not record_id:
        return file
    # acknowledgements.yaml has one line per act and version: a person's digest covers all of that person's lines
    text = f"{file}, {'строки' if file == 'acknowledgements.yaml' else 'запись'} {record_id}"
    person = records.people.get(record_id) if file in ("people.yaml", "acknowledgements.yaml") else None
    if person is not None:
        text += f" ({surname_first(full_name(person)).replace(chr(0xA0), ' ')})"
    return text


def changes_between(printed: Stamp, now: Stamp, records) -> list[Change]:
    """Changed, then added, then removed records, each group in the order of the record keys."""
    old, new = dict(printed.digests), dict(now.digests)
    keys = {
        "изменено": sorted(k for k in old.keys() & new.keys() if old[k] != new[k]),
        "добавлено": sorted(new.keys() - old.keys()),
        "удалено": sorted(old.keys() - new.keys()),
    }
    return [Change(action, record_name(key, records)) for action in _ACTIONS for key in keys[action]]


def verdict(records, path: Path, printed: Stamp) -> Verdict:
    try:
        now = current_stamp(records, printed.kind, printed.key)
    except _Gone as gone:
        return Verdict(path, GONE, f"документ устарел: {gone}.")
    except ValueError:  # a key no version of this tool writes: the manifest was edited by hand
        return Verdict(path, UNREADABLE, f"{display_path(path)}: отпечаток записей в документе повреждён "
                       f"(«{printed.key}»).\n  Как исправить: сформируйте документ заново командой compliance build.")
    if now.digests == printed.digests:
        return Verdict(path, CURRENT, f"документ соответствует записям (отпечаток {printed.fingerprint}).")
    from .ru import plural

    changes = changes_between(printed, now, records)
    shown, rest = changes[:SHOWN_CHANGES], len(changes) - SHOWN_CHANGES
    more = f"  … и ещё {plural(rest, 'запись')}" if rest > 0 else ""
    return Verdict(path, STALE, "документ устарел: записи изменились после его формирования.", tuple(shown), more)


def verify(records_dir: Path, paths: Iterable[Path]) -> list[Verdict]:
    """A verdict per document, in the order given. The records are loaded only when some document has a
    manifest, so a file that is not a document is reported even when the records do not load."""
    stamps: list[tuple[Path, Stamp | UnverifiableDocument]] = []
    for path in documents_in(paths):
        try:
            stamp: Stamp | UnverifiableDocument = read_stamp(path)
            if stamp.kind not in STAMPS:
                stamp = UnverifiableDocument(
                    f"{display_path(path)}: документы вида «{stamp.kind}» эта версия программы проверять не умеет.\n"
                    f"  Как исправить: проверьте документ той версией compliance, которая его сформировала.")
        except UnverifiableDocument as problem:
            stamp = problem
        stamps.append((path, stamp))
    if not stamps:
        raise UnverifiableDocument("Не найдено ни одного документа DOCX, XLSX или PDF.\n"
                                   "  Как исправить: укажите документы или папку, куда их записала команда "
                                   "compliance build.")
    records = None
    if any(isinstance(s, Stamp) for _, s in stamps):
        from .build import load

        records = load(records_dir)
    return [verdict(records, path, s) if isinstance(s, Stamp) else Verdict(path, UNREADABLE, s.render())
            for path, s in stamps]
