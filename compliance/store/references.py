"""Cross-record checks: duplicate ids, dangling references, names that disagree with files."""
from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable

from ..errors import Problem
from ..model.registry import Records
from .yamlfile import Located


class _Checker:
    def __init__(self, records: Records, files: dict[Path, Located]):
        self.records = records
        self.root = records.root
        self.files = files
        self.problems: list[Problem] = []

    def add(self, path: Path, loc: tuple, message: str, fix: str, *, key: bool = False) -> None:
        located = self.files.get(path)
        if located is None:
            self.problems.append(Problem(path, 1, 1, message, fix))
        else:
            self.problems.append(located.problem(loc, message, fix, key=key))

    def line_of(self, path: Path, loc: tuple) -> int:
        located = self.files.get(path)
        return located.where(loc)[0] if located else 1

    def unique(self, path: Path, items: Iterable[tuple[tuple, str]], what: str) -> None:
        seen: dict[str, tuple[Path, tuple]] = {}
        for loc, value in items:
            if value in seen:
                first_path, first_loc = seen[value]
                where = f"строка {self.line_of(first_path, first_loc)}"
                if first_path != path:
                    where = f"{first_path.name}, {where}"
                self.add(path, loc, f"{what} «{value}» уже встречается ({where})",
                         "у каждой записи свой id: переименуйте одну из них")
            else:
                seen[value] = (path, loc)

    def exists(self, path: Path, loc: tuple, value: str | None, pool: Any, message: str, fix: str) -> None:
        if value is not None and value not in pool:
            self.add(path, loc, message.format(value=value), fix.format(value=value))


def _is_future(order_id: str, records: Records) -> bool:
    """Whether `order_id` is a number not given yet in its year and series (`order new` gives the next one)."""
    year, number, series = order_id.split("-", 2)
    if series not in {s.index for s in records.institution.order_series}:
        return False
    taken = [order.number for _, order in records.orders if order.date.year == int(year) and order.series == series]
    return int(number) > max(taken, default=0)


