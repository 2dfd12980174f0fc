#!/bin/sh
# Sub-models: microbenchmark scenarios/s and nested exits/s per architecture
# (model evaluation with the shadow-S2, timer and vGIC sub-models), raw
# sub-model step rates, peak RSS.  Built against build/libnvmodel.a only.
ROOT=${ROOT:-$(cd "$(dirname "$0")/.." && pwd)}
BUILD=${BUILD:-build}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cc -std=c11 -D_GNU_SOURCE -O2 -I"$ROOT" -o "$tmp/subbench" "$ROOT/bench/submodels_bench.c" \
	"$ROOT/$BUILD/libnvmodel.a" -lm || exit 1
"$tmp/subbench"
