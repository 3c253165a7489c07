"""Check the sample records in records/: schema, cross references, counts.

A plain script, not a pytest module:

    python tests/sample_records_check.py [RECORDS_DIR]

Loads every file with ruamel.yaml (typ="safe"), validates it with the pydantic
models of compliance.model.records, checks the references between files and
prints counts: people, groups, acknowledgements per act version, and who is
missing or late. Exits 1 if any problem is found.
"""
from __future__ import annotations

import datetime as dt
import sys
from collections import Counter, defaultdict
from pathlib import Path

from pydantic import ValidationError
from ruamel.yaml import YAML

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from compliance.model.records import (  # noqa: E402
    Acknowledgements,
    Act,
    AckMethod,
    Audience,
    Groups,
    Institution,
    MonthLog,
    Order,
    OrderStatus,
    People,
)

# The sample's "today": nothing may be dated later, except due dates.
SAMPLE_TODAY = dt.date(2026, 11, 25)

problems: list[str] = []


def problem(where: str, text: str) -> None:
    problems.append(f"{where}: {text}")


def load(path: Path, model):
    data = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        for err in exc.errors():
            loc = ".".join(str(part) for part in err["loc"])
            problem(str(path.relative_to(records.parent)), f"{loc}: {err['msg']}")
        return None


def rel(path: Path) -> str:
    return str(path.relative_to(records.parent))


records = Path(sys.argv[1]).resolve() if len(sys.argv) > 1 else ROOT / "records"

# ------------------------------------------------------------------ load
institution = load(records / "institution.yaml", Institution)
people = load(records / "people.yaml", People)
groups_file = load(records / "groups.yaml", Groups)
acks_file = load(records / "acknowledgements.yaml", Acknowledgements)
acts = {p: load(p, Act) for p in sorted((records / "acts").glob("*.yaml"))}
orders = {p: load(p, Order) for p in sorted((records / "orders").glob("*.yaml"))}
logs = {p: load(p, MonthLog) for p in sorted((records / "log").glob("*.yaml"))}

loaded = [institution, people, groups_file, acks_file, *acts.values(), *orders.values(), *logs.values()]
if problems or any(x is None for x in loaded):
    print("\n".join(problems) or "a file failed to load", file=sys.stderr)
    sys.exit(1)

# ------------------------------------------------------------------ people
staff = {p.id: p for p in people.staff}
students = {p.id: p for p in people.students}
parents = {p.id: p for p in people.parents}
all_ids = Counter([p.id for p in people.staff] + [p.id for p in people.students] + [p.id for p in people.parents])
for pid, n in all_ids.items():
    if n > 1:
        problem("people.yaml", f"id {pid} встречается {n} раз(а)")
person = {**staff, **students, **parents}
category = {**{i: Audience.STAFF for i in staff}, **{i: Audience.STUDENTS for i in students},
            **{i: Audience.PARENTS for i in parents}}

for p in people.parents:
    for child in p.children:
        if child not in students:
            problem("people.yaml", f"родитель {p.id}: ребёнок {child} не найден среди обучающихся")
    if len(set(p.children)) != len(p.children):
        problem("people.yaml", f"родитель {p.id}: ребёнок указан дважды")
for p in people.students:
    if not p.id.startswith("st-"):
        problem("people.yaml", f"обучающийся {p.id}: id должен начинаться с st-")
for p in people.parents:
    if not p.id.startswith("pr-"):
        problem("people.yaml", f"родитель {p.id}: id должен начинаться с pr-")

# ------------------------------------------------------------------ institution
if institution.director not in staff:
    problem("institution.yaml", f"директор {institution.director} не найден среди работников")
elif staff[institution.director].position != "директор":
    problem("institution.yaml", f"{institution.director} не директор")
if institution.secretary not in staff:
    problem("institution.yaml", f"делопроизводитель {institution.secretary} не найден среди работников")
series_index = [s.index for s in institution.order_series]
if len(set(series_index)) != len(series_index):
    problem("institution.yaml", "повторяется индекс серии приказов")

# ------------------------------------------------------------------ orders
order_by_id: dict[str, Order] = {}
for path, order in orders.items():
    expected = f"{order.date.year}-{order.number:03d}-{order.series}"
    if path.stem != expected:
        problem(rel(path), f"имя файла должно быть {expected}.yaml")
    order_by_id[path.stem] = order
    if order.series not in series_index:
        problem(rel(path), f"серия {order.series} не описана в institution.yaml")
    if order.signed_by != institution.director:
        problem(rel(path), f"подписал {order.signed_by}, а директор — {institution.director}")
    for who in (order.signed_by, order.executor, order.control):
        if who is not None and who not in staff:
            problem(rel(path), f"{who} не найден среди работников")
    if order.date > SAMPLE_TODAY:
        problem(rel(path), f"дата {order.date} позже {SAMPLE_TODAY}")
    if order.deadlines and order.deadlines.acknowledged < order.date:
        problem(rel(path), "срок ознакомления раньше даты приказа")
    if order.cancelled_by and order.cancelled_by not in {p.stem for p in orders}:
        problem(rel(path), f"приказ об отмене {order.cancelled_by} не найден")

