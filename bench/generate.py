"""A large institution's records, generated: deterministic for a seed, valid for `compliance check`.

    python -m bench.generate /tmp/big-records              # ~3,000 students, 5,000 parents, 150 staff, 200 groups
    python -m bench.generate /tmp/tiny --scale tiny        # a few dozen people, for tests

The records imitate a year in a big centre of supplementary education: one order creating
most groups in January, a few more groups every month, a new school year in September,
a new edition of the chat rules in October, a draft order in late November; acknowledgements
signed mostly on time, with the gaps real groups have (newcomers, the newest edition);
a November log with admin actions, deletions, violations, chat imports and reviewed findings.
The files are written the way the sample records/ are: one flow mapping per line, a comment
with the person's surname and initials.
"""
from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import random
import re
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

D = dt.date
MONTH = "2026-11"
CHECK_ON = D(2026, 11, 30)          # the date benchmarks check the records on
LAST_SIGNATURE = D(2026, 11, 25)    # nothing is signed after this day
SAMPLE = Path(__file__).resolve().parents[1] / "records"


@dataclass(frozen=True)
class Scale:
    students: int
    parents: int
    staff: int
    groups: int
    associations: int
    channel: int                    # members of the all-parents channel (the big acknowledgement sheet)

    @classmethod
    def named(cls, name: str) -> "Scale":
        return SCALES[name]


SCALES = {
    "large": Scale(students=3000, parents=5000, staff=150, groups=200, associations=60, channel=1200),
    "small": Scale(students=300, parents=500, staff=30, groups=24, associations=8, channel=120),
    "tiny": Scale(students=40, parents=66, staff=14, groups=10, associations=3, channel=20),
}

def effective_date(approved: D, version: int) -> D:
    """A first edition is in force from its order; a later one a few days after, as the sample's."""
    return approved if version == 1 else approved + dt.timedelta(days=5)


# ------------------------------------------------------------------------------------------ names

MALE = [  # name, patronymic of a son, of a daughter
    ("Александр", "Александрович", "Александровна"), ("Алексей", "Алексеевич", "Алексеевна"),
    ("Андрей", "Андреевич", "Андреевна"), ("Антон", "Антонович", "Антоновна"), ("Артём", "Артёмович", "Артёмовна"),
    ("Борис", "Борисович", "Борисовна"), ("Вадим", "Вадимович", "Вадимовна"), ("Василий", "Васильевич", "Васильевна"),
    ("Виктор", "Викторович", "Викторовна"), ("Владимир", "Владимирович", "Владимировна"),
    ("Дмитрий", "Дмитриевич", "Дмитриевна"), ("Денис", "Денисович", "Денисовна"),
    ("Евгений", "Евгеньевич", "Евгеньевна"), ("Иван", "Иванович", "Ивановна"), ("Игорь", "Игоревич", "Игоревна"),
    ("Илья", "Ильич", "Ильинична"), ("Кирилл", "Кириллович", "Кирилловна"),
    ("Константин", "Константинович", "Константиновна"), ("Максим", "Максимович", "Максимовна"),
    ("Михаил", "Михайлович", "Михайловна"), ("Никита", "Никитич", "Никитична"),
    ("Николай", "Николаевич", "Николаевна"), ("Олег", "Олегович", "Олеговна"), ("Павел", "Павлович", "Павловна"),
    ("Роман", "Романович", "Романовна"), ("Сергей", "Сергеевич", "Сергеевна"),
    ("Станислав", "Станиславович", "Станиславовна"), ("Юрий", "Юрьевич", "Юрьевна"),
    ("Ярослав", "Ярославович", "Ярославовна"), ("Григорий", "Григорьевич", "Григорьевна"),
    ("Фёдор", "Фёдорович", "Фёдоровна"), ("Егор", "Егорович", "Егоровна"), ("Тимофей", "Тимофеевич", "Тимофеевна"),
    ("Глеб", "Глебович", "Глебовна"), ("Матвей", "Матвеевич", "Матвеевна"), ("Пётр", "Петрович", "Петровна"),
    ("Георгий", "Георгиевич", "Георгиевна"), ("Руслан", "Русланович", "Руслановна"),
    ("Эдуард", "Эдуардович", "Эдуардовна"), ("Валерий", "Валерьевич", "Валерьевна"),
]
FEMALE = ["Анна", "Мария", "Елена", "Ольга", "Наталья", "Татьяна", "Ирина", "Светлана", "Екатерина", "Юлия",
          "Анастасия", "Дарья", "Ксения", "Алина", "Виктория", "Марина", "Людмила", "Галина", "Оксана", "Евгения",
          "Надежда", "Вера", "Любовь", "Валерия", "Александра", "Кристина", "Яна", "Жанна", "Инна", "Лариса"]
BOYS = ["Артём", "Матвей", "Тимофей", "Лев", "Марк", "Михаил", "Максим", "Иван", "Даниил", "Кирилл", "Егор",
        "Фёдор", "Арсений", "Глеб", "Платон", "Семён", "Никита", "Роман", "Мирон", "Савелий", "Степан", "Богдан",
        "Захар", "Макар", "Всеволод", "Тихон", "Ярослав", "Давид", "Илья", "Александр"]
GIRLS = ["Софья", "Алиса", "Ева", "Полина", "Варвара", "Анна", "Мария", "Виктория", "Василиса", "Милана",
         "Арина", "Вероника", "Кира", "Злата", "Ульяна", "Таисия", "Есения", "Агата", "Дарья", "Ксения",
         "Елизавета", "Александра", "Мирослава", "Стефания", "Екатерина", "Маргарита", "Алёна", "Ника", "Диана", "Яна"]
