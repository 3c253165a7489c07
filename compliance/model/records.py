"""Records as typed objects: one model per records file.

Field descriptions are Russian because editors show them to the people
who write the YAML (see `compliance schema`).
"""
from __future__ import annotations

import datetime as dt
from enum import Enum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

PERSON_ID = r"^[a-z0-9][a-z0-9-]{0,62}$"
Id = Annotated[str, Field(pattern=PERSON_ID, description="Постоянный идентификатор: латинские строчные буквы, цифры и дефис")]
ORDER_ID = r"^\d{4}-\d{3}-[а-яa-z]{1,4}$"
OrderId = Annotated[str, Field(pattern=ORDER_ID, description="Идентификатор приказа: год-номер-индекс, например 2026-045-од (совпадает с именем файла)")]
Time = Annotated[str, Field(pattern=r"^([01]\d|2[0-3]):[0-5]\d$", description="Время ЧЧ:ММ")]


class Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Messenger(str, Enum):
    MAX = "MAX"
    SFERUM = "Сферум"
    VK = "VK"
    TELEGRAM = "Telegram"
    WHATSAPP = "WhatsApp"

    @property
    def is_foreign(self) -> bool:
        return self in (Messenger.TELEGRAM, Messenger.WHATSAPP)


class Task(str, Enum):
    """The five tasks of §1 of the Порядок."""

    INFORMATIONAL = "информационная"
    MOTIVATIONAL = "мотивационная"
    EDUCATIONAL = "учебно-воспитательная"
    ORGANISATIONAL = "организационная"
    SUPERVISORY = "контрольная"


class Audience(str, Enum):
    PARENTS = "родители"
    STUDENTS = "обучающиеся"
    STAFF = "педагоги"


class Ownership(str, Enum):
    STATE = "государственное"
    MUNICIPAL = "муниципальное"
    PRIVATE = "частное"


class QuietHours(Record):
    start: Time = Field(description="Начало тихих часов, например 21:00")
    end: Time = Field(description="Конец тихих часов, например 08:00")


class OrderSeries(Record):
    index: str = Field(pattern=r"^[а-яa-z]{1,4}$", description="Индекс серии в номере приказа, например од")
    title: str = Field(description="Название серии, например «по основной деятельности»")


class Institution(Record):
    """records/institution.yaml"""

    name: str = Field(description="Полное наименование по уставу")
    short_name: str = Field(description="Сокращённое наименование, например МКОУ ДО «ДДТ»")
    founder: str | None = Field(None, description="Наименование учредителя (печатается над наименованием учреждения)")
    ownership: Ownership = Field(description="Форма собственности: государственное, муниципальное или частное")
    place: str = Field(description="Место издания документов, например «г. Светлогорск»")
    address: str = Field(description="Почтовый адрес")
    director: Id = Field(description="id директора в people.yaml")
    secretary: Id = Field(description="id делопроизводителя в people.yaml")
    gost_edition: Literal["2016", "2025"] = Field("2025", description="Редакция ГОСТ Р 7.0.97 для оформления документов")
    quiet_hours: QuietHours | None = Field(None, description="Время, когда публикации в группах нежелательны")
    acknowledgement_grace_days: int = Field(14, ge=0, le=365, description="Сколько дней даётся на ознакомление участнику, вступившему после срока")
    own_signature_age: int = Field(14, ge=6, le=18, description="С какого возраста обучающийся расписывается в листе ознакомления сам; "
                                                                 "за младших расписывается родитель (законный представитель)")
    order_series: list[OrderSeries] = Field(
        default_factory=lambda: [OrderSeries(index="од", title="по основной деятельности")],
        description="Серии нумерации приказов",
    )


