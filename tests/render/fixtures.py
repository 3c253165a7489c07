"""Hand-made view-models for renderer tests: renderers are tested apart from the records."""
from __future__ import annotations

from compliance.views.acknowledgement_sheet import SHEET_COLUMNS, AckSheetView, SheetRow
from compliance.views.common import Letterhead, Signature
from compliance.views.monthly_report import (ACTIVITY_COLUMNS, CHAT_COLUMNS, CLAUSE_COLUMNS, CONCEALMENT_COLUMNS,
                                             COVERAGE_COLUMNS, FINDING_COLUMNS, GROUP_COLUMNS as REPORT_GROUP_COLUMNS,
                                             OVERDUE_COLUMNS, VIOLATION_COLUMNS, ActivityRow, ChartBar, ChatFindingRow,
                                             ConcealmentRow, CoverageChart, CoverageRow, FindingRow, MonthlyReportView,
                                             OverdueRow, ReportGroupRow, ReportSection, ViolationRow)
from compliance.views.report_clauses import ClauseRow
from compliance.views.order import GROUP_COLUMNS, Acquainted, OrderGroupRow, OrderPoint, OrderView
from compliance.views.order_register import REGISTER_COLUMNS, OrderRegisterView, RegisterRow

NB = "\u00a0"
LETTERHEAD = Letterhead(
    founder="Управление образования администрации Светлогорского городского округа",
    name="Муниципальное казённое образовательное учреждение дополнительного образования «Дом детского творчества»",
    short_name="МКОУ ДО «ДДТ»",
    place="г. Светлогорск",
)
BLANK = f"«___» __________ 2026{NB}г."


def order_view(groups: int = 3) -> OrderView:
    rows = tuple(
        OrderGroupRow(str(i), f"Изостудия «Радуга» — родители {i}", "MAX", "информационная, организационная",
                      f"родители обучающихся объединения «Радуга», {10 + i}{NB}чел.",
                      f"Иванова{NB}М.П., педагог дополнительного образования", "до 10.09.2026")
        for i in range(1, groups + 1))
    return OrderView(
        file_stem="prikaz-2026-045-od",
        letterhead=LETTERHEAD,
        draft_mark="",
        doc_type="ПРИКАЗ",
        date="01.09.2026",
        number=f"№{NB}45-од",
        heading="О создании групп в мобильных мессенджерах",
        preamble=("В целях оперативного информирования участников образовательного процесса и в соответствии "
                  "с Порядком организации и работы групп в мобильных мессенджерах & правилами <чата>"),
        command="ПРИКАЗЫВАЮ:",
        create_point=OrderPoint("1.", "Создать группы в мобильных мессенджерах в составе и в сроки согласно таблице:"),
        group_columns=GROUP_COLUMNS,
        groups=rows,
        points=(
            OrderPoint("2.", f"Назначить администраторами групп: Иванову Марию Петровну, педагога дополнительного образования, — группы «Радуга»."),
            OrderPoint("3.", "Утвердить Порядок организации и работы групп в мобильных мессенджерах (приложение № 1)."),
            OrderPoint("4.", "Администраторам групп ознакомить участников групп с Порядком под подпись в срок до 25.09.2026."),
            OrderPoint("5.", "Контроль за исполнением настоящего приказа оставляю за собой."),
        ),
        signature=Signature("Директор", f"Т.А.{NB}Прохорова"),
        acquainted_heading="С приказом ознакомлены:",
        acquainted=(Acquainted("Педагог дополнительного образования", f"М.П.{NB}Иванова", BLANK),
                    Acquainted("Делопроизводитель", f"Е.В.{NB}Кузнецова", BLANK)),
        executor=f"Исп. Кузнецова{NB}Е.В.",
    )