def check_references(records: Records, files: dict[Path, Located], loaded: dict[str, Any]) -> list[Problem]:
    c = _Checker(records, files)
    root = records.root
    people_file, groups_file = root / "people.yaml", root / "groups.yaml"
    inst_file, acks_file = root / "institution.yaml", root / "acknowledgements.yaml"
    staff_ids = {p.id for p in records.staff}
    student_ids = {p.id for p in records.students}
    orders = records.orders_by_id
    acts = records.acts_by_id

    c.unique(people_file, [((section, i, "id"), p.id)
                           for section, items in (("staff", records.staff), ("students", records.students), ("parents", records.parents))
                           for i, p in enumerate(items)], "id")
    staff_fix = "укажите id сотрудника из раздела staff в people.yaml"
    for field in ("director", "secretary"):
        c.exists(inst_file, (field,), getattr(records.institution, field), staff_ids,
                 "сотрудник «{value}» не найден в разделе staff файла people.yaml", staff_fix)
    for i, parent in enumerate(records.parents):
        for j, child in enumerate(parent.children):
            c.exists(people_file, ("parents", i, "children", j), child, student_ids,
                     f"родитель «{parent.id}»: ребёнок «{{value}}» не найден среди обучающихся (students)",
                     "добавьте обучающегося с таким id или исправьте id ребёнка")

    c.unique(groups_file, [(("groups", i, "id"), g.id) for i, g in enumerate(records.groups)], "id группы")
    for i, group in enumerate(records.groups):
        at = ("groups", i)
        c.exists(groups_file, at + ("admin",), group.admin, staff_ids,
                 f"группа «{group.title}»: администратор «{{value}}» не найден среди сотрудников в people.yaml",
                 "добавьте сотрудника с таким id в раздел staff или укажите id существующего сотрудника")
        if group.order not in orders and _is_future(group.order, records):
            # README's workflow: a new group names the number of the order about to be drafted.
            c.add(groups_file, at + ("order",),
                  f"группа «{group.title}»: приказа «{group.order}» ещё нет — проект приказа о создании группы не "
                  f"создан, а без него записи не проверяются и документы не формируются",
                  "создайте проект командой «compliance order new»: он получит следующий свободный номер "
                  "и будет указан у группы")
        else:
            c.exists(groups_file, at + ("order",), group.order, orders,
                     f"группа «{group.title}»: приказ «{{value}}» не найден в records/orders/",
                     "создайте приказ командой «compliance order new» или исправьте id приказа")
        for j, act_id in enumerate(group.requires_acts):
            c.exists(groups_file, at + ("requires_acts", j), act_id, acts,
                     f"группа «{group.title}»: акт «{{value}}» не найден в records/acts/", "добавьте акт или исправьте его id")
        seen: set[str] = set()
        for j, member in enumerate(group.members):
            c.exists(groups_file, at + ("members", j), member, records.people,
                     f"группа «{group.title}»: участник «{{value}}» не найден в people.yaml",
                     "добавьте человека в people.yaml или исправьте id")
            if member in seen:
                c.add(groups_file, at + ("members", j), f"группа «{group.title}»: участник «{member}» указан дважды",
                      "оставьте одну строку с этим участником")
            seen.add(member)
        for member in group.joined:
            if member not in seen:
                c.add(groups_file, at + ("joined", member), f"группа «{group.title}»: «{member}» указан в joined, но не входит в members",
                      "добавьте участника в members или уберите его из joined", key=True)

    act_ids: dict[str, Path] = {}
    for path, act in loaded["acts"]:
        if act.id != path.stem:
            c.add(path, ("id",), f"id акта «{act.id}» не совпадает с именем файла «{path.name}»",
                  f"переименуйте файл в {act.id}.yaml или исправьте id")
        if act.id in act_ids:
            c.add(path, ("id",), f"акт «{act.id}» уже описан в {act_ids[act.id].name}", "у каждого акта свой id")
        act_ids[act.id] = path
        for i, version in enumerate(act.versions):
            order = orders.get(version.approved_by)
            if order is None:
                c.add(path, ("versions", i, "approved_by"), f"приказ «{version.approved_by}» не найден в records/orders/",
                      "укажите id приказа, которым утверждена редакция, или добавьте этот приказ")
            elif not any(a.act == act.id and a.version == version.version for a in order.approves):
                c.add(path, ("versions", i, "approved_by"),
                      f"приказ «{version.approved_by}» не утверждает редакцию {version.version} акта «{act.id}»",
                      f"добавьте в приказ в раздел approves строку «- {{act: {act.id}, version: {version.version}}}» или исправьте ссылку")

    series = {s.index for s in records.institution.order_series}
    seen_orders: dict[str, Path] = {}
    for path, order in loaded["orders"]:
        if order.id != path.stem:
            c.add(path, ("number",), f"номер и дата приказа ({order.registration_number} от {order.date.year} г.) не совпадают с именем файла «{path.name}»",
                  f"переименуйте файл в {order.id}.yaml или исправьте номер, серию и дату")
        if order.id in seen_orders:
            c.add(path, ("number",), f"приказ № {order.registration_number} за {order.date.year} г. уже записан в {seen_orders[order.id].name}",
                  "номера приказов не повторяются: дайте приказу следующий свободный номер")
        seen_orders[order.id] = path
        if order.series not in series:
            c.add(path, ("series",), f"серии приказов «{order.series}» нет в institution.yaml",
                  f"укажите одну из серий: {', '.join(sorted(series))}, или добавьте серию в order_series")
        for field in ("signed_by", "executor", "control"):
            c.exists(path, (field,), getattr(order, field), staff_ids,
                     "сотрудник «{value}» не найден в разделе staff файла people.yaml", staff_fix)
        c.exists(path, ("cancelled_by",), order.cancelled_by, orders,
                 "приказ «{value}» не найден в records/orders/", "укажите id отменяющего приказа")
        for i, approved in enumerate(order.approves):
            act = acts.get(approved.act)
            if act is None:
                c.add(path, ("approves", i, "act"), f"акт «{approved.act}» не найден в records/acts/", "добавьте акт или исправьте id")
            elif approved.version > len(act.versions):
                c.add(path, ("approves", i, "version"), f"у акта «{act.id}» нет редакции {approved.version}",
                      f"добавьте редакцию в acts/{act.id}.yaml или исправьте номер")

    seen_acks: dict[tuple, tuple] = {}
    for i, ack in enumerate(records.acknowledgements):
        at = ("acknowledgements", i)
        c.exists(acks_file, at + ("person",), ack.person, records.people,
                 "человек «{value}» не найден в people.yaml", "исправьте id или добавьте человека в people.yaml")
        act = acts.get(ack.act)
        if act is None:
            c.add(acks_file, at + ("act",), f"акт «{ack.act}» не найден в records/acts/", "исправьте id акта")
        elif ack.version > len(act.versions):
            c.add(acks_file, at + ("version",), f"у акта «{ack.act}» нет редакции {ack.version}",
                  f"редакции акта: {', '.join(str(v.version) for v in act.versions)}")
        else:
            order = orders.get(act.versions[ack.version - 1].approved_by)
            if order is not None and ack.date < order.date:
                c.add(acks_file, at + ("date",),
                      f"дата ознакомления {ack.date:%d.%m.%Y} раньше утверждения редакции {ack.version} ({order.date:%d.%m.%Y})",
                      "проверьте дату по листу ознакомления")
        if ack.signed_by is not None:
            parent = records.people.get(ack.signed_by)
            if parent is None or ack.person not in getattr(parent, "children", ()):
                c.add(acks_file, at + ("signed_by",),
                      f"«{ack.signed_by}» не записан(а) в people.yaml родителем обучающегося «{ack.person}»",
                      "укажите в signed_by id родителя (законного представителя) этого обучающегося")
        key = (ack.person, ack.act, ack.version)
        if key in seen_acks:
            c.add(acks_file, at, f"ознакомление «{ack.person}» с редакцией {ack.version} акта «{ack.act}» уже записано "
                                 f"(строка {c.line_of(acks_file, seen_acks[key])})", "удалите повторную запись")
        else:
            seen_acks[key] = at

    violation_ids: list[tuple[Path, tuple, str]] = []
    for path, month in loaded["log"]:
        if month.month != path.stem:
            c.add(path, ("month",), f"месяц «{month.month}» не совпадает с именем файла «{path.name}»",
                  f"переименуйте файл в {month.month}.yaml или исправьте месяц")
        for section in ("actions", "deletions", "violations"):
            for i, entry in enumerate(getattr(month, section)):
                at = (section, i)
                if entry.date.strftime("%Y-%m") != month.month:
                    c.add(path, at + ("date",), f"дата {entry.date:%d.%m.%Y} не относится к месяцу {month.month}",
                          f"перенесите запись в log/{entry.date:%Y-%m}.yaml или исправьте дату")
                c.exists(path, at + ("group",), entry.group, records.groups_by_id,
                         "группа «{value}» не найдена в groups.yaml", "укажите id группы из groups.yaml")
                if section != "violations":
                    c.exists(path, at + ("by",), entry.by, staff_ids,
                             "сотрудник «{value}» не найден в разделе staff файла people.yaml", staff_fix)
                else:
                    c.exists(path, at + ("person",), entry.person, records.people,
                             "человек «{value}» не найден в people.yaml", "исправьте id или уберите поле person")
                    violation_ids.append((path, at + ("id",), entry.id))
    all_violations = {vid for _, _, vid in violation_ids}
    for path, month in loaded["log"]:
        for i, item in enumerate(month.imports):
            c.exists(path, ("imports", i, "group"), item.group, records.groups_by_id,
                     "группа «{value}» не найдена в groups.yaml", "укажите id группы из groups.yaml")
        for i, finding in enumerate(month.findings):
            at = ("findings", i)
            c.exists(path, at + ("group",), finding.group, records.groups_by_id,
                     "группа «{value}» не найдена в groups.yaml", "укажите id группы из groups.yaml")
            c.exists(path, at + ("sender",), finding.sender, records.people,
                     "человек «{value}» не найден в people.yaml", "исправьте id или уберите поле sender")
            c.exists(path, at + ("violation",), finding.violation, all_violations,
                     "нарушение «{value}» не найдено в разделах violations журналов",
                     "внесите нарушение в раздел violations или исправьте id")
        c.unique(path, [(("findings", i, "id"), f.id) for i, f in enumerate(month.findings)], "замечание")
    seen_violations: dict[str, tuple[Path, tuple]] = {}
    for path, loc, vid in violation_ids:
        if vid in seen_violations:
            first_path, first_loc = seen_violations[vid]
            c.add(path, loc, f"нарушение «{vid}» уже записано ({first_path.name}, строка {c.line_of(first_path, first_loc)})",
                  "дайте нарушению другой id")
        else:
            seen_violations[vid] = (path, loc)
    return c.problems
