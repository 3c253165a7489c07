"""Click's own messages (usage, errors, help headings) in Russian.

Click takes its strings through gettext; the tool installs a small catalogue
into click's modules instead of depending on the user's locale settings.
"""
from __future__ import annotations

MESSAGES = {
    "Usage:": "Использование:",
    "Options": "Параметры",
    "Commands": "Команды",
    "Show the version and exit.": "Показать версию и выйти.",
    "Show this message and exit.": "Показать эту справку и выйти.",
    "Error: {message}": "Ошибка: {message}",
    "Try '{command} {option}' for help.": "Справка: «{command} {option}».",
    "Invalid value: {message}": "Неверное значение: {message}",
    "Invalid value for {param_hint}: {message}": "Неверное значение {param_hint}: {message}",
    "Missing argument": "Не указан аргумент",
    "Missing option": "Не указан параметр",
    "Missing parameter": "Не указан параметр",
    "Missing {param_type}": "Не указан {param_type}",
    "Missing parameter: {param_name}": "Не указан параметр: {param_name}",
    "No such option {name!r}.": "Нет параметра {name!r}.",
    "No such command {name!r}.": "Нет команды {name!r}.",
    "Missing command.": "Не указана команда.",
    "Aborted!": "Прервано.",
    "default: {default}": "по умолчанию: {default}",
    "Choose from:\n\t{choices}": "Выберите из:\n\t{choices}",
    "{value!r} is not a valid {number_type}.": "{value!r} — не число.",
    "{name} {filename!r} does not exist.": "{name} {filename!r} не существует.",
    "{name} {filename!r} is a file.": "{name} {filename!r} — это файл.",
    "{name} {filename!r} is a directory.": "{name} {filename!r} — это папка.",
    "file": "файл",
    "directory": "папка",
    "path": "путь",
    "%(prog)s, version %(version)s": "%(prog)s, версия %(version)s",
}
PLURALS = {
    "Got unexpected extra argument ({args})": ("Лишний аргумент ({args})", "Лишние аргументы ({args})"),
    "Did you mean {possibility}?": ("Возможно, имелось в виду {possibility}?", ""),
    "(Did you mean one of: {possibilities}?)": ("", "(Возможно, имелось в виду одно из: {possibilities}?)"),
    "Option {name!r} requires an argument.": ("Параметру {name!r} нужно значение.", "Параметру {name!r} нужны {nargs} значения."),
    "{value!r} is not {choice}.": ("{value!r} — недопустимое значение, нужно {choice}.",
                                   "{value!r} — недопустимое значение, нужно одно из: {choices}."),
}


def gettext(message: str) -> str:
    return MESSAGES.get(message, message)


def ngettext(singular: str, plural: str, n: int) -> str:
    forms = PLURALS.get(singular) or PLURALS.get(plural)
    if not forms:
        return singular if n == 1 else plural
    chosen = forms[0] if n == 1 else forms[1]
    return chosen or (forms[1] or forms[0])


def install() -> None:
    import click.core
    import click.decorators
    import click.exceptions
    import click.formatting
    import click.parser
    import click.types

    for module in (click.core, click.decorators, click.exceptions, click.formatting, click.parser, click.types):
        if hasattr(module, "_"):
            module._ = gettext
        if hasattr(module, "ngettext"):
            module.ngettext = ngettext