SURNAMES = [  # male forms; the female form is derived (invariable ones stay as they are)
    "Иванов", "Смирнов", "Кузнецов", "Попов", "Васильев", "Петров", "Соколов", "Михайлов", "Новиков", "Фёдоров",
    "Морозов", "Волков", "Алексеев", "Лебедев", "Семёнов", "Егоров", "Павлов", "Козлов", "Степанов", "Николаев",
    "Орлов", "Андреев", "Макаров", "Никитин", "Захаров", "Зайцев", "Соловьёв", "Борисов", "Яковлев", "Григорьев",
    "Романов", "Воробьёв", "Сергеев", "Кузьмин", "Фролов", "Александров", "Дмитриев", "Королёв", "Гусев", "Киселёв",
    "Ильин", "Максимов", "Поляков", "Сорокин", "Виноградов", "Ковалёв", "Белов", "Медведев", "Антонов", "Тарасов",
    "Жуков", "Баранов", "Филиппов", "Комаров", "Давыдов", "Беляев", "Герасимов", "Богданов", "Осипов", "Сидоров",
    "Матвеев", "Титов", "Марков", "Миронов", "Крылов", "Куликов", "Карпов", "Власов", "Мельников", "Денисов",
    "Гаврилов", "Тихонов", "Казаков", "Афанасьев", "Данилов", "Савельев", "Тимофеев", "Фомин", "Чернов", "Абрамов",
    "Мартынов", "Ефимов", "Федотов", "Щербаков", "Назаров", "Калинин", "Исаев", "Чернышёв", "Быков", "Маслов",
    "Родионов", "Коновалов", "Лазарев", "Воронин", "Климов", "Филатов", "Пономарёв", "Голубев", "Кудрявцев",
    "Прохоров", "Наумов", "Потапов", "Журавлёв", "Овчинников", "Трофимов", "Леонов", "Соболев", "Ермаков",
    "Колесников", "Гончаров", "Емельянов", "Никифоров", "Грачёв", "Котов", "Гришин", "Ефремов", "Архипов",
    "Громов", "Кириллов", "Малышев", "Панов", "Моисеев", "Румянцев", "Акимов", "Кондратьев", "Бирюков", "Горбунов",
    "Анисимов", "Ерёмин", "Тихомиров", "Галкин", "Лукьянов", "Михеев", "Скворцов", "Юдин", "Белоусов", "Нестеров",
    "Симонов", "Прокофьев", "Харитонов", "Князев", "Цветков", "Левин", "Митрофанов", "Воронцов", "Аксёнов",
    "Островский", "Покровский", "Вишневский", "Ковальчук", "Шевченко", "Бондаренко", "Лысенко", "Ким", "Седых",
    "Черных", "Белых", "Кравчук", "Мельник", "Левченко", "Дьяченко", "Полянский", "Савицкий", "Данилевский",
]
TRANSLIT = dict(zip("абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
                    ["a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "y", "k", "l", "m", "n", "o", "p", "r", "s", "t",
                     "u", "f", "kh", "ts", "ch", "sh", "shch", "", "y", "", "e", "yu", "ya"]))


def female_surname(male: str) -> str:
    if re.search(r"(ов|ев|ёв|ин|ын)$", male):
        return male + "а"
    if male.endswith(("ский", "цкий")):
        return male[:-2] + "ая"
    return male


def latin(text: str) -> str:
    return "".join(TRANSLIT.get(ch, ch) for ch in text.lower())


# ------------------------------------------------------------------------------- associations

DIRECTIONS = {
    "художественная": ["Изостудия", "Театральная студия", "Хореографическая студия", "Вокальная студия",
                       "Студия декоративно-прикладного творчества", "Ансамбль народной песни", "Студия керамики",
                       "Фотостудия", "Студия эстрадного танца", "Оркестр народных инструментов"],
    "техническая": ["Робототехника", "Авиамоделирование", "Студия 3D-моделирования", "Программирование",
                    "Радиоэлектроника", "Судомоделирование", "Студия мультипликации"],
    "естественнонаучная": ["Юный эколог", "Химическая лаборатория", "Юный астроном", "Живая природа"],
    "социально-гуманитарная": ["Английский язык", "Школа юного журналиста", "Клуб юных экскурсоводов",
                               "Школа раннего развития", "Дебаты"],
    "физкультурно-спортивная": ["Шахматный клуб", "Секция самбо", "Спортивный туризм", "Настольный теннис"],
    "туристско-краеведческая": ["Юные туристы", "Краеведческий клуб", "Поисковый отряд"],
}
NAMES = ["Радуга", "Палитра", "Калейдоскоп", "Маска", "Грация", "Звонница", "Роботрек", "Икар", "Пиксель",
         "Алгоритм", "Импульс", "Бригантина", "Капелька", "Фантазия", "Вдохновение", "Созвездие", "Орион", "Лада",
         "Берёзка", "Сударушка", "Росток", "Эрудит", "Лидер", "Факел", "Компас", "Следопыт", "Меридиан", "Ладья",
         "Гамбит", "Квант", "Гелиос", "Эврика", "Пегас", "Дельфин", "Парус", "Горизонт", "Светлячок", "Домисолька",
         "Акварель", "Мозаика", "Вернисаж", "Фрегат", "Атлант", "Галактика", "Живица", "Зарница", "Исток",
         "Камертон", "Ритм", "Сюрприз", "Теремок", "Улыбка", "Фортуна", "Хоровод", "Чайка", "Экипаж", "Юнга",
         "Янтарь", "Вектор", "Спектр", "Сигнал", "Модуль", "Синтез", "Кристалл", "Легенда"]
MESSENGERS = ["MAX"] * 8 + ["Сферум"] * 6 + ["VK"] * 2 + ["Telegram"] * 2 + ["WhatsApp"] * 2
ACT_TITLES = {"poryadok": "Порядок организации и работы групп в мобильных мессенджерах",
              "chat-rules": "Правила использования чата",
              "pd-instruction": "Инструкция о защите персональных данных в группах"}
TASKS = ["информационная", "мотивационная", "учебно-воспитательная", "организационная", "контрольная"]


# -------------------------------------------------------------------------------------- people

@dataclass
class Person:
    id: str
    surname: str
    name: str
    patronymic: str
    kind: str                               # staff | student | parent
    position: str = ""
    association: int = -1                   # student: index into associations
    year_of_study: int = 0
    birth_year: int = 0
    children: list[str] = field(default_factory=list)

    @property
    def short(self) -> str:
        return f"{self.surname} {self.name[0]}.{self.patronymic[0]}."


@dataclass
class Association:
    title: str
    direction: str
    teacher: str                            # staff id
    students: list[str] = field(default_factory=list)


@dataclass
class Group:
    id: str
    title: str
    messenger: str
    association: str
    direction: str
    tasks: list[str]
    audience: str                           # родители | обучающиеся | педагоги
    admin: str
    members: list[str]
    order: str = ""
    created: D | None = None
    registered: D | None = None
    joined: dict[str, D] = field(default_factory=dict)
    note: str = ""                          # the comment above the group


