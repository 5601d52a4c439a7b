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


# ui/ reaches the database through ui/ops.py (sessions for the services it calls) and ui/app.py, ui/startup.py
# (wiring) only.
# Another ui module may name, in a type only (under TYPE_CHECKING), the session ops hands the work it is
# given and the database ui/startup.py opened; nothing else of SQLAlchemy or db/ (no query, no model), and it
# opens no session of its own. Issue 17 listed ten modules that imported the database layer; none is left.
UI_DB_WIRING = {"app.py", "startup.py", "ops.py"}
UI_TYPE_NAMES = {("sqlalchemy.orm", "Session"), ("fupin_desktop.db.session", "Database")}
OPENS_A_SESSION = {"reading", "transaction", "session"}


def _is_database_layer(module: str) -> bool:
    return module.split(".")[0] == "sqlalchemy" or module.startswith("fupin_desktop.db")


def _database_imports(tree: ast.Module) -> tuple[set[str], set[tuple[str, str]]]:
    """What `tree` imports of the database layer: modules at run time, and (module, name) under TYPE_CHECKING."""
    typing_only = [n for n in tree.body if isinstance(n, ast.If) and ast.unparse(n.test).endswith("TYPE_CHECKING")]
    hidden = {id(node) for block in typing_only for node in ast.walk(block)}
    runtime: set[str] = set()
    typed: set[tuple[str, str]] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            modules = [(a.name, "*") for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            modules = [(node.module, a.name) for a in node.names]
        else:
            continue
        for module, name in modules:
            if _is_database_layer(module):
                if id(node) in hidden:
                    typed.add((module, name))
                else:
                    runtime.add(module)
    return runtime, typed


def test_ui_reaches_the_database_only_through_ops():
    for path in sorted((PACKAGE / "ui").glob("*.py")):
        if path.name in UI_DB_WIRING:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        runtime, typed = _database_imports(tree)
        assert not runtime, f"ui/{path.name} imports {sorted(runtime)}: call a service through ui/ops.py instead"
        assert typed <= UI_TYPE_NAMES, f"ui/{path.name} names {sorted(typed - UI_TYPE_NAMES)}: only ops.py may"
        opened = [f"line {n.lineno}" for n in ast.walk(tree) if isinstance(n, ast.Call)
                  and isinstance(n.func, ast.Attribute) and n.func.attr in OPENS_A_SESSION
                  and isinstance(n.func.value, (ast.Name, ast.Attribute)) and "db" in ast.unparse(n.func.value)]
        assert not opened, f"ui/{path.name} opens a session ({opened}): give the work to ui/ops.py or a service"


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