def sheet_view(people: int = 30, blank: int = 5) -> AckSheetView:
    rows = tuple(SheetRow(str(i), f"Аксёнова Полина Игоревна {i}", "родитель (законный представитель)", "", "")
                 for i in range(1, people + 1))
    rows += tuple(SheetRow(str(i), "", "", "", "") for i in range(people + 1, people + blank + 1))
    return AckSheetView(
        file_stem="list-oznakomleniya-izo-roditeli-chat-rules-2",
        letterhead=LETTERHEAD,
        appendix_mark=("Приложение", "к приказу МКОУ ДО «ДДТ»", f"от 15.10.2026 №{NB}71-од"),
        heading="ЛИСТ ОЗНАКОМЛЕНИЯ",
        subject="с Правилами использования чата (редакция 2),",
        approval=f"утверждёнными приказом МКОУ ДО «ДДТ» от 15.10.2026 №{NB}71-од",
        group="Группа «Изостудия «Радуга» — родители» (MAX)",
        admin="Администратор группы: Иванова Мария Петровна",
        deadline="Срок ознакомления — до 05.11.2026",
        columns=SHEET_COLUMNS,
        rows=rows,
        total=f"Подлежат ознакомлению: {people}{NB}человек",
        admin_signature=Signature("Администратор группы", f"М.П.{NB}Иванова"),
    )


def report_view() -> MonthlyReportView:
    group_cols = REPORT_GROUP_COLUMNS
    return MonthlyReportView(
        file_stem="otchet-2026-11",
        letterhead=LETTERHEAD,
        doc_type="ОТЧЁТ",
        date=BLANK,
        heading=f"О соблюдении Порядка организации и работы групп в мобильных мессенджерах за ноябрь 2026{NB}г.",
        summary=("В ноябре 2026 г. в учреждении работали 6 групп в мессенджерах, в них 150 участников.",
                 "С действующими редакциями актов ознакомлены 120 участников из 150 (80 %)."),
        clauses=ReportSection("Соблюдение Порядка по пунктам", "",
                              CLAUSE_COLUMNS,
                              (ClauseRow(f"п.{NB}1", "задачи групп и администратор", "выполнено", "замечаний нет"),
                               ClauseRow(f"п.{NB}2.3", "ознакомление участников с локальными актами", "не выполнено",
                                         f"30{NB}участников не ознакомлены в срок с Правилами использования чата (ред.{NB}2)",
                                         True),
                               ClauseRow("закон", f"Федеральный закон от 01.04.2025 №{NB}41-ФЗ", "выполнено с замечаниями",
                                         "группа «Туристы» & <чат> ведётся в Telegram")),
                              "Пунктов нет."),
        verdict=f"Вывод: в ноябре 2026{NB}г. Порядок соблюдался не полностью: не выполнен п.{NB}2.3 Порядка.",
        groups=ReportSection("1. Группы и их участники (п. 2.1 Порядка)", "Группы созданы приказом от 01.09.2026 № 45-од.",
                             group_cols, (ReportGroupRow("1", "Изостудия «Радуга» — родители", "MAX", f"Иванова{NB}М.П.", "24", "20", f"83{NB}%", "12.09.2026"),),
                             "Групп нет."),
        coverage=ReportSection("2. Ознакомление участников (п. 2.3 Порядка)", "",
                               COVERAGE_COLUMNS,
                               (CoverageRow("Правила использования чата, ред. 2", "05.11.2026", "140", "60", "10", "70", f"50{NB}%"),),
                               "Ознакомление не требуется."),
        chart_title="Рисунок 1 — Доля участников группы, ознакомленных со всеми обязательными актами",
        chart=CoverageChart((ChartBar("Изостудия «Радуга» — родители", 83.3, f"83{NB}%"),
                             ChartBar("Театральная студия «Маска». Родители", 42.9, f"43{NB}%"),
                             ChartBar("Педагоги", 100.0, f"100{NB}%")), "доля ознакомленных, %"),
        overdue=ReportSection("Не ознакомлены в срок", "",
                              OVERDUE_COLUMNS,
                              (OverdueRow("1", f"Аксёнова{NB}П.И.", "родитель", "Изостудия «Радуга» — родители", "Правила использования чата, ред. 2", "05.11.2026"),),
                              "Все участники ознакомлены в срок."),
        activity=ReportSection("3. Работа администраторов (п. 3 Порядка)", "",
                               ACTIVITY_COLUMNS,
                               (ActivityRow("Изостудия «Радуга» — родители", f"Иванова{NB}М.П.", "4", "3", "1", "2"),),
                               "Действий не записано."),
        admin_findings=ReportSection("3.1. Замечания по п. 3 Порядка", "",
                                     FINDING_COLUMNS,
                                     (FindingRow("1", "Группа «Изостудия «Радуга» — родители» не зарегистрирована",
                                                 "Зарегистрируйте группу"),),
                                     "Замечаний по п. 3 нет."),
        violations=ReportSection("4. Нарушения и принятые меры (п. 4–5 Порядка)", "",
                                 VIOLATION_COLUMNS,
                                 (ViolationRow("1", "12.11.2026", "Изостудия «Радуга» — родители", "п. 5.2", "Объявление о продаже",
                                               "Сообщение удалено", "устранено"),),
                                 "Нарушений не выявлено."),
        chat_findings=ReportSection("5. Подтверждённые и отклонённые замечания по переписке", "",
                                    CHAT_COLUMNS,
                                    (ChatFindingRow("1", "14.11.2026", "Изостудия «Радуга» — родители", f"п.{NB}5.1",
                                                    "орфографическая ошибка: «в течении недели»", "отклонено",
                                                    "цитата из письма родителя"),),
                                    "Переписка за месяц не импортировалась; проверка содержания не проводилась."),
        concealment=ReportSection("6. Возможное утаивание нарушений (п. 4 Порядка)", "",
                                  CONCEALMENT_COLUMNS,
                                  (ConcealmentRow("1", "20.11.2026", "Изостудия «Радуга» — родители", f"п.{NB}4",
                                                  "номер телефона: +7 9** ***-**-12", f"Иванова{NB}М.П."),),
                                  "Все подтверждённые замечания внесены в журнал нарушений."),
        prepared_by=Signature("Делопроизводитель", f"Е.В.{NB}Кузнецова"),
        reviewed_heading="Отчёт рассмотрен:",
        reviewed_by=Signature("Директор", f"Т.А.{NB}Прохорова"),
        reviewed_date=BLANK,
    )


