"""The README's command-line examples work as written on the demo that `bootstrap.sh run` makes, and
each finds something there (not 共0户)."""

import re
import shlex
from pathlib import Path

import pytest

from tests.cli import fupin

README = Path(__file__).parents[2] / "README.md"


def examples() -> list[str]:
    block = re.search(r"<!-- readme-examples -->\s*```bash\n(.*?)```", README.read_text(encoding="utf-8"), re.S)
    assert block, "README lost its examples block"
    return [line.split("  #")[0].strip() for line in block.group(1).splitlines() if line.strip()]


@pytest.fixture(scope="module")
def checkout(demo_copy, tmp_path_factory: pytest.TempPathFactory) -> Path:  # type: ignore[no-untyped-def]
    """A folder laid out like the checkout after `bootstrap.sh run`: demo/xingou.db (which
    `fupin demo` makes: tests/e2e/test_cli.py runs that command)."""
    folder = tmp_path_factory.mktemp("checkout")
    demo_copy(folder / "demo" / "xingou.db")
    return folder


@pytest.mark.parametrize("example", examples())
def test_readme_example_finds_something_in_the_demo(checkout, example):
    words = shlex.split(example)
    assert words[0] == ".venv/bin/fupin" and words[1:3] == ["--db", "demo/xingou.db"]
    r = fupin(*words[1:], cwd=checkout, check=False)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() and not re.search(r"共0(户|次|条|个)", r.stdout), r.stdout


def test_users_on_the_demo_says_there_is_no_account_and_what_that_means(checkout):
    r = fupin("--db", "demo/xingou.db", "users", cwd=checkout, check=False)
    assert r.returncode == 0 and "还没有账户" in r.stdout and "不要求登录" in r.stdout
    assert "fupin users add" in r.stdout and "向导" not in r.stdout
