"""Which records a document was made from: a short fingerprint printed on it and a manifest
embedded in its metadata, so `compliance verify` can tell whether it still matches.

A record's digest covers its parsed content, not its YAML text: comments and layout
do not change a document's fingerprint.
"""
from __future__ import annotations

import base64
import hashlib
import json
import zlib
from dataclasses import dataclass
from operator import itemgetter

MANIFEST_PREFIX = "compliance-stamp/1 "


@dataclass(frozen=True)
class Stamp:
    kind: str                              # "order", "acknowledgement_sheet", "monthly_report", "order_register"
    key: str                               # which one: "2026-045-од", "raduga-parents/poryadok/1", "2026-11"
    digests: tuple[tuple[str, str], ...]   # (record, digest), sorted: "groups.yaml#raduga-parents" → "9c1d…"

    @property
    def fingerprint(self) -> str:
        return _digest("\n".join(f"{k}={v}" for k, v in self.digests), 10)

    @property
    def footer(self) -> str:
        return f"Отпечаток записей: {self.fingerprint}"

    @property
    def qr_text(self) -> str:
        return f"compliance:{self.kind}:{self.key}:{self.fingerprint}"

    def manifest(self) -> str:
        payload = json.dumps({"kind": self.kind, "key": self.key, "digests": dict(self.digests)},
                             ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        return MANIFEST_PREFIX + base64.b64encode(zlib.compress(payload.encode("utf-8"), 9)).decode("ascii")

    @classmethod
    def from_manifest(cls, text: str) -> "Stamp | None":
        start = text.find(MANIFEST_PREFIX)
        if start < 0:
            return None
        encoded = text[start + len(MANIFEST_PREFIX):].split()[0]
        try:
            payload = json.loads(zlib.decompress(base64.b64decode(encoded)).decode("utf-8"))
            return cls(payload["kind"], payload["key"], tuple(sorted(payload["digests"].items())))
        except (ValueError, KeyError, zlib.error, TypeError):
            return None


def _digest(text: str, length: int = 12) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:length]


def record_digest(value) -> str:
    """Digest of a record's content: a pydantic model, or a list of them."""
    # Defaults left out: a new optional field in the models must not make every built document stale.
    if isinstance(value, (list, tuple)):
        data = [item.model_dump(mode="json", exclude_defaults=True) for item in value]
    else:
        data = value.model_dump(mode="json", exclude_defaults=True)
    return _digest(json.dumps(data, ensure_ascii=False, sort_keys=True))


class _Collector:
    """The digests one document depends on. Each record's digest is worked out once per Records (a report
    and hundreds of sheets name the same people): kept in `records.memo` by the record object."""

    def __init__(self, records):
        self.records = records
        self.memo: dict = records.memo
        self.found: dict[str, str] = {"institution.yaml": self._digest(records.institution)}

    def _digest(self, value) -> str:
        kept = self.memo.get(id(value))
        if kept is None or kept[0] is not value:     # the object is kept with it: its id is not reused meanwhile
            kept = self.memo[id(value)] = (value, record_digest(value))
        return kept[1]

    def person(self, pid: str) -> None:
        self.found[f"people.yaml#{pid}"] = self._digest(self.records.people[pid])

    def acknowledgements_of(self, pid: str) -> None:
        key = ("acknowledgements", pid)
        digest = self.memo.get(key)
        if digest is None:
            digest = self.memo[key] = record_digest(list(self.records.acknowledgements_by_person.get(pid, ())))
        self.found[f"acknowledgements.yaml#{pid}"] = digest

    def group(self, group) -> None:
        self.found[f"groups.yaml#{group.id}"] = self._digest(group)

    def act(self, act) -> None:
        self.found[f"acts/{act.id}.yaml"] = self._digest(act)

    def order(self, order_id: str) -> None:
        order = self.records.orders_by_id[order_id]
        self.found[f"orders/{order_id}.yaml"] = self._digest(order)
        for pid in filter(None, (order.signed_by, order.executor, order.control)):
            self.person(pid)

    def stamp(self, kind: str, key: str) -> Stamp:
        # by record name alone: the names are unique, so the order is the same, without comparing tuples
        return Stamp(kind, key, tuple(sorted(self.found.items(), key=itemgetter(0))))


def order_stamp(records, order_id: str) -> Stamp:
    c = _Collector(records)
    c.order(order_id)
    order = records.orders_by_id[order_id]
    for approved in order.approves:
        c.act(records.acts_by_id[approved.act])
    for group in records.groups:
        if group.order == order_id:
            c.group(group)
            c.person(group.admin)
    return c.stamp("order", order_id)


def sheet_stamp(records, group, act, version) -> Stamp:
    c = _Collector(records)
    c.group(group)
    c.act(act)
    c.order(version.approved_by)
    c.person(group.admin)
    for pid in group.members:
        c.person(pid)
        c.acknowledgements_of(pid)
    return c.stamp("acknowledgement_sheet", f"{group.id}/{act.id}/{version.version}")


def report_stamp(records, month: str) -> Stamp:
    c = _Collector(records)
    for group in records.groups:
        c.group(group)
        c.person(group.admin)
        for pid in group.members:
            c.person(pid)
            c.acknowledgements_of(pid)
    for act in records.acts:
        c.act(act)
    for order_id, _ in records.orders:
        c.order(order_id)  # every order: drafts and creation orders feed the report's findings too
    for pid in (records.institution.director, records.institution.secretary):
        c.person(pid)
    log = records.logs_by_month.get(month)
    if log is not None:
        c.found[f"log/{month}.yaml"] = record_digest(log)
    return c.stamp("monthly_report", month)


def register_stamp(records, year: int, series: str) -> Stamp:
    c = _Collector(records)
    ours = [oid for oid, order in records.orders if (order.date.year, order.series) == (year, series)]
    for order_id in ours:
        order = records.orders_by_id[order_id]
        c.order(order_id)
        # the note names the cancelling order, or the order this one cancels
        linked = [order.cancelled_by] + [oid for oid, o in records.orders if o.cancelled_by == order_id]
        for other in filter(None, linked):
            c.order(other)
        # the acknowledgement mark: the staff the order names, and what they acknowledged
        named = {g.admin for g in records.groups if g.order == order_id} | ({order.control} if order.control else set())
        for group in records.groups:
            if group.order == order_id:
                c.group(group)
        for pid in named:
            c.person(pid)
            c.acknowledgements_of(pid)
    return c.stamp("order_register", f"{year}-{series}")