def register_view(orders: int = 3) -> OrderRegisterView:
    """Signed orders 45-од, 46-од, …; the second is cancelled and the last one is a draft."""
    rows = []
    for i in range(orders):
        number = 45 + i
        draft = i == orders - 1 and orders > 1
        note = "проект — не подписан" if draft else (f"отменён приказом от 20.11.2026 №{NB}80-од" if i == 1 else "")
        rows.append(RegisterRow(
            f"{number}-од", "—" if draft else f"{1 + i % 28:02d}.09.2026",
            f"О создании групп в мобильных мессенджерах & <чатах> {number}",
            "—" if draft else f"Директор Т.А.{NB}Прохорова", f"Кузьмина{NB}Е.В.",
            "—" if draft else f"ознакомлены 5{NB}из{NB}5", note))
    return OrderRegisterView(
        file_stem="Журнал_приказов_2026_од",
        letterhead=LETTERHEAD,
        heading="ЖУРНАЛ РЕГИСТРАЦИИ ПРИКАЗОВ",
        subtitle=f"по основной деятельности за 2026{NB}год",
        columns=REGISTER_COLUMNS,
        rows=tuple(rows),
        total=f"Всего в журнале: {orders} приказа (из них проектов — 1, отменённых — 1).",
        missing_numbers="Номера, отсутствующие в записях: 1–44.",
    )
