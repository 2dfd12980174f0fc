#!/bin/sh
# The model's speed: exits/s of the per-exit evaluation replay uses (fast
# path from prepared totals, and the full op-by-op path with a callback as
# explain/flame use it), and the wall time of explain and compare, with
# peak RSS.  Figures for each architecture on the seed's guest hypervisor.
set -u
BUILD=${BUILD:-build}
ROOT=${ROOT:-$(cd "$(dirname "$0")/.." && pwd)}
NVTRACE=${NVTRACE:-$ROOT/$BUILD/nvtrace}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
N=${BENCH_MODEL_EXITS:-20000000}

cc -std=c11 -O2 -I"$ROOT" -o "$TMP/bench_model" "$ROOT/bench/bench_model.c" \
	"$ROOT/$BUILD/libnvmodel.a" || { echo "cannot build bench_model"; exit 1; }
printf '%-6s %-14s %18s %18s  %s\n' arch guest "fast exits/s" "full exits/s" "ns/exit (fast)"
for arch in vm v8.3 neve v8.4; do
	out=$("$TMP/bench_model" "$arch" kvm-2017-nvhe "$N") || exit 1
	fast=$(echo "$out" | awk '{print $2}'); full=$(echo "$out" | awk '{print $4}')
	printf '%-6s %-14s %18s %18s  %.1f\n' "$arch" kvm-2017-nvhe "$fast" "$full" \
		"$(awk -v f="$fast" 'BEGIN { print 1e9 / f }')"
done

# The model's time per nested exit as replay spends it (bench/bench_model_exits.c):
# each architecture on its own over a whole run in trace order, with the
# sub-model state and the per-exit memo (as replay runs), the state without
# the memo, and stateless; the memo's hits, misses and entries; the variant
# selection apart.  CPU time, best of 3.  The memcached shape (single-level,
# 4 vCPUs, $BENCH_MODEL_MC_SECONDS s, default 5; guest kvm-vhe, whose tick is
# the hyp timer) and the hypercall shape (nested on a v8.4 host, 2 vCPUs,
# 3.1 s, kvm-2017-nvhe).  Goal (issue 15): state+memo under 100 ns.
if cc -std=c11 -O2 -I"$ROOT" -o "$TMP/bench_model_exits" "$ROOT/bench/bench_model_exits.c" \
	"$ROOT/$BUILD/libnvtrace.a" "$ROOT/$BUILD/libnvmodel.a" $(pkg-config --libs sqlite3) -lm -lpthread; then
	export NVTRACE_WORKLOADS="$ROOT/examples/workloads"
	MC_S=${BENCH_MODEL_MC_SECONDS:-5}
	"$NVTRACE" synth -w memcached --vcpus 4 -d "$MC_S" -o "$TMP/mc.db" > /dev/null 2>&1 &&
		{ echo "memcached, $MC_S s, 4 vCPUs:"; "$TMP/bench_model_exits" "$TMP/mc.db" kvm-vhe; } ||
		echo "memcached: cannot synthesise or measure"
	"$NVTRACE" synth -w hypercall --vcpus 2 -d 3.1 --arch-host v8.4 --guest kvm-2017-nvhe \
		-o "$TMP/hc.db" > /dev/null 2>&1 &&
		{ echo "hypercall, nested (v8.4 host), 3.1 s, 2 vCPUs:"
		  "$TMP/bench_model_exits" "$TMP/hc.db" kvm-2017-nvhe; } ||
		echo "hypercall: cannot synthesise or measure"
	rm -f "$TMP/mc.db" "$TMP/hc.db"
else
	echo "cannot build bench_model_exits"
fi

# Wall time (best of 5) and peak RSS of the commands.
wall() { # label command...
	label=$1; shift
	best=
	for i in 1 2 3 4 5; do
		s=$(date +%s%N); "$@" > /dev/null; e=$(date +%s%N)
		t=$(( (e - s) / 1000 ))
		[ -z "$best" ] || [ "$t" -lt "$best" ] && best=$t
	done
	rss=$(/usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -1)
	printf '%-52s %8.2f ms  peak RSS %s KiB\n' "$label" "$(awk -v t="$best" 'BEGIN { print t / 1000 }')" "$rss"
}
wall "explain hvc --arch v8.3 (163 ops)" "$NVTRACE" explain hvc --arch v8.3
wall "explain hvc --arch v8.4 --csv" "$NVTRACE" explain hvc --arch v8.4 --csv
wall "compare (4 architectures, hypercall)" "$NVTRACE" compare
wall "regs --arch v8.4 (whole table)" "$NVTRACE" regs --arch v8.4
wall "peer: nvtrace --version (process start-up)" "$NVTRACE" --version