class Person(Record):
    id: Id
    surname: str = Field(min_length=1, description="Фамилия")
    name: str = Field(min_length=1, description="Имя")
    patronymic: str | None = Field(None, description="Отчество (если есть)")
    gender: Literal["м", "ж"] | None = Field(None, description="Пол для склонения ФИО: м или ж; если не указан, определяется по отчеству и имени")
    chat_names: list[str] = Field(default_factory=list, description="Как человек подписан в чатах, если не по ФИО "
                                  "(«Мама Никиты»): по этим именам импорт переписки узнаёт отправителя. Без номеров "
                                  "телефонов: номер сопоставляется при импорте (--map)")

    @field_validator("chat_names")
    @classmethod
    def _chat_names_are_names(cls, names: list[str]) -> list[str]:
        for shown in names:
            if sum(ch.isdigit() for ch in shown) >= 7:
                raise ValueError(f"«{shown}» в chat_names похоже на номер телефона, а номера в записях не хранятся "
                                 f"(152-ФЗ): оставьте здесь имя, под которым человек пишет в чате, а номер "
                                 f"сопоставляйте при импорте: --map \"НОМЕР=id\"")
        return names


class Staff(Person):
    position: str = Field(description="Должность в именительном падеже, с маленькой буквы: «педагог дополнительного образования»")


class Student(Person):
    association: str = Field(description="Объединение (кружок, студия), в котором занимается обучающийся")
    year_of_study: int | None = Field(None, ge=1, le=11, description="Год обучения")
    birth_year: int | None = Field(None, ge=1990, le=2100, description="Год рождения (только год): нужен, чтобы знать, "
                                                                      "расписывается ли обучающийся сам")


class Parent(Person):
    children: list[Id] = Field(min_length=1, description="id детей (обучающихся) этого родителя")


class People(Record):
    """records/people.yaml"""

    staff: list[Staff] = Field(description="Работники учреждения")
    students: list[Student] = Field(default_factory=list, description="Обучающиеся")
    parents: list[Parent] = Field(default_factory=list, description="Родители (законные представители)")


class ActKind(str, Enum):
    PORYADOK = "порядок"
    PRAVILA = "правила"
    POLOZHENIE = "положение"
    INSTRUKTSIYA = "инструкция"


class ActVersion(Record):
    version: int = Field(ge=1, description="Номер редакции: 1, 2, …")
    approved_by: OrderId = Field(description="id приказа, которым утверждена редакция")
    effective: dt.date = Field(description="Дата вступления редакции в силу")
    changes: str | None = Field(None, description="Что изменилось по сравнению с прежней редакцией")
    approval: Literal["приказом", "директором"] = Field(
        "приказом", description="Как утверждён акт: приказом (гриф «УТВЕРЖДЁН приказом …») или директором лично (гриф «УТВЕРЖДАЮ»)")
    text: str | None = Field(None, description="Текст редакции для приложения к приказу: абзацы через пустую строку, "
                                               "пункты перечня начинаются с «- », заголовки разделов — «1. Название»")


class Act(Record):
    """records/acts/<id>.yaml"""

    id: Id
    kind: ActKind = Field(description="Вид акта: порядок, правила, положение или инструкция")
    title: str = Field(description="Полное название с заглавной буквы, в именительном падеже")
    required_for: list[Audience] = Field(description="Кто должен ознакомиться: родители, обучающиеся, педагоги")
    versions: list[ActVersion] = Field(min_length=1, description="Редакции акта по порядку")

    @model_validator(mode="after")
    def _versions_in_order(self) -> "Act":
        numbers = [v.version for v in self.versions]
        if numbers != list(range(1, len(numbers) + 1)):
            raise ValueError(f"редакции должны идти по порядку 1, 2, …; указано {numbers}")
        return self