# ------------------------------------------------------------------ acts
act_by_id: dict[str, Act] = {}
for path, act in acts.items():
    if path.stem != act.id:
        problem(rel(path), f"id {act.id} не совпадает с именем файла")
    act_by_id[act.id] = act
    for v in act.versions:
        order = order_by_id.get(v.approved_by)
        if order is None:
            problem(rel(path), f"редакция {v.version}: приказ {v.approved_by} не найден")
            continue
        if not any(a.act == act.id and a.version == v.version for a in order.approves):
            problem(rel(path), f"редакция {v.version}: приказ {v.approved_by} её не утверждает")
        if order.status is not OrderStatus.SIGNED:
            problem(rel(path), f"редакция {v.version}: приказ {v.approved_by} не подписан")
        if v.effective < order.date:
            problem(rel(path), f"редакция {v.version} вступает в силу раньше приказа")
        if v.version > 1 and not v.changes:
            problem(rel(path), f"редакция {v.version}: не описано, что изменилось")
for oid, order in order_by_id.items():
    for a in order.approves:
        act = act_by_id.get(a.act)
        if act is None or all(v.version != a.version for v in act.versions):
            problem(f"orders/{oid}.yaml", f"утверждает {a.act} ред. {a.version}, но такой редакции нет в acts/")
        elif next(v for v in act.versions if v.version == a.version).approved_by != oid:
            problem(f"orders/{oid}.yaml", f"{a.act} ред. {a.version} в acts/ утверждена другим приказом")

# ------------------------------------------------------------------ groups
groups = groups_file.groups
group_by_id = {}
for g in groups:
    where = f"groups.yaml: группа {g.id}"
    if g.id in group_by_id:
        problem(where, "повторяется id группы")
    group_by_id[g.id] = g
    if g.admin not in staff:
        problem(where, f"администратор {g.admin} не найден среди работников")
    order = order_by_id.get(g.order)
    if order is None:
        problem(where, f"приказ {g.order} не найден")
    elif g.created and g.created < order.date:
        problem(where, "создана раньше приказа")
    if g.registered and g.created and g.registered < g.created:
        problem(where, "зарегистрирована раньше создания")
    for d in (g.created, g.registered):
        if d and d > SAMPLE_TODAY:
            problem(where, f"дата {d} позже {SAMPLE_TODAY}")
    if len(set(g.members)) != len(g.members):
        problem(where, "участник указан дважды")
    if len(set(g.tasks)) != len(g.tasks):
        problem(where, "задача указана дважды")
    for m in g.members:
        if m not in person:
            problem(where, f"участник {m} не найден в people.yaml")
        elif category[m] not in g.audience:
            problem(where, f"участник {m} ({category[m].value}) не относится к участникам группы {[a.value for a in g.audience]}")
    for a in g.requires_acts:
        if a not in act_by_id:
            problem(where, f"акт {a} не найден в acts/")
    # Sample invariant: a parents' group holds every parent of every student of
    # its association, a students' group every student of it.
    if g.audience == [Audience.PARENTS]:
        kids = {s.id for s in people.students if s.association == g.association}
        expected = {p.id for p in people.parents if kids & set(p.children)}
        if set(g.members) != expected:
            problem(where, f"не хватает {sorted(expected - set(g.members))}, лишние {sorted(set(g.members) - expected)}")
    if g.audience == [Audience.STUDENTS]:
        expected = {s.id for s in people.students if s.association == g.association}
        if set(g.members) != expected:
            problem(where, f"не хватает {sorted(expected - set(g.members))}, лишние {sorted(set(g.members) - expected)}")

members_all = {m for g in groups for m in g.members}
for pid in parents:
    if pid not in members_all:
        problem("people.yaml", f"родитель {pid} не состоит ни в одной группе")

# ------------------------------------------------------------------ acknowledgements
acks = acks_file.acknowledgements
seen = set()
by_version: dict[tuple[str, int], dict[str, dt.date]] = defaultdict(dict)
for i, a in enumerate(acks):
    where = f"acknowledgements.yaml: запись {i + 1} ({a.person}, {a.act} ред. {a.version})"
    key = (a.person, a.act, a.version)
    if key in seen:
        problem(where, "ознакомление записано дважды")
    seen.add(key)
    if a.person not in person:
        problem(where, "человек не найден в people.yaml")
    elif a.person not in members_all:
        problem(where, "человек не состоит ни в одной группе")
    act = act_by_id.get(a.act)
    version = next((v for v in act.versions if v.version == a.version), None) if act else None
    if version is None:
        problem(where, "нет такого акта или редакции")
        continue
    if a.date < version.effective or a.date < order_by_id[version.approved_by].date:
        problem(where, f"дата {a.date} раньше утверждения редакции")
    if a.date > SAMPLE_TODAY:
        problem(where, f"дата {a.date} позже {SAMPLE_TODAY}")
    if (a.method is AckMethod.PAPER) != (a.sheet is not None):
        problem(where, "номер листа указывается только для бумажного листа, и для него обязателен")
    by_version[(a.act, a.version)][a.person] = a.date

