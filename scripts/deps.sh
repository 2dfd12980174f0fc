#!/bin/sh
# Install the Debian packages nvtrace needs that are missing (sudo when not root).
set -e
PKGS="build-essential pkg-config libsqlite3-dev sqlite3 libtraceevent-dev libtracefs-dev
libtracecmd-dev trace-cmd libbpf-dev bpftool clang libclang-rt-dev llvm libelf-dev zlib1g-dev libzstd-dev liblzma-dev
libncurses-dev gnuplot-nox tmux xz-utils python3 time bc chromium libxml2-utils"
missing=""
for p in $PKGS; do
	dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"
done
[ -z "$missing" ] && { echo "deps: all installed"; exit 0; }
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO=sudo
echo "deps: installing$missing"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $missing >/dev/null
