"""Architecture rules: Qt only under ui/, and imports go downward only."""

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
    """`fupin --help` (and a mistyped command) answers without loading SQLAlchemy or the models:
    the database layer loads when a command opens the database (issue 20: start-up)."""
    import subprocess
    import sys

    code = ("import sys, contextlib, io\n"
            "from fupin_desktop.cli import main\n"
            "with contextlib.suppress(SystemExit), contextlib.redirect_stdout(io.StringIO()):\n"
            "    main(['--help'])\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('sqlalchemy', 'reportlab', 'PySide6')"
            " or m.startswith('fupin_desktop.db')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
