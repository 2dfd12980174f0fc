#!/bin/sh
# make bench: run every benchmark script in bench/ (each prints its own figures).
BUILD=${1:-build}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
export NVTRACE="$ROOT/$BUILD/nvtrace" NVGUEST="$ROOT/$BUILD/nvguest" ROOT BUILD
for b in "$ROOT"/bench/bench_*.sh; do
	[ -f "$b" ] || continue
	echo "== $(basename "$b" .sh)"
	sh "$b" || echo "   (benchmark failed: $?)"
done