# Who must acknowledge what: members of groups whose audience meets the act's required_for.
required: dict[str, set[str]] = defaultdict(set)
for g in groups:
    for act in act_by_id.values():
        if set(g.audience) & set(act.required_for) or act.id in g.requires_acts:
            required[act.id].update(g.members)
for (act_id, _), signed in by_version.items():
    for pid in signed:
        if pid not in required[act_id]:
            problem("acknowledgements.yaml", f"{pid} ознакомлен с {act_id}, но не обязан (нет подходящей группы)")

# ------------------------------------------------------------------ month logs
violation_ids = Counter()
for path, log in logs.items():
    if path.stem != log.month:
        problem(rel(path), f"month {log.month} не совпадает с именем файла")
    year, month = map(int, log.month.split("-"))
    entries = [("действие", e) for e in log.actions] + [("удаление", e) for e in log.deletions]
    for kind, e in entries:
        where = f"{rel(path)}: {kind} {e.date} в {e.group}"
        if (e.date.year, e.date.month) != (year, month):
            problem(where, "дата не в этом месяце")
        if e.date > SAMPLE_TODAY:
            problem(where, f"дата позже {SAMPLE_TODAY}")
        if e.group not in group_by_id:
            problem(where, "группа не найдена")
        elif e.by != group_by_id[e.group].admin:
            problem(where, f"{e.by} не администратор этой группы")
    for v in log.violations:
        where = f"{rel(path)}: нарушение {v.id}"
        violation_ids[v.id] += 1
        if (v.date.year, v.date.month) != (year, month) or v.date > SAMPLE_TODAY:
            problem(where, "дата не в этом месяце или в будущем")
        if v.group not in group_by_id:
            problem(where, "группа не найдена")
        elif v.person and v.person not in group_by_id[v.group].members:
            problem(where, f"{v.person} не участник группы {v.group}")
        if v.measure_date and (v.measure_date < v.date or v.measure_date > SAMPLE_TODAY):
            problem(where, "дата меры раньше нарушения или в будущем")
        if v.measure and not v.measure_date:
            problem(where, "мера без даты")
        if not v.resolved and not v.due:
            problem(where, "не устранено, но нет срока устранения")
for vid, n in violation_ids.items():
    if n > 1:
        problem("log/", f"нарушение {vid} записано {n} раз(а)")

# ------------------------------------------------------------------ report
if problems:
    print("\n".join(problems), file=sys.stderr)
    print(f"Найдено проблем: {len(problems)}", file=sys.stderr)
    sys.exit(1)

print(f"staff: {len(staff)}, students: {len(students)}, parents: {len(parents)}, "
      f"groups: {len(groups)}, group members (unique): {len(members_all)}")
for g in groups:
    late = " late" if g.created and order_by_id[g.order].deadlines and \
        g.created > order_by_id[g.order].deadlines.groups_created else ""
    print(f"  {g.id:<20} {g.messenger.value:<9} {len(g.members):>3} members"
          f"  created {g.created}{late}  registered {g.registered}")
print(f"acknowledgements: {len(acks)}")
for act in act_by_id.values():
    for v in act.versions:
        signed = by_version.get((act.id, v.version), {})
        deadline = order_by_id[v.approved_by].deadlines.acknowledged
        late = sorted(p for p, d in signed.items() if d > deadline)
        missing = sorted(required[act.id] - set(signed))
        print(f"  {act.id} v{v.version}: required {len(required[act.id])}, acknowledged {len(signed)} "
              f"(late {len(late)}, deadline {deadline}), missing {len(missing)}")
        print(f"    late:    {', '.join(late) or '—'}")
        print(f"    missing: {', '.join(missing) or '—'}")
for path, log in logs.items():
    kinds = Counter(a.kind.value for a in log.actions)
    print(f"log {log.month}: actions {len(log.actions)} {dict(kinds)}, deletions {len(log.deletions)}, "
          f"violations {len(log.violations)}")
    monitored = {a.group for a in log.actions if a.kind.value == "мониторинг"}
    print(f"  groups without мониторинг: {', '.join(sorted(set(group_by_id) - monitored)) or '—'}")
print("OK")
