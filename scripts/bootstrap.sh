#!/usr/bin/env bash
# One entry point for a fresh machine: installs what the program needs and then
#   bootstrap.sh run      opens the app on the demo village (新沟村)
#   bootstrap.sh test     lints (ruff), type-checks (mypy) and runs the whole test suite (arguments go to pytest)
#   bootstrap.sh install  only installs (what the tests need too)
# System packages (Qt's libraries, fonts, Xvfb) come from apt-get when we are root; `run` installs
# only what running needs, `test` adds PostgreSQL, poppler, NSIS and the test/packaging tools.
# Python packages go into .venv next to this checkout.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
action=${1:-run}
shift || true

# The Python versions pyproject.toml's requires-python allows (">=3.11,<3.14").
py_min=11
py_max=13

run_packages=(
    libglib2.0-0 libegl1 libgl1 libfontconfig1 libxkbcommon0 libdbus-1-3
    xvfb xauth libxcb-cursor0 libxkbcommon-x11-0 libxcb-icccm4 libxcb-keysyms1
    libxcb-image0 libxcb-render-util0 libxcb-shape0 libxcb-xkb1
    fonts-wqy-zenhei
)
test_packages=(poppler-utils postgresql nsis)

say() { echo "[bootstrap] $*"; }

apt_locked() {
    # dpkg and apt hold fcntl locks on these files while they work (unattended-upgrades too).
    python3 - <<'PY' 2>/dev/null
import fcntl, sys
for name in ("/var/lib/dpkg/lock-frontend", "/var/lib/dpkg/lock", "/var/lib/apt/lists/lock"):
    try:
        with open(name, "a") as f:
            fcntl.lockf(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except (FileNotFoundError, PermissionError):  # not there, or not ours to check
        continue
    except OSError:
        sys.exit(0)  # locked
sys.exit(1)
PY
}

wait_for_apt() {
    command -v python3 >/dev/null || return 0
    local waited=0
    while apt_locked; do
        if [ $waited -eq 0 ]; then
            say "软件包管理器正被其他程序占用（多半是系统自动更新），等它结束后继续……（最多等 30 分钟，可按 Ctrl+C 取消）"
        elif [ $((waited % 60)) -eq 0 ]; then
            say "仍在等待软件包管理器（已等 $((waited / 60)) 分钟）……"
        fi
        sleep 5
        waited=$((waited + 5))
        if [ $waited -ge 1800 ]; then
            say "等了 30 分钟软件包管理器仍被占用。请等系统更新结束（或重启电脑）后重新运行本命令。" >&2
            exit 1
        fi
    done
}

apt_get() {
    wait_for_apt
    # the lock timeout covers the moment between our check and apt taking the lock
    apt-get -o DPkg::Lock::Timeout=600 "$@"
}

install_system_packages() {
    command -v dpkg-query >/dev/null || return 0
    local missing=()
    for p in "$@"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    if [ "$(id -u)" -ne 0 ]; then
        say "缺少系统软件包，请用 root 运行本命令，或执行：sudo apt-get install ${missing[*]}" >&2
        return 0
    fi
    say "安装系统软件包（${#missing[@]} 个，首次约 1–3 分钟）：${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    say "更新软件包列表……"
    apt_get update -qq
    say "下载并安装……"
    apt_get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    say "系统软件包已装好。"
}

supported_python() {
    "$1" -c "import sys; sys.exit(not ((3, $py_min) <= sys.version_info[:2] <= (3, $py_max)))" 2>/dev/null
}

install_python_packages() {
    local extras=$1 py=${PYTHON:-}
    if [ -z "$py" ]; then
        for c in python3.11 python3.12 python3.13 python3; do
            command -v "$c" >/dev/null && supported_python "$c" && { py=$c; break; }
        done
    elif ! supported_python "$py"; then
        say "PYTHON=$py 的版本不在 3.$py_min–3.$py_max 之间（pyproject.toml 的要求）。" >&2
        exit 1
    fi
    if [ -z "$py" ]; then
        say "找不到 Python 3.$py_min–3.$py_max：请先安装（Debian 12：apt-get install python3 python3-venv）。" >&2
        exit 1
    fi
    if [ -x .venv/bin/python ] && ! supported_python .venv/bin/python; then
        say ".venv 里的 Python 版本不受支持，重新创建……"
        rm -rf .venv
    fi
    if [ ! -x .venv/bin/python ]; then
        say "创建 Python 虚拟环境 .venv（$($py --version)）……"
        if ! "$py" -m venv .venv 2>/dev/null; then
            # Debian's python3 ships venv/ensurepip separately.
            rm -rf .venv
            if [ "$(id -u)" -eq 0 ]; then
                say "安装 python3-venv……"
                apt_get update -qq && apt_get install -y -qq python3-venv >/dev/null
            fi
            "$py" -m venv .venv
        fi
    fi
    # Reinstall only when pyproject.toml (or what is wanted from it) changed since the last install.
    local stamp=.venv/.installed-$extras-$(sha256sum pyproject.toml | cut -c1-16)
    if [ ! -f "$stamp" ]; then
        say "安装 Python 依赖（${extras:-运行所需}；首次约 1 分钟，Qt 约 150 MB）……"
        .venv/bin/python -m pip install -q --upgrade pip
        .venv/bin/python -m pip install -q -e ".${extras:+[$extras]}"
        rm -f .venv/.installed-* && touch "$stamp"
        # a test install has everything running needs, too
        [ -n "$extras" ] && touch ".venv/.installed--$(sha256sum pyproject.toml | cut -c1-16)"
        say "Python 依赖已装好。"
    fi
}

case "$action" in
    run)
        install_system_packages "${run_packages[@]}"
        install_python_packages ""
        ;;
    test|install)
        install_system_packages "${run_packages[@]}" "${test_packages[@]}"
        install_python_packages test
        ;;
    *)
        echo "用法: scripts/bootstrap.sh [run|test|install] [参数…]" >&2
        exit 2
        ;;
esac
export PATH="$root/.venv/bin:$PATH"

case "$action" in
    run)
        db="$root/demo/xingou.db"
        if [ ! -f "$db" ]; then
            say "生成演示村数据库 demo/xingou.db（约 10 秒）……"
            mkdir -p "$root/demo"
            fupin --db "$db" demo
        fi
        say "打开程序（演示村）……"
        if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ] && [ -z "${QT_QPA_PLATFORM:-}" ]; then
            say "没有显示器：在 Xvfb 虚拟屏幕中打开。"
            exec xvfb-run -a fupin --db "$db" gui "$@"
        fi
        exec fupin --db "$db" gui "$@"
        ;;
    test)
        export QT_QPA_PLATFORM=offscreen
        say "代码检查（ruff、mypy）……"
        ruff check fupin_desktop tests bench
        mypy  # what and how: [tool.mypy] in pyproject.toml
        exec python -m pytest "$@"
        ;;
    install)
        say "已安装。运行：bash scripts/bootstrap.sh run（打开演示村）或 test（运行测试）。"
        ;;
esac
