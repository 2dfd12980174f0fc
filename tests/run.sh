#!/bin/sh
# Run every test: the unit test binaries in BUILD/tests and the end-to-end
# scripts in tests/e2e, all speaking TAP.  Ends with "N passed, N failed".
BUILD=${1:-build/san}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
export NVTRACE="$ROOT/$BUILD/nvtrace" NVGUEST="$ROOT/$BUILD/nvguest" ROOT BUILD
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
# leaks inside the system trace libraries are not ours: tests/lsan.supp
export LSAN_OPTIONS="suppressions=$ROOT/tests/lsan.supp:print_suppressions=0${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
# as root, mount tracefs where it is not mounted yet (record mounts it itself):
# the record tests and benchmarks then run instead of skipping
if [ "$(id -u)" -eq 0 ] && [ -d /sys/kernel/tracing ] && [ ! -d /sys/kernel/tracing/events ]; then
	mount -t tracefs nodev /sys/kernel/tracing 2> /dev/null
fi
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
pass=0; fail=0; skip=0
run_one() { # name command...
	name=$1; shift
	"$@" > "$out/log" 2>&1
	rc=$?
	p=$(grep -c '^ok ' "$out/log" | tr -d ' ')
	s=$(grep -c '^ok .*# SKIP' "$out/log" | tr -d ' ')
	f=$(grep -c '^not ok ' "$out/log" | tr -d ' ')
	p=$((p - s))
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		f=1; echo "not ok - $name exited with status $rc" >> "$out/log"
	fi
	pass=$((pass + p)); fail=$((fail + f)); skip=$((skip + s))
	if [ "$f" -gt 0 ]; then
		echo "FAIL $name ($p passed, $f failed, $s skipped)"
		grep -v '^ok ' "$out/log" | sed 's/^/    /' | head -60
	else
		echo "ok   $name ($p passed, $s skipped)"
		grep '# SKIP' "$out/log" | sed 's/^/    /'
	fi
}
for t in "$ROOT/$BUILD"/tests/test_*; do
	[ -x "$t" ] || continue
	run_one "unit/$(basename "$t")" sh -c "cd '$ROOT' && '$t'"
done
for t in "$ROOT"/tests/e2e/*.sh; do
	[ -f "$t" ] || continue
	run_one "e2e/$(basename "$t" .sh)" sh -c "cd '$ROOT' && sh '$t'"
done
echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
