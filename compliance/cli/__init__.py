"""Command line: parse options, call one library function, print what came back.

Heavy modules (pydantic models, renderers) are imported inside commands so that
`compliance --help` starts fast.
"""
from __future__ import annotations

import logging
import re
import sys
from pathlib import Path

import click

from ..errors import ComplianceError
from . import russian

russian.install()

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


COMMANDS = {
    "check": "compliance.cli.records:check_command",
    "build": "compliance.cli.build:build_command",
    "schema": "compliance.cli.records:schema_command",
    "init": "compliance.cli.records:init_command",
    "verify": "compliance.cli.verify:verify_command",
    "templates": "compliance.cli.templates:templates_group",
    "order": "compliance.cli.order:order_group",
    "ack": "compliance.cli.ack:ack_group",
    "import": "compliance.cli.imports:import_group",
    "findings": "compliance.cli.review:findings_group",
}


class CompliantGroup(click.Group):
    """Loads commands on demand (fast --help) and turns the tool's own errors into
    a Russian message and exit code 2, in one place."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, name: str):
        if name not in COMMANDS:
            return None
        import importlib

        module, attribute = COMMANDS[name].split(":")
        return getattr(importlib.import_module(module), attribute)

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except ComplianceError as exc:
            click.echo(terminal_safe(exc.render()), err=True)
            ctx.exit(exc.exit_code)


_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def terminal_safe(text: str) -> str:
    """Control characters quoted from a file shown as «\\u001b»: an error message must not clear the
    screen, recolour it or print a name backwards."""
    return _CONTROLS.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def records_option(func):
    return click.option("--records", "records", type=click.Path(path_type=Path), default=Path("records"),
                        show_default=True, help="Папка с записями учреждения.")(func)


def out_option(func):
    return click.option("--out", "out", type=click.Path(path_type=Path), default=Path("out"), show_default=True,
                        help="Папка, куда записываются документы (заменяется целиком).")(func)


def _month(ctx, param, value):
    if value is None:
        return None
    if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", value):
        raise click.BadParameter(f"«{value}» — нужен месяц в виде ГГГГ-ММ, например 2026-11.")
    return value


def date_value(ctx, param, value):
    """A date option in either form a secretary types: 2026-11-24 or 24.11.2026; None when not given."""
    if value is None:
        return None
    from ..store.acknowledgements import parse_date

    parsed = parse_date(value)
    if parsed is None:
        raise click.BadParameter(f"«{value}» — нужна дата в виде ГГГГ-ММ-ДД или ДД.ММ.ГГГГ, например 2026-11-24.")
    return parsed


def month_option(func):
    return click.option("--month", callback=_month, metavar="ГГГГ-ММ",
                        help="Месяц отчёта; по умолчанию — последний месяц, за который есть журнал.")(func)


def _formats(ctx, param, value):
    formats = tuple(dict.fromkeys(part.strip().lower() for part in value.split(",") if part.strip()))
    unknown = [f for f in formats if f not in ("docx", "xlsx", "pdf")]
    if unknown or not formats:
        raise click.BadParameter(f"«{value}» — укажите один или несколько форматов через запятую: docx,xlsx,pdf.")
    return formats


def formats_option(func):
    return click.option("--format", "formats", default="docx,xlsx,pdf", show_default=True, callback=_formats,
                        help="Форматы документов через запятую.")(func)


@click.group(cls=CompliantGroup, context_settings=CONTEXT)
@click.option("-v", "--verbose", is_flag=True, help="Показывать этапы работы.")
@click.version_option(package_name="compliance", message="compliance %(version)s", help="Показать версию и выйти.")
def cli(verbose: bool) -> None:
    """Группы учреждения в мессенджерах по Порядку: записи, проверка и документы.

    Записи учреждения хранятся в YAML в папке records/. Программа проверяет их
    по пунктам Порядка организации и работы групп в мобильных мессенджерах и
    формирует приказ, листы ознакомления и ежемесячный отчёт в DOCX, XLSX и PDF.

    \b
    Пример:
      compliance check            проверить записи в ./records
      compliance build            сформировать все документы в ./out
    """
    if verbose:
        # The tool's own stages only: libraries (pymorphy3's «Loading dictionaries from …») stay at WARNING.
        logging.basicConfig(level=logging.WARNING, format="%(message)s…", stream=sys.stderr)
        logging.getLogger("compliance").setLevel(logging.INFO)


def main(prog_name: str = "compliance") -> None:
    cli(prog_name=prog_name)
