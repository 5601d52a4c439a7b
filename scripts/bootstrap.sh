#!/usr/bin/env bash
# One entry point for a fresh machine: installs what the program needs and then
#   bootstrap.sh run    opens the app on the demo village (新沟村)
#   bootstrap.sh test   runs the whole test suite
# System packages (Qt's libraries, fonts, Xvfb) come from apt-get when we are root;
# Python packages go into .venv next to this checkout.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
action=${1:-run}
shift || true

apt_packages=(
    libglib2.0-0 libegl1 libgl1 libfontconfig1 libxkbcommon0 libdbus-1-3
    xvfb xauth libxcb-cursor0 libxkbcommon-x11-0 libxcb-icccm4 libxcb-keysyms1
    libxcb-image0 libxcb-render-util0 libxcb-shape0 libxcb-xkb1
    fonts-wqy-zenhei poppler-utils postgresql nsis
)

install_system_packages() {
    command -v dpkg-query >/dev/null || return 0
    local missing=()
    for p in "${apt_packages[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    if [ "$(id -u)" -ne 0 ]; then
        echo "缺少系统软件包（请用 root 安装）: ${missing[*]}" >&2
        return 0
    fi
    echo "安装系统软件包: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

install_python_packages() {
    local py=${PYTHON:-}
    if [ -z "$py" ]; then
        for c in python3.11 python3; do command -v "$c" >/dev/null && { py=$c; break; }; done
    fi
    if [ -z "$py" ]; then
        echo "找不到 Python 3.11：请先安装 python3（3.11 或更新）" >&2
        exit 1
    fi
    if [ ! -x .venv/bin/python ] && ! "$py" -m venv .venv 2>/dev/null; then
        # Debian's python3 ships venv/ensurepip separately.
        rm -rf .venv
        if [ "$(id -u)" -eq 0 ]; then
            apt-get update -qq && apt-get install -y -qq python3-venv >/dev/null
        fi
        "$py" -m venv .venv
    fi
    # Reinstall only when pyproject.toml changed since the last install.
    local stamp=.venv/.installed-$(sha256sum pyproject.toml | cut -c1-16)
    if [ ! -f "$stamp" ]; then
        .venv/bin/python -m pip install -q --upgrade pip
        .venv/bin/python -m pip install -q -e ".[test]"
        rm -f .venv/.installed-* && touch "$stamp"
    fi
}

install_system_packages
install_python_packages
export PATH="$root/.venv/bin:$PATH"

case "$action" in
    run)
        db="$root/demo/xingou.db"
        if [ ! -f "$db" ]; then
            mkdir -p "$root/demo"
            fupin --db "$db" demo
        fi
        if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ] && [ -z "${QT_QPA_PLATFORM:-}" ]; then
            exec xvfb-run -a fupin --db "$db" gui "$@"
        fi
        exec fupin --db "$db" gui "$@"
        ;;
    test)
        export QT_QPA_PLATFORM=offscreen
        exec python -m pytest "$@"
        ;;
    *)
        echo "用法: scripts/bootstrap.sh [run|test] [参数…]" >&2
        exit 2
        ;;
esac
