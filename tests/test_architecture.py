"""Data flows one way: records → store → model → rules → views → render. No stage reaches back."""
from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "compliance"
COMMON = {"errors", "resources"}
ALLOWED = {
    "ru": set(),
    "model": {"ru"},
    "store": {"model", "ru"},
    "rules": {"model", "ru"},
    "views": {"model", "rules", "ru"},
    "render": {"views"},
    "imports": {"model", "ru"},
    "scan": {"model", "ru", "imports"},
}


def stage_of(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def imported_stages(path: Path) -> set[str]:
    module = "compliance." + ".".join(path.relative_to(PACKAGE).with_suffix("").parts)
    package = module.rsplit(".", 1)[0] if path.name != "__init__.py" else module.removesuffix(".__init__")
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            names = [target] if node.module or not node.level else [f"{target}.{a.name}" for a in node.names]
        elif isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        else:
            continue
        for name in names:
            if name.startswith("compliance.") or name == "compliance":
                found.add(stage_of(name) or stage_of(module))
    return found


def test_stages_import_only_from_their_left():
    crossings = []
    for path in sorted(PACKAGE.rglob("*.py")):
        stage = path.relative_to(PACKAGE).parts[0]
        if stage not in ALLOWED:
            continue
        for other in imported_stages(path) - ALLOWED[stage] - COMMON - {stage}:
            crossings.append(f"{path.relative_to(PACKAGE.parent)} imports compliance.{other}")
    assert crossings == []


def test_library_never_imports_click_or_exits():
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.relative_to(PACKAGE).parts[0] in ("cli", "__main__.py"):
            continue
        text = path.read_text(encoding="utf-8")
        if "import click" in text or "sys.exit" in text:
            offenders.append(str(path.relative_to(PACKAGE.parent)))
    assert offenders == []


def test_every_package_is_listed_in_setup_cfg():
    """A package missing from setup.cfg works from the source tree and breaks after `pip install .`."""
    import configparser

    config = configparser.ConfigParser()
    config.read(PACKAGE.parent / "setup.cfg", encoding="utf-8")
    listed = set(config["options"]["packages"].split())
    found = {".".join(p.relative_to(PACKAGE.parent).parts[:-1]) for p in PACKAGE.rglob("__init__.py")}
    assert found - listed == set()