class Group(Record):
    id: Id
    title: str = Field(description="Название группы, как в мессенджере")
    messenger: Messenger = Field(description="Мессенджер: MAX, Сферум, VK, Telegram или WhatsApp")
    association: str = Field(description="Объединение или направление деятельности")
    direction: str = Field(description="Направленность программы, например «художественная»")
    tasks: list[Task] = Field(description="Задачи группы из п. 1 Порядка")
    audience: list[Audience] = Field(min_length=1, description="Участники: родители, обучающиеся, педагоги")
    admin: Id = Field(description="id администратора группы (работника) в people.yaml")
    order: OrderId = Field(description="id приказа о создании группы")
    created: dt.date | None = Field(None, description="Дата, когда группа фактически создана")
    registered: dt.date | None = Field(None, description="Дата регистрации группы в установленном порядке (п. 3)")
    requires_acts: list[Id] = Field(default_factory=list, description="Дополнительные акты, с которыми должны ознакомиться участники")
    members: list[Id] = Field(default_factory=list, description="id участников группы")
    joined: dict[Id, dt.date] = Field(default_factory=dict, description="Когда участник вступил в группу после её создания "
                                                                       "(id: дата); от этой даты считается срок ознакомления")


class Groups(Record):
    """records/groups.yaml"""

    groups: list[Group]


class OrderStatus(str, Enum):
    DRAFT = "проект"
    SIGNED = "подписан"
    CANCELLED = "отменён"


class Deadlines(Record):
    groups_created: dt.date = Field(description="Срок создания групп")
    acknowledged: dt.date = Field(description="Срок ознакомления участников под подпись")


class ApprovedAct(Record):
    act: Id
    version: int = Field(ge=1)


class Order(Record):
    """records/orders/<год>-<номер>-<индекс>.yaml"""

    number: int = Field(ge=1, description="Порядковый номер в серии за год")
    series: str = Field(pattern=r"^[а-яa-z]{1,4}$", description="Индекс серии, например од")
    date: dt.date = Field(description="Дата подписания приказа")
    status: OrderStatus = Field(description="проект, подписан или отменён")
    title: str = Field(description="Заголовок к тексту без «О» в кавычках, например «О создании групп в мобильных мессенджерах»")
    basis: str | None = Field(None, description="Преамбула: цель и основание издания")
    signed_by: Id = Field(description="id подписавшего (директора)")
    executor: Id = Field(description="id исполнителя (кто готовил приказ)")
    deadlines: Deadlines | None = Field(None, description="Сроки исполнения (для приказа о создании групп)")
    approves: list[ApprovedAct] = Field(default_factory=list, description="Какие редакции актов утверждаются приказом")
    control: Id | None = Field(None, description="id того, на кого возлагается контроль; пусто — директор оставляет за собой")
    cancelled_by: OrderId | None = Field(None, description="id приказа, которым этот приказ отменён")

    @property
    def registration_number(self) -> str:
        return f"{self.number}-{self.series}"

    @property
    def id(self) -> str:
        return order_id(self.date.year, self.number, self.series)


def order_id(year: int, number: int, series: str) -> str:
    return f"{year}-{number:03d}-{series}"


class AckMethod(str, Enum):
    PAPER = "бумажный лист"
    ELECTRONIC = "электронно"


class Acknowledgement(Record):
    person: Id
    act: Id
    version: int = Field(ge=1)
    date: dt.date
    method: AckMethod = Field(AckMethod.PAPER, description="Как получено ознакомление: бумажный лист или электронно")
    sheet: str | None = Field(None, description="Номер листа ознакомления, если на бумаге")
    signed_by: Id | None = Field(None, description="За обучающегося младше установленного возраста: id родителя "
                                                   "(законного представителя), который расписался")


class Acknowledgements(Record):
    """records/acknowledgements.yaml"""

    acknowledgements: list[Acknowledgement] = Field(default_factory=list)


class ActionKind(str, Enum):
    MONITORING = "мониторинг"
    PUBLICATION = "публикация"
    STRUCTURE = "структура"
    HELP = "помощь"
    TECHNICAL = "обслуживание"
    REGISTRATION = "регистрация"


