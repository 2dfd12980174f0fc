#!/bin/sh
# model/ is pure computation: every quoted include names a model/ header (no
# "..", no other folder) and no library header (SQLite, tracing, BPF, curses,
# threads) is included.  Prints the offending lines and fails otherwise.
# Usage: sh scripts/check_model_includes.sh [model-dir]
dir=${1:-model}
bad=$(grep -nE '^[[:space:]]*#[[:space:]]*include' "$dir"/*.c "$dir"/*.h "$dir"/*.def 2>/dev/null |
	grep -vE '#[[:space:]]*include[[:space:]]*("model/[A-Za-z0-9_]+\.(h|def)"|<[a-z0-9_]+\.h>)')
lib=$(grep -nE '^[[:space:]]*#[[:space:]]*include[[:space:]]*<(sqlite3|pthread|curses|ncurses|event-parse|trace-cmd|tracefs|bpf)' \
	"$dir"/*.c "$dir"/*.h 2>/dev/null)
if [ -n "$bad$lib" ]; then
	echo "model/ must include only model/ headers and the C library:" >&2
	printf '%s\n' "$bad" "$lib" | grep . >&2
	exit 1
fi
exit 0
