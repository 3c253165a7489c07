"""Precision and recall of the content scanners on the labelled corpus (tests/scan/corpus.yaml).

    python tests/scan/measure.py                 # the table
    python tests/scan/measure.py --misses        # …and which messages were missed or wrongly hit
    python tests/scan/measure.py --repeat 375    # …and messages/s on the corpus repeated (375 × 482 ≈ 180,000)
    python tests/scan/measure.py --check         # exit 1 when a category falls below its floor

Counting is per message and category: a message expected to have «орфография» and hit by it
once or twice is one true positive.
"""
from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from ruamel.yaml import YAML  # noqa: E402

from compliance.imports.message import ChatMessage  # noqa: E402
from compliance.model.records import FindingCategory  # noqa: E402
from compliance.scan import ScanContext, scan  # noqa: E402

CORPUS = Path(__file__).with_name("corpus.yaml")
# A regression below these fails tests/scan/test_measure.py. Precision is held higher than recall:
# a false alarm costs the administrator's time on every import, a miss is one case among many.
FLOORS = {category: (0.95, 0.9) for category in FindingCategory}


@dataclass(frozen=True)
class Labelled:
    message: ChatMessage
    expect: frozenset[str]
    decoy: frozenset[str]


@dataclass(frozen=True)
class Row:
    category: FindingCategory
    tp: int
    fp: int
    fn: int
    decoys: int
    missed: tuple[str, ...]
    false: tuple[str, ...]

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


def _time(text: str) -> dt.time:
    hours, minutes = text.split(":")
    return dt.time(int(hours), int(minutes))


def load(path: Path = CORPUS) -> tuple[ScanContext, list[Labelled]]:
    data = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
    head = data["context"]
    start, end = head["quiet_hours"]
    context = ScanContext(quiet_hours=(_time(start), _time(end)),
                          official_senders=frozenset(head["official_senders"]),
                          dictionary=frozenset(head["dictionary"]),
                          month_end=head["month_end"], today=head["today"])
    known = {c.value for c in FindingCategory}
    labelled = []
    for item in data["messages"]:
        expect, decoy = frozenset(item.get("expect", [])), frozenset(item.get("decoy", []))
        if not (expect | decoy) <= known:
            raise ValueError(f"{item['id']}: неизвестная категория {sorted((expect | decoy) - known)}")
        message = ChatMessage(id=item["id"], time=dt.datetime.strptime(str(item["at"]), "%Y-%m-%d %H:%M"),
                              sender=item["from"], sender_phone=None, text=item["text"], kind=item.get("kind", "text"))
        labelled.append(Labelled(message, expect, decoy))
    return context, labelled


def evaluate(context: ScanContext, corpus: list[Labelled]) -> list[Row]:
    found = {item.message.id: {hit.category.value for hit in scan(item.message, context)} for item in corpus}
    rows = []
    for category in FindingCategory:
        name = category.value
        tp = [i.message.id for i in corpus if name in i.expect and name in found[i.message.id]]
        fn = tuple(i.message.id for i in corpus if name in i.expect and name not in found[i.message.id])
        fp = tuple(i.message.id for i in corpus if name not in i.expect and name in found[i.message.id])
        decoys = sum(name in i.decoy for i in corpus)
        rows.append(Row(category, len(tp), len(fp), len(fn), decoys, fn, fp))
    return rows


def table(rows: list[Row]) -> str:
    lines = [f"{'категория':<24}{'TP':>5}{'FP':>5}{'FN':>5}{'ловушек':>9}{'точность':>10}{'полнота':>9}"]
    for r in rows:
        lines.append(f"{r.category.value:<24}{r.tp:>5}{r.fp:>5}{r.fn:>5}{r.decoys:>9}{r.precision:>10.3f}{r.recall:>9.3f}")
    tp, fp, fn = (sum(getattr(r, f) for r in rows) for f in ("tp", "fp", "fn"))
    total = Row(FindingCategory.PERSONAL_DATA, tp, fp, fn, 0, (), ())
    lines.append(f"{'всего':<24}{tp:>5}{fp:>5}{fn:>5}{'':>9}{total.precision:>10.3f}{total.recall:>9.3f}")
    return "\n".join(lines)


def throughput(context: ScanContext, corpus: list[Labelled], repeat: int) -> tuple[int, float]:
    """Messages scanned and seconds taken, the corpus scanned `repeat` times (caches warm after the first)."""
    messages = [item.message for item in corpus] * repeat
    started = time.perf_counter()
    for message in messages:
        scan(message, context)
    return len(messages), time.perf_counter() - started


def below_floor(rows: list[Row]) -> list[str]:
    return [f"{r.category.value}: точность {r.precision:.3f} < {FLOORS[r.category][0]} или полнота "
            f"{r.recall:.3f} < {FLOORS[r.category][1]}"
            for r in rows if r.precision < FLOORS[r.category][0] or r.recall < FLOORS[r.category][1]]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Точность и полнота сканеров переписки на размеченном наборе.")
    parser.add_argument("--misses", action="store_true", help="перечислить пропуски и ложные срабатывания")
    parser.add_argument("--repeat", type=int, default=0, help="прогнать набор N раз и показать скорость")
    parser.add_argument("--check", action="store_true", help="код 1, если категория ниже порога")
    args = parser.parse_args(argv)
    context, corpus = load()
    rows = evaluate(context, corpus)
    print(f"Сообщений в наборе: {len(corpus)}")
    print(table(rows))
    if args.misses:
        for r in rows:
            if r.missed or r.false:
                print(f"{r.category.value}: пропущены {', '.join(r.missed) or '—'}; ложные {', '.join(r.false) or '—'}")
    if args.repeat:
        count, seconds = throughput(context, corpus, args.repeat)
        print(f"Скорость: {count} сообщений за {seconds:.2f} с — {count / seconds:,.0f} сообщений/с".replace(",", " "))
    problems = below_floor(rows)
    for problem in problems:
        print(f"Ниже порога: {problem}")
    return 1 if args.check and problems else 0


if __name__ == "__main__":
    sys.exit(main())