class AdminAction(Record):
    date: dt.date
    group: Id
    by: Id = Field(description="id администратора")
    kind: ActionKind = Field(description="мониторинг, публикация, структура, помощь, обслуживание или регистрация")
    note: str | None = None
    expires: dt.date | None = Field(None, description="Для публикации: дата, после которой она теряет актуальность и должна быть удалена")


class Deletion(Record):
    date: dt.date
    group: Id
    by: Id
    what: str = Field(description="Что удалено (без персональных данных)")
    reason: str = Field("потеряла актуальность", description="Причина удаления")


class Violation(Record):
    id: Id
    date: dt.date
    group: Id
    clause: Literal["4", "5.1", "5.2"] = Field(description="Пункт Порядка: 4, 5.1 или 5.2")
    description: str = Field(description="Суть нарушения без персональных данных")
    person: Id | None = Field(None, description="id нарушителя, если установлен")
    measure: str | None = Field(None, description="Принятая мера")
    measure_date: dt.date | None = None
    due: dt.date | None = Field(None, description="Срок устранения")
    resolved: bool = False


class FindingCategory(str, Enum):
    PERSONAL_DATA = "персональные данные"
    PROFANITY = "ненормативная лексика"
    SPELLING = "орфография"
    STYLE = "неделовой стиль"
    PERSONAL_TOPIC = "личная тема"
    QUIET_HOURS = "тихие часы"
    OUTDATED = "устаревшее объявление"


class ReviewStatus(str, Enum):
    NEW = "новое"
    CONFIRMED = "подтверждено"
    DISMISSED = "отклонено"


class ContentFinding(Record):
    """A possible breach found by scanning an imported chat; the administrator confirms or dismisses it."""

    id: Id = Field(description="Постоянный id замечания")
    group: Id
    message: str = Field(description="id сообщения в выгрузке мессенджера")
    date: dt.date
    time: Time = Field(description="Время сообщения ЧЧ:ММ")
    sender: Id | None = Field(None, description="id отправителя в people.yaml, если он опознан")
    category: FindingCategory
    clause: Literal["3", "4", "5.1", "5.2"] = Field(description="Пункт Порядка")
    excerpt: str = Field(description="Отрывок с замаскированными персональными данными")
    status: ReviewStatus = ReviewStatus.NEW
    note: str | None = Field(None, description="Пояснение администратора при подтверждении или отклонении")
    violation: Id | None = Field(None, description="id нарушения в разделе violations, если оно туда внесено")


class ChatImport(Record):
    """What one import of a chat export added: counts only, never the messages themselves."""

    group: Id
    source: Literal["telegram", "whatsapp"]
    file: str = Field(description="Отпечаток (SHA-256) файла выгрузки: повторный импорт ничего не добавляет")
    first: dt.date = Field(description="Дата первого сообщения месяца в выгрузке")
    last: dt.date = Field(description="Дата последнего сообщения месяца в выгрузке")
    messages: int = Field(ge=0)
    senders: dict[str, int] = Field(default_factory=dict, description="Число сообщений по отправителям (id или «неизвестный N»)")
    unknown_senders: int = Field(0, ge=0, description="Сколько отправителей не найдено в people.yaml")


class MonthLog(Record):
    """records/log/ГГГГ-ММ.yaml"""

    month: str = Field(pattern=r"^\d{4}-(0[1-9]|1[0-2])$", description="Месяц в виде ГГГГ-ММ (совпадает с именем файла)")
    actions: list[AdminAction] = Field(default_factory=list, description="Действия администраторов (п. 3)")
    deletions: list[Deletion] = Field(default_factory=list, description="Удаления информации, потерявшей актуальность")
    violations: list[Violation] = Field(default_factory=list, description="Нарушения и принятые меры (п. 4–5)")
    imports: list[ChatImport] = Field(default_factory=list, description="Импорт выгрузок переписки за месяц (только счётчики)")
    findings: list[ContentFinding] = Field(default_factory=list, description="Замечания проверки переписки и решения по ним")
