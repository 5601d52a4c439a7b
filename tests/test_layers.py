"""Architecture rules (docs/architecture.md): Qt only under ui/, imports go downward only, the CLI
reaches the ORM only through services, and ui/ reaches the database only through ui/ops.py."""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).parents[1] / "fupin_desktop"
# A layer may import itself and what is below it.
BELOW = {
    "domain": {"domain", "errors"},
    "db": {"db", "domain", "errors", "paths", "safe_files"},
    "services": {"services", "db", "domain", "errors", "paths", "safe_files"},
    "sync": {"sync", "services", "db", "domain", "errors", "paths", "safe_files"},
    "reports": {"reports", "domain", "errors", "paths", "resources", "safe_files"},
}


def imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def modules():
    return sorted(p for p in PACKAGE.rglob("*.py") if "migrations" not in p.parts or p.name == "env.py")


@pytest.mark.parametrize("path", modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_nothing_outside_ui_imports_qt(path):
    if path.relative_to(PACKAGE).parts[0] == "ui":
        return
    qt = {n for n in imports(path) if n.split(".")[0] in ("PySide6", "shiboken6") or n.startswith("fupin_desktop.ui")}
    # the CLI may start the GUI lazily, inside the `gui` command only
    if path.relative_to(PACKAGE).as_posix() == "cli/register.py":
        qt -= {"fupin_desktop.ui.app"}
    assert not qt, f"{path.name} imports {qt}"


@pytest.mark.parametrize("layer", sorted(BELOW))
def test_imports_go_downward(layer):
    for path in (PACKAGE / layer).rglob("*.py") if (PACKAGE / layer).exists() else []:
        for name in imports(path):
            if name.startswith("fupin_desktop."):
                target = name.split(".")[1]
                assert target in BELOW[layer], f"{path.relative_to(PACKAGE)} imports {name}"


def test_cli_help_needs_no_database_layer():
    """`fupin --help` (and a mistyped command) answers without loading SQLAlchemy or the models, nor
    any command's module: the database layer loads when a command opens the database, a command's
    module when it runs (issue 20: start-up; cli/commands.py lists them)."""
    import subprocess
    import sys

    code = ("import sys, contextlib, io\n"
            "from fupin_desktop.cli import main\n"
            "with contextlib.suppress(SystemExit), contextlib.redirect_stdout(io.StringIO()):\n"
            "    main(['--help'])\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('sqlalchemy', 'reportlab', 'PySide6')"
            " or m.startswith(('fupin_desktop.db', 'fupin_desktop.services', 'fupin_desktop.sync'))"
            " or m.startswith('fupin_desktop.cli.') and m not in ('fupin_desktop.cli.commands',)))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def _from_imports(path: Path) -> list[tuple[str, str]]:
    """(module, name) of every `from module import name` in `path`."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [(node.module, a.name) for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0 for a in node.names]


def test_the_cli_goes_through_services_not_the_orm():
    """A command is a thin shell: it opens the database (db.session) and calls services, sync or
    reports. No SQLAlchemy, no models, no other module's private helpers."""
    for path in sorted((PACKAGE / "cli").glob("*.py")):
        orm = {n for n in imports(path) if n.split(".")[0] == "sqlalchemy" or n.startswith("fupin_desktop.db.models")}
        assert not orm, f"cli/{path.name} imports {orm}: add a service and call it"
        private = [f"{m}.{n}" for m, n in _from_imports(path) if m.startswith("fupin_desktop.") and n.startswith("_")]
        assert not private, f"cli/{path.name} imports private {private}: make it a service"


# ui/ reaches the database through ui/ops.py (sessions for the services it calls) and ui/app.py (wiring) only.
# Today's other offenders, each to be removed from this list as its import goes (issue 17: DbOps.database
# and the Session type hints of the callbacks given to ops; i17ui / i17list): the list only shrinks.
UI_DB_WIRING = {"app.py", "ops.py"}
UI_DB_OFFENDERS = {  # sign-in and first run unlock or create the database; the others name a Session in a type
    "first_run.py", "households_page.py", "ledger_dialogs.py", "lists.py", "notices_page.py", "printing.py",
    "projects_page.py", "roster_dialog.py", "sign_in.py", "visits_page.py",
}


def _imports_the_database(path: Path) -> set[str]:
    return {n for n in imports(path) if n.split(".")[0] == "sqlalchemy" or n.startswith("fupin_desktop.db")}


def test_ui_reaches_the_database_only_through_ops():
    offending = {p.name for p in (PACKAGE / "ui").glob("*.py") if _imports_the_database(p)} - UI_DB_WIRING
    new = offending - UI_DB_OFFENDERS
    assert not new, f"ui/{sorted(new)} import the database layer: call a service through ui/ops.py instead"
    cured = UI_DB_OFFENDERS - offending
    assert not cured, f"ui/{sorted(cured)} no longer import the database layer: remove them from UI_DB_OFFENDERS"


def test_docs_architecture_states_the_rules_checked_here():
    """docs/architecture.md lists who may import what; it must say what BELOW says."""
    doc = (PACKAGE.parent / "docs" / "architecture.md").read_text(encoding="utf-8")
    block = doc.split("<!-- layers -->")[1].split("<!-- /layers -->")[0]
    stated = {}
    for line in block.splitlines():
        if "→" in line:
            layer, below = (part.strip(" `|") for part in line.split("→", 1))
            stated[layer] = {w.strip(" `") for w in below.split(",")} | {layer}
    assert stated == BELOW


def _record_type(node: ast.ClassDef) -> bool:
    """A dataclass, NamedTuple or TypedDict: a row or form type that callers import by name."""
    decorators = {ast.unparse(d).split("(")[0].split(".")[-1] for d in node.decorator_list}
    bases = {ast.unparse(b).split(".")[-1] for b in node.bases}
    return "dataclass" in decorators or bool(bases & {"NamedTuple", "TypedDict"})


def test_each_row_and_form_type_has_one_home():
    """A row or form type is defined once, in the lowest layer that needs it (issue 17: VisitRow,
    NoticeRow … were defined in domain/print_rows.py and again in services, each with other fields).
    No other class, not even an ORM model, may take its name: the reader cannot tell which one is meant.
    Private classes (`_Register`) are their module's own business."""
    homes: dict[str, set[str]] = {}
    records = set()
    for path in modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef) and not node.name.startswith("_"):
                homes.setdefault(node.name, set()).add(path.relative_to(PACKAGE).as_posix())
                if _record_type(node):
                    records.add(node.name)
    twice = {name: sorted(homes[name]) for name in sorted(records) if len(homes[name]) > 1}
    assert not twice, f"defined in more than one module (give each one home and import it from there): {twice}"