@dataclass
class Order:
    number: int
    date: D
    title: str
    basis: str
    status: str = "подписан"
    groups_created: D | None = None
    acknowledged: D | None = None
    approves: list[tuple[str, int]] = field(default_factory=list)
    control: str | None = None

    @property
    def id(self) -> str:
        return f"{self.date.year}-{self.number:03d}-од"


@dataclass(frozen=True)
class Summary:
    """What was generated: counts for the benchmark's table and for tests."""

    root: Path
    students: int
    parents: int
    staff: int
    groups: int
    orders: int
    acknowledgements: int
    actions: int
    big_group: str                          # id of the all-parents channel (the big acknowledgement sheet)
    chat_groups: tuple[tuple[str, str, int], ...]   # (group id, "telegram" | "whatsapp", messages a month)


class _Institution:
    """The whole generated world; each step below adds one part of it."""

    def __init__(self, scale: Scale, seed: int):
        self.scale = scale
        self.rng = random.Random(seed)
        self.staff: list[Person] = []
        self.students: list[Person] = []
        self.parents: list[Person] = []
        self.associations: list[Association] = []
        self.groups: list[Group] = []
        self.orders: list[Order] = []
        self._ids: set[str] = set()

    # ---- people
    def person_name(self, female: bool) -> tuple[str, str, str]:
        rng = self.rng
        surname = rng.choice(SURNAMES)
        father = rng.choice(MALE)
        if female:
            return female_surname(surname), rng.choice(FEMALE), father[2]
        name = rng.choice(MALE)[0]
        return surname, name, father[1]

    def staff_id(self, surname: str, name: str, patronymic: str) -> str:
        base = f"{latin(surname)}-{latin(name[0])[:1]}{latin(patronymic[0])[:1]}"
        candidate, n = base, 1
        while candidate in self._ids:
            n += 1
            candidate = f"{base}-{n}"
        self._ids.add(candidate)
        return candidate

    def make_staff(self) -> None:
        rng, count = self.rng, self.scale.staff
        heads = ["директор", "заместитель директора по учебно-воспитательной работе",
                 "заместитель директора по воспитательной работе", "делопроизводитель",
                 "заместитель директора по административно-хозяйственной работе", "методист", "методист",
                 "педагог-организатор", "педагог-организатор", "педагог-психолог", "концертмейстер", "концертмейстер"]
        positions = heads[: max(4, min(len(heads), count // 10))]
        positions += ["педагог дополнительного образования"] * (count - len(positions))
        for position in positions:
            surname, name, patronymic = self.person_name(female=rng.random() < 0.72)
            self.staff.append(Person(self.staff_id(surname, name, patronymic), surname, name, patronymic, "staff",
                                     position=position))

    @property
    def director(self) -> Person:
        return self.staff[0]

    @property
    def deputy(self) -> Person:
        return self.staff[1]

    @property
    def secretary(self) -> Person:
        return self.staff[3]

    @property
    def teachers(self) -> list[Person]:
        return [p for p in self.staff if p.position == "педагог дополнительного образования"]

    def make_associations(self) -> None:
        rng = self.rng
        kinds = [(kind, direction) for direction, ks in DIRECTIONS.items() for kind in ks]
        rng.shuffle(kinds)
        names = NAMES[:]
        rng.shuffle(names)
        teachers = self.teachers
        for i in range(self.scale.associations):
            kind, direction = kinds[i % len(kinds)]
            self.associations.append(Association(f"{kind} «{names[i % len(names)]}»", direction,
                                                 teachers[i % len(teachers)].id))

    def make_families(self) -> None:
        """Students and their parents: families of one or two children, with one or two parents."""
        rng, scale = self.rng, self.scale
        two_children = max(0, min(scale.students // 7, scale.students - scale.parents // 2))
        families = scale.students - two_children
        two_parents = max(0, min(families, scale.parents - families))
        weights = [rng.uniform(0.4, 1.8) for _ in self.associations]
        number = 0
        for family in range(families):
            surname = rng.choice(SURNAMES)
            father_name = rng.choice(MALE)
            kids = 2 if family < two_children else 1
            children = []
            for _ in range(kids):
                number += 1
                girl = rng.random() < 0.52
                age = rng.choice([7, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13, 14, 14, 15, 15, 16, 17])
                index = rng.choices(range(len(self.associations)), weights)[0]
                student = Person(f"st-{number:04d}", female_surname(surname) if girl else surname,
                                 rng.choice(GIRLS if girl else BOYS), father_name[2] if girl else father_name[1],
                                 "student", association=index, year_of_study=rng.choice([1, 1, 1, 2, 2, 3, 4]),
                                 birth_year=2026 - age)
                self.students.append(student)
                self.associations[index].students.append(student.id)
                children.append(student.id)
            mother_surname = female_surname(surname) if rng.random() < 0.9 else female_surname(rng.choice(SURNAMES))
            self.parents.append(Person("", mother_surname, rng.choice(FEMALE), rng.choice(MALE)[2], "parent",
                                       children=children))
            if family < two_parents:
                self.parents.append(Person("", surname, father_name[0], rng.choice(MALE)[1], "parent",
                                           children=list(children)))
        for i, parent in enumerate(self.parents, 1):
            parent.id = f"pr-{i:04d}"

    # ---- groups
    def make_groups(self) -> None:
        rng, scale = self.rng, self.scale
        parents_of: dict[str, list[str]] = {}
        for parent in self.parents:
            for child in parent.children:
                parents_of.setdefault(child, []).append(parent.id)
        students = {s.id: s for s in self.students}
        short = "ЦДТ"
        parent_groups, student_groups = [], []
        for index, assoc in enumerate(self.associations):
            slug = f"a{index + 1:02d}"
            split = len(assoc.students) > 45
            halves = ([("-y1", ", 1-й год обучения", lambda s: students[s].year_of_study == 1),
                       ("-y2", ", 2-й год обучения и старше", lambda s: students[s].year_of_study > 1)]
                      if split else [("", "", lambda s: True)])
            for suffix, label, keep in halves:
                members = sorted({p for s in assoc.students if keep(s) for p in parents_of[s]})
                parent_groups.append(Group(f"{slug}-parents{suffix}", f"{short}. {assoc.title}. Родители{label}",
                                           rng.choice(MESSENGERS), assoc.title, assoc.direction,
                                           self.tasks(), "родители", assoc.teacher, members,
                                           note=f"Родители обучающихся объединения {assoc.title}{label}"))
            older = [s for s in assoc.students if 2026 - students[s].birth_year >= 12]
            if len(older) >= 5:
                student_groups.append(Group(f"{slug}-students", f"{short}. {assoc.title}. Обучающиеся",
                                            rng.choice(["Telegram", "VK", "MAX", "Сферум", "WhatsApp"]), assoc.title,
                                            assoc.direction, self.tasks(), "обучающиеся", assoc.teacher, older,
                                            note=f"Обучающиеся объединения {assoc.title} (12 лет и старше)"))
        channel = Group("parents-channel", f"{short} «Созвездие». Родители. Официальный канал", "MAX",
                        "Все объединения учреждения", "все направленности", ["информационная", "организационная"],
                        "родители", self.staff[min(7, len(self.staff) - 1)].id,
                        sorted(rng.sample([p.id for p in self.parents], min(scale.channel, len(self.parents)))),
                        note="Официальный канал для всех родителей (создан в ноябре)")
        room = scale.groups - 1
        student_groups = student_groups[: max(0, room // 4)]
        parent_groups = parent_groups[: max(1, room - len(student_groups) - 3)]
        staff_room = max(3, room - len(parent_groups) - len(student_groups))
        self.groups = parent_groups + student_groups + self.staff_groups(staff_room) + [channel]

    def tasks(self) -> list[str]:
        extra = self.rng.sample(TASKS[1:], self.rng.choice([1, 2, 2, 3]))
        return [t for t in TASKS if t == "информационная" or t in extra]

    def staff_groups(self, count: int) -> list[Group]:
        rng = self.rng
        pedagogues = [p.id for p in self.staff if p.position != "делопроизводитель"]
        methodist = next((p for p in self.staff if p.position == "методист"), self.deputy)
        groups = [
            Group("staff-council", "ЦДТ. Педагогический совет", "MAX", "Педагогический совет", "методическая работа",
                  ["информационная", "организационная"], "педагоги", self.deputy.id, pedagogues,
                  note="Педагогический совет: все педагогические работники"),
            Group("staff-administration", "ЦДТ. Администрация", "MAX", "Администрация учреждения", "управление",
                  ["информационная", "организационная", "контрольная"], "педагоги", self.director.id,
                  [p.id for p in self.staff if not p.position.startswith("педагог д")][:12],
                  note="Администрация и специалисты"),
        ]
        by_direction: dict[str, set[str]] = {}
        for assoc in self.associations:
            by_direction.setdefault(assoc.direction, set()).add(assoc.teacher)
        for i, (direction, teachers) in enumerate(sorted(by_direction.items()), 1):
            groups.append(Group(f"staff-mo-{i}", f"ЦДТ. Методическое объединение: {direction} направленность",
                                "Сферум", f"Методическое объединение педагогов, {direction} направленность",
                                "методическая работа", ["информационная", "учебно-воспитательная"], "педагоги",
                                methodist.id, sorted(teachers | {methodist.id}),
                                note=f"Методическое объединение педагогов ({direction} направленность)"))
        topics = ["Аттестация педагогических работников", "Молодые педагоги", "Организация массовых мероприятий",
                  "Летняя оздоровительная кампания", "Конкурсы и фестивали", "Дистанционное обучение",
                  "Охрана труда", "Работа с одарёнными детьми", "Профилактика правонарушений",
                  "Проектная деятельность", "Корпус на ул. Лесной", "Корпус на ул. Морской", "Наставничество",
                  "Сайт учреждения", "Инклюзивное образование", "Методическая копилка"]
        n = 0
        while len(groups) < count:
            topic = topics[n % len(topics)] + ("" if n < len(topics) else f" ({n // len(topics) + 1})")
            n += 1
            groups.append(Group(f"staff-topic-{n}", f"ЦДТ. {topic}", rng.choice(["MAX", "Сферум"]), topic,
                                "методическая работа", ["информационная", "учебно-воспитательная"], "педагоги",
                                methodist.id, sorted(rng.sample(pedagogues, min(len(pedagogues), rng.randint(8, 30)))),
                                note=f"Рабочая группа педагогов: {topic.lower()}"))
        return groups[:count]

    # ---- orders and dates
    def make_orders(self) -> None:
        """A year of orders: most groups in January, a few every month, a new school year, a new edition."""
        rng = self.rng
        groups = self.groups[:-1]
        rng.shuffle(groups)
        channel = self.groups[-1]
        first = groups[: int(len(groups) * 0.62)]
        september = groups[len(first): len(first) + max(1, len(groups) // 7)]
        rest = groups[len(first) + len(september):]
        draft = rest[-2:] if len(rest) > 4 else rest[-1:] if len(rest) > 1 else []
        monthly = rest[: len(rest) - len(draft)]
        months = [2, 3, 4, 5, 6, 10, 11]

        def number(day: D) -> int:
            return 1 + (day.timetuple().tm_yday * 190) // 366

        basis = ("В целях оперативного информирования участников образовательного процесса и выстраивания "
                 "коммуникативных связей между ними, в соответствии с Федеральным законом от 29.12.2012 № 273-ФЗ "
                 "«Об образовании в Российской Федерации», Федеральным законом от 27.07.2006 № 152-ФЗ "
                 "«О персональных данных», Уставом МБУ ДО «ЦДТ «Созвездие»»")
        created_by: list[tuple[Order, list[Group]]] = []
        jan = Order(number(D(2026, 1, 12)), D(2026, 1, 12), "О создании групп в мобильных мессенджерах", basis,
                    groups_created=D(2026, 1, 23), acknowledged=D(2026, 2, 6),
                    approves=[("poryadok", 1), ("chat-rules", 1), ("pd-instruction", 1)])
        created_by.append((jan, first))
        for i, month in enumerate(months):
            chunk = monthly[i::len(months)]
            if not chunk:
                continue
            day = D(2026, month, 3 + i)
            created_by.append((Order(number(day), day, "О создании новых групп в мобильных мессенджерах", basis,
                                     groups_created=day + dt.timedelta(days=10),
                                     acknowledged=day + dt.timedelta(days=24)), chunk))
        sep = Order(number(D(2026, 9, 1)), D(2026, 9, 1), "О создании групп в мобильных мессенджерах на 2026/2027 учебный год",
                    basis, groups_created=D(2026, 9, 10), acknowledged=D(2026, 9, 25),
                    approves=[("pd-instruction", 2)], control=self.deputy.id)
        created_by.append((sep, september))
        rules = Order(number(D(2026, 10, 15)), D(2026, 10, 15), "Об утверждении новой редакции Правил использования чата",
                      "В целях защиты персональных данных обучающихся и соблюдения времени отдыха участников групп "
                      "в мобильных мессенджерах, в соответствии с Федеральным законом от 27.07.2006 № 152-ФЗ "
                      "«О персональных данных», Порядком организации и работы групп в мобильных мессенджерах",
                      groups_created=D(2026, 10, 15), acknowledged=D(2026, 11, 5), approves=[("chat-rules", 2)],
                      control=self.deputy.id)
        created_by.append((rules, []))
        channel_order = Order(number(D(2026, 11, 9)), D(2026, 11, 9), "О создании официального канала для родителей",
                              basis, groups_created=D(2026, 11, 12), acknowledged=D(2026, 12, 4), control=self.deputy.id)
        created_by.append((channel_order, [channel]))
        if draft:
            created_by.append((Order(number(D(2026, 11, 26)), D(2026, 11, 26),
                                     "О создании новых групп в мобильных мессенджерах", basis, status="проект",
                                     groups_created=D(2026, 12, 3), acknowledged=D(2026, 12, 17)), draft))
        created_by.sort(key=lambda item: (item[0].date, item[0].number))
        used: set[int] = set()
        for order, chunk in created_by:
            while order.number in used:         # two orders of one day: the next free number
                order.number += 1
            used.add(order.number)
            self.orders.append(order)
            for group in chunk:
                group.order = order.id
                if order.status != "подписан":
                    continue
                late = rng.random() < 0.05
                start = order.date + dt.timedelta(days=rng.randint(1, 3))
                span = max(0, (order.groups_created - start).days)
                group.created = order.groups_created + dt.timedelta(days=rng.randint(1, 6)) if late else \
                    start + dt.timedelta(days=rng.randint(0, span))
                if rng.random() > 0.07:
                    group.registered = group.created + dt.timedelta(days=rng.choice([0, 1, 1, 2, 3]))
        # Newcomers of the new school year join groups created before it.
        for group in self.groups:
            if group.created and group.created < D(2026, 9, 1) and group.audience != "педагоги":
                for member in group.members:
                    if rng.random() < 0.14:
                        group.joined[member] = D(2026, 9, 1) + dt.timedelta(days=rng.randint(0, 60))

    # ---- acknowledgements
    def acknowledgements(self) -> list[dict]:
        rng = self.rng
        orders = {o.id: o for o in self.orders}
        approval = {}                                   # (act, version) -> approving order
        for order in self.orders:
            for act, version in order.approves:
                approval[(act, version)] = order
        effective = {key: effective_date(order.date, key[1]) for key, order in approval.items()}
        required = {"poryadok": {"родители", "обучающиеся", "педагоги"}, "chat-rules": {"родители", "обучающиеся", "педагоги"},
                    "pd-instruction": {"педагоги"}}
        since: dict[str, D] = {}                        # person -> when they first were in a created group
        home: dict[str, str] = {}
        audience: dict[str, str] = {}
        for group in self.groups:
            if group.created is None or orders[group.order].status != "подписан":
                continue
            for member in group.members:
                start = max(group.created, group.joined.get(member, group.created))
                if member not in since or start < since[member]:
                    since[member] = start
                    home[member] = group.id     # the sheet they sign on is their first group's
                audience[member] = group.audience
        people = {p.id: p for p in (*self.staff, *self.students, *self.parents)}
        parents_of: dict[str, list[str]] = {}
        for parent in self.parents:
            for child in parent.children:
                parents_of.setdefault(child, []).append(parent.id)
        rows = []
        sheet_numbers: dict[tuple, str] = {}
        for person in sorted(since):
            start = since[person]
            for act, audiences in required.items():
                if audience[person] not in audiences:
                    continue
                versions = sorted(v for a, v in approval if a == act)
                for version in versions:
                    order = approval[(act, version)]
                    if order.status != "подписан" or order.date > LAST_SIGNATURE:
                        continue
                    newer = (act, version + 1) in approval
                    if newer and effective[(act, version + 1)] <= start:
                        continue                        # joined after this edition was replaced
                    begin = max(order.date, start)
                    if newer:
                        miss = 0.03                     # nobody chases a replaced edition
                    elif start >= D(2026, 10, 1):
                        miss = 0.2                      # newcomers of the last two months
                    elif order.date >= D(2026, 10, 1):
                        miss = 0.08                     # the newest edition
                    else:
                        miss = 0.006 if version == 1 else 0.03
                    if person.startswith("st-") and rng.random() < 0.05:
                        miss += 0.05                    # children forget the sheet more often
                    if rng.random() < miss:
                        continue
                    delay = rng.choice([1, 2, 3, 3, 5, 7, 8, 10, 12]) if rng.random() > 0.05 else rng.randint(14, 40)
                    when = min(begin + dt.timedelta(days=delay), LAST_SIGNATURE)
                    if when < order.date:
                        continue
                    electronic = rng.random() < 0.28
                    row = {"person": person, "act": act, "version": version, "date": when,
                           "method": "электронно" if electronic else "бумажный лист"}
                    if not electronic:
                        row["sheet"] = sheet_numbers.setdefault((home[person], act, version), len(sheet_numbers) + 1)
                    student = people[person]
                    if student.kind == "student" and when.year - student.birth_year < 14:
                        row["signed_by"] = parents_of[person][0]
                    rows.append(row)
        rows.sort(key=lambda r: (r["act"], r["version"], r.get("sheet", 1 << 30), r["date"], r["person"]))
        for row in rows:
            if "sheet" in row:
                row["sheet"] = f"ЛО-{row['sheet']}"
        return rows

    # ---- the month's log
    def month_log(self, chat_messages: dict[str, int]) -> dict:
        rng = self.rng
        actions, deletions, violations, imports, findings = [], [], [], [], []
        live = [g for g in self.groups if g.created and g.created <= D(2026, 11, 20)]
        notes = ["Расписание занятий на декабрь", "Объявление о родительском собрании {d}",
                 "Приглашение на открытое занятие {d}", "Итоги городского конкурса «Осенний вернисаж»",
                 "Объявление о переносе занятия с {d} на {d2}", "Фотоотчёт о концерте ко Дню матери",
                 "Программа отчётного концерта {d}", "Напоминание о сменной обуви",
                 "Объявление о сборе на экскурсию {d}", "Памятка о безопасном поведении на водоёмах зимой"]
        vid = 0
        for group in live:
            start = max(group.created, D(2026, 11, 1))
            days = [start + dt.timedelta(days=k) for k in range((D(2026, 11, 28) - start).days + 1)]
            if not days:
                continue
            for day in sorted(rng.sample(days, min(len(days), rng.randint(2, 5)))):
                actions.append({"date": day, "group": group.id, "by": group.admin, "kind": "мониторинг"})
            for day in sorted(rng.sample(days, min(len(days), rng.randint(1, 4)))):
                d = day + dt.timedelta(days=rng.randint(2, 8))
                note = rng.choice(notes).format(d=f"{d:%d.%m.%Y}", d2=f"{d + dt.timedelta(days=1):%d.%m.%Y}")
                entry = {"date": day, "group": group.id, "by": group.admin, "kind": "публикация", "note": note}
                if "{d}" in note or re.search(r"\d\d\.\d\d\.\d{4}", note):
                    entry["expires"] = d + dt.timedelta(days=1)
                    if rng.random() < 0.9 and entry["expires"] < D(2026, 11, 30):
                        deletions.append({"date": min(D(2026, 11, 30), entry["expires"] + dt.timedelta(days=rng.randint(0, 2))),
                                          "group": group.id, "by": group.admin, "what": note})
                actions.append(entry)
            if rng.random() < 0.25:
                actions.append({"date": rng.choice(days), "group": group.id, "by": group.admin,
                                "kind": rng.choice(["структура", "помощь", "обслуживание"]),
                                "note": rng.choice(["Закреплено напоминание о тихих часах с 21:00 до 08:00",
                                                    "Создана тема «Домашние задания»",
                                                    "Помощь родительскому комитету в оформлении объявления"])})
            if group.registered is None and rng.random() < 0.3:
                actions.append({"date": days[-1], "group": group.id, "by": group.admin, "kind": "регистрация",
                                "note": "Подано заявление о регистрации группы"})
            if rng.random() < 0.2 and group.members:
                vid += 1
                clause, description = rng.choice([
                    ("5.2", "Участник разместил объявление о продаже личных вещей"),
                    ("5.1", "Объявление опубликовано в неделовом стиле, с орфографическими ошибками"),
                    ("4", "Опубликована фотография списка обучающихся с персональными данными"),
                    ("5.2", "Обсуждение политической темы, не относящейся к работе группы"),
                ])
                day = rng.choice(days)
                resolved = rng.random() < 0.8
                entry = {"id": f"v-2026-11-{vid:03d}", "date": day, "group": group.id, "clause": clause,
                         "description": description, "person": rng.choice(group.members),
                         "measure": f"сообщение удалено, участнику разъяснены требования п. {clause} Порядка",
                         "measure_date": day, "resolved": resolved}
                if not resolved:
                    entry["due"] = day + dt.timedelta(days=14)
                violations.append(entry)
        by_id = {g.id: g for g in self.groups}
        fid = 0
        for group_id, count in sorted(chat_messages.items()):
            group = by_id[group_id]
            if not group.created or group.created > D(2026, 11, 20):
                continue
            top = rng.sample(group.members, min(5, len(group.members)))
            share = [count // 4] + [count // 10] * len(top)
            senders = {group.admin: share[0], **{pid: share[i + 1] for i, pid in enumerate(top)}}
            senders["неизвестный 1"] = max(0, count - sum(senders.values()))
            imports.append({"group": group_id, "source": "telegram" if group.messenger == "Telegram" else "whatsapp",
                            "file": hashlib.sha256(f"{group_id}/{MONTH}".encode()).hexdigest(),
                            "first": max(group.created, D(2026, 11, 1)), "last": D(2026, 11, 30),
                            "messages": count, "senders": senders, "unknown_senders": 1})
            for _ in range(rng.randint(1, 3)):
                fid += 1
                category, clause, excerpt = rng.choice([
                    ("персональные данные", "4", "Звоните мне по номеру +7 9** ***-**-**, обсудим"),
                    ("личная тема", "5.2", "Продам детский велосипед, почти новый, недорого"),
                    ("тихие часы", "5.1", "Напоминаю, завтра не забудьте форму"),
                    ("орфография", "5.1", "Извените, занятие переносится на четверг"),
                    ("неделовой стиль", "5.1", "Всем привет! Завтра репетиция, не опаздываем"),
                ])
                status = rng.choice(["новое", "подтверждено", "подтверждено", "отклонено", "отклонено"])
                sender = rng.choice(group.members)
                entry = {"id": f"f-2026-11-{fid:03d}", "group": group_id, "message": str(rng.randint(100, 5000)),
                         "date": D(2026, 11, rng.randint(max(group.created, D(2026, 11, 1)).day, 28)),
                         "time": f"{rng.choice([9, 12, 15, 18, 22]):02d}:{rng.randint(0, 59):02d}",
                         "sender": sender, "category": category, "clause": clause, "excerpt": excerpt,
                         "status": status}
                if status == "подтверждено" and rng.random() < 0.8:
                    vid += 1
                    day = entry["date"]
                    violations.append({"id": f"v-2026-11-{vid:03d}", "date": day, "group": group_id,
                                       "clause": clause if clause != "3" else "4",
                                       "description": f"Замечание проверки переписки подтверждено: {category}",
                                       "person": sender, "measure": "сообщение удалено, участнику разъяснены требования Порядка",
                                       "measure_date": day, "resolved": True})
                    entry["violation"] = f"v-2026-11-{vid:03d}"
                    entry["note"] = "подтверждено администратором, сообщение удалено"
                elif status == "отклонено":
                    entry["note"] = "не является нарушением: сообщение администрации по теме группы"
                findings.append(entry)
        actions.sort(key=lambda a: (a["date"], a["group"]))
        deletions.sort(key=lambda a: (a["date"], a["group"]))
        return {"actions": actions, "deletions": deletions, "violations": violations, "imports": imports,
                "findings": findings}


# --------------------------------------------------------------------------------- YAML output

_PLAIN = re.compile(r"^[^\s\-?:,\[\]{}#&*!|>'\"%@`0-9][^:#,\[\]{}]*$")


def q(value) -> str:
    """A YAML scalar the way a person would write it: plain when safe, double-quoted otherwise."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, (int, D)):
        return str(value)
    text = str(value)
    if _PLAIN.match(text) and not text.endswith(" ") and text.lower() not in ("true", "false", "null", "yes", "no", "on", "off", "~"):
        return text
    return json.dumps(text, ensure_ascii=False)


def flow(mapping: dict) -> str:
    return "{" + ", ".join(f"{k}: {flow_list(v) if isinstance(v, list) else q(v)}" for k, v in mapping.items()) + "}"


def flow_list(values: list) -> str:
    return "[" + ", ".join(q(v) for v in values) + "]"


def block_text(text: str, indent: int) -> str:
    pad = " " * indent
    return "|\n" + "\n".join(pad + line if line else "" for line in text.rstrip("\n").split("\n")) + "\n"


class _Writer:
    def __init__(self, world: _Institution, root: Path):
        self.w = world
        self.root = root
        self.people = {p.id: p for p in (*world.staff, *world.students, *world.parents)}

    def write(self, name: str, text: str) -> None:
        path = self.root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")

    def institution(self) -> None:
        w = self.w
        self.write("institution.yaml", f"""\
# Сведения об учреждении: печатаются в приказах, листах ознакомления и отчётах.
# Сгенерировано bench/generate.py: вымышленное крупное учреждение для замеров.

name: Муниципальное бюджетное учреждение дополнительного образования «Центр детского творчества «Созвездие»»
short_name: МБУ ДО «ЦДТ «Созвездие»»
founder: Комитет по образованию администрации городского округа «Город Северогорск»
ownership: муниципальное
place: г. Северогорск
address: 164500, г. Северогорск, пр. Мира, д. 21

director: {w.director.id}   # директор {w.director.short}
secretary: {w.secretary.id}   # делопроизводитель {w.secretary.short}

gost_edition: "2025"
quiet_hours:
  start: "21:00"
  end: "08:00"
acknowledgement_grace_days: 14
own_signature_age: 14
order_series:
  - index: од
    title: по основной деятельности
  - index: лс
    title: по личному составу
""")

    def people_file(self) -> None:
        w = self.w
        lines = ["# Люди: работники, обучающиеся, родители (законные представители).",
                 "# Сгенерировано bench/generate.py; все люди вымышлены.", "", "staff:"]
        for p in w.staff:
            lines.append("  - " + flow({"id": p.id, "surname": p.surname, "name": p.name, "patronymic": p.patronymic,
                                        "position": p.position}))
        lines += ["", "students:"]
        by_assoc: dict[int, list[Person]] = {}
        for s in w.students:
            by_assoc.setdefault(s.association, []).append(s)
        for index in sorted(by_assoc):
            lines.append(f"  # {w.associations[index].title}")
            for s in by_assoc[index]:
                lines.append("  - " + flow({"id": s.id, "surname": s.surname, "name": s.name, "patronymic": s.patronymic,
                                            "association": w.associations[index].title,
                                            "year_of_study": s.year_of_study, "birth_year": s.birth_year}))
        lines += ["", "parents:"]
        for p in w.parents:
            lines.append("  - " + flow({"id": p.id, "surname": p.surname, "name": p.name, "patronymic": p.patronymic,
                                        "children": p.children}))
        self.write("people.yaml", "\n".join(lines) + "\n")

    def acts(self) -> None:
        from yaml import safe_load

        w = self.w
        orders = {}
        for order in w.orders:
            for act, version in order.approves:
                orders[(act, version)] = order
        poryadok = safe_load((SAMPLE / "acts" / "poryadok.yaml").read_text(encoding="utf-8"))
        rules = safe_load((SAMPLE / "acts" / "chat-rules.yaml").read_text(encoding="utf-8"))
        texts = {
            ("poryadok", 1): poryadok["versions"][0].get("text"),
            ("chat-rules", 1): rules["versions"][0].get("text"),
            ("chat-rules", 2): rules["versions"][-1].get("text"),
            ("pd-instruction", 1): PD_TEXT_1,
            ("pd-instruction", 2): PD_TEXT_2,
        }
        changes = {("chat-rules", 2): rules["versions"][-1].get("changes"),
                   ("pd-instruction", 2): "Уточнён порядок публикации фотографий обучающихся и хранения согласий родителей."}
        acts = [("poryadok", "порядок", ACT_TITLES["poryadok"], ["родители", "обучающиеся", "педагоги"]),
                ("chat-rules", "правила", ACT_TITLES["chat-rules"], ["родители", "обучающиеся", "педагоги"]),
                ("pd-instruction", "инструкция", ACT_TITLES["pd-instruction"], ["педагоги"])]
        for act_id, kind, title, audience in acts:
            lines = [f"# Локальный акт: {title}.", "", f"id: {act_id}", f"kind: {kind}", f"title: {title}", "",
                     "required_for:", *(f"  - {a}" for a in audience), "", "versions:"]
            for version in (1, 2):
                order = orders.get((act_id, version))
                if order is None:
                    continue
                effective = effective_date(order.date, version)
                lines += [f"  - version: {version}", f"    approved_by: {order.id}", f"    effective: {effective}"]
                if changes.get((act_id, version)):
                    lines.append(f"    changes: {q(' '.join(changes[(act_id, version)].split()))}")
                if act_id == "pd-instruction":
                    lines.append("    approval: директором")
                text = texts.get((act_id, version))
                if text:
                    lines.append("    text: " + block_text(text, 6).rstrip("\n"))
                lines.append("")
            self.write(f"acts/{act_id}.yaml", "\n".join(lines))

    def groups_file(self) -> None:
        lines = ["# Группы в мессенджерах, созданные по приказам (п. 2.1 Порядка).",
                 "# Сгенерировано bench/generate.py.", "", "groups:"]
        for n, g in enumerate(self.w.groups, 1):
            lines += [f"  # {n}. {g.note}", f"  - id: {g.id}", f"    title: {q(g.title)}", f"    messenger: {g.messenger}",
                      f"    association: {q(g.association)}", f"    direction: {q(g.direction)}",
                      f"    tasks: {flow_list(g.tasks)}", f"    audience: [{g.audience}]",
                      f"    admin: {g.admin}  # {self.people[g.admin].short}", f"    order: {g.order}",
                      f"    created: {q(g.created)}", f"    registered: {q(g.registered)}", "    members:"]
            lines += [f"      - {m}  # {self.people[m].short}" for m in g.members]
            if g.joined:
                lines.append("    joined:")
                lines += [f"      {m}: {d}" for m, d in sorted(g.joined.items())]
            lines.append("")
        self.write("groups.yaml", "\n".join(lines))

    def orders_files(self) -> None:
        w = self.w
        for o in w.orders:
            lines = [f"# Приказ № {o.number}-од от {o.date:%d.%m.%Y} «{o.title}».", "",
                     f"number: {o.number}", "series: од", f"date: {o.date}", f"status: {o.status}",
                     f"title: {q(o.title)}", "basis: >-", *(f"  {line}" for line in textwrap.wrap(o.basis, 96)), "",
                     f"signed_by: {w.director.id}   # директор {w.director.short}",
                     f"executor: {w.secretary.id}   # делопроизводитель {w.secretary.short}", ""]
            if o.groups_created:
                lines += ["deadlines:", f"  groups_created: {o.groups_created}", f"  acknowledged: {o.acknowledged}", ""]
            if o.approves:
                lines.append("approves:")
                lines += [f"  - {{act: {a}, version: {v}}}" for a, v in o.approves]
                lines.append("")
            lines.append(f"control: {o.control}" + (f"   # {self.people[o.control].short}" if o.control else "")
                         if o.control else "control: null")
            self.write(f"orders/{o.id}.yaml", "\n".join(lines) + "\n")

    def acknowledgements_file(self, rows: list[dict]) -> None:
        lines = ["# Ознакомление участников групп с локальными актами (п. 2.3 Порядка).",
                 "# Сгенерировано bench/generate.py.", "", "acknowledgements:"]
        last = None
        for row in rows:
            head = (row["act"], row["version"], row.get("sheet"))
            if head != last:
                where = f"лист {row['sheet']}" if row.get("sheet") else "электронно"
                lines.append(f"  # ---- {ACT_TITLES[row['act']]}, редакция {row['version']}: {where}")
                last = head
            lines.append("  - " + flow(row) + f"  # {self.people[row['person']].short}")
        self.write("acknowledgements.yaml", "\n".join(lines) + "\n")

    def log_file(self, log: dict) -> None:
        lines = [f"# Журнал администраторов групп за {MONTH}.", "# Сгенерировано bench/generate.py.", "",
                 f'month: "{MONTH}"', ""]
        for section in ("actions", "deletions", "violations", "imports", "findings"):
            items = log[section]
            lines.append(f"{section}:" + ("" if items else " []"))
            for item in items:
                if section in ("violations", "findings", "imports"):
                    first = True
                    for key, value in item.items():
                        prefix = "  - " if first else "    "
                        first = False
                        if isinstance(value, dict):
                            lines.append(f"{prefix}{key}:")
                            lines += [f"      {q(k)}: {v}" for k, v in value.items()]
                        else:
                            lines.append(f"{prefix}{key}: {q(value)}")
                    lines.append("")
                else:
                    lines.append("  - " + flow(item))
            lines.append("")
        self.write(f"log/{MONTH}.yaml", "\n".join(lines))


PD_TEXT_1 = """\
1. Общие положения

Инструкция определяет действия педагогических работников при размещении информации в группах учреждения в мобильных мессенджерах.

2. Обязанности администратора группы

- не размещать в группах фамилии обучающихся вместе с датами рождения, адресами и телефонами;
- удалять сообщения с персональными данными участников и разъяснять участнику требования Порядка;
- хранить списки участников групп только в информационных системах учреждения.
"""
PD_TEXT_2 = PD_TEXT_1 + """
3. Фотографии обучающихся

Фотографии обучающихся публикуются только при наличии письменного согласия родителей (законных представителей); согласия хранятся у администратора группы.
"""


def chat_plan(world: _Institution, messages: int) -> dict[str, int]:
    """Messages a month per Telegram and WhatsApp group, in proportion to the group's size."""
    chats = [g for g in world.groups if g.messenger in ("Telegram", "WhatsApp") and g.created
             and g.created <= D(2026, 11, 20)]
    weight = sum(len(g.members) + 10 for g in chats) or 1
    plan = {g.id: max(20, messages * (len(g.members) + 10) // weight) for g in chats}
    return plan


def generate(root: Path, scale: Scale | str = "large", seed: int = 2026, messages: int | None = None) -> Summary:
    """Write a records folder for a generated institution into `root` (created; must be empty or absent)."""
    scale = SCALES[scale] if isinstance(scale, str) else scale
    root = Path(root)
    if root.exists() and any(root.iterdir()):
        raise FileExistsError(f"{root} is not empty")
    root.mkdir(parents=True, exist_ok=True)
    world = _Institution(scale, seed)
    world.make_staff()
    world.make_associations()
    world.make_families()
    world.make_groups()
    world.make_orders()
    acks = world.acknowledgements()
    total = messages if messages is not None else scale.students * 60
    plan = chat_plan(world, total)
    log = world.month_log(plan)
    writer = _Writer(world, root)
    writer.institution()
    writer.people_file()
    writer.acts()
    writer.groups_file()
    writer.orders_files()
    writer.acknowledgements_file(acks)
    writer.log_file(log)
    by_id = {g.id: g for g in world.groups}
    return Summary(root, len(world.students), len(world.parents), len(world.staff), len(world.groups),
                   len(world.orders), len(acks), len(log["actions"]), world.groups[-1].id,
                   tuple((gid, "telegram" if by_id[gid].messenger == "Telegram" else "whatsapp", n)
                         for gid, n in sorted(plan.items())))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.generate",
                                     description="Записи вымышленного учреждения для замеров (одинаковые при одном --seed).")
    parser.add_argument("target", type=Path, help="новая или пустая папка записей")
    parser.add_argument("--scale", choices=sorted(SCALES), default="large",
                        help="large — 3 000 обучающихся и 200 групп (по умолчанию), small, tiny")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args(argv)
    try:
        summary = generate(args.target, args.scale, args.seed)
    except FileExistsError:
        parser.error(f"папка {args.target} не пуста: укажите новую или пустую папку")
    print(f"{summary.root}: {summary.students} students, {summary.parents} parents, {summary.staff} staff, "
          f"{summary.groups} groups, {summary.orders} orders, {summary.acknowledgements} acknowledgements, "
          f"{summary.actions} log actions")


if __name__ == "__main__":
    main()
