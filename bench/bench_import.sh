#!/bin/sh
# Import speed and memory (make bench).  Records a real trace.dat of at least
# 1,000,000 events on this machine (tracefs instance + trace-cmd extract of the
# fixture guest), then times `nvtrace import` against `trace-cmd report` on the
# same file in the same run, and prints peak RSS for two sizes.
ROOT=${ROOT:-$(cd "$(dirname "$0")/.." && pwd)}
NVTRACE=${NVTRACE:-$ROOT/build/nvtrace}
W=$(mktemp -d)
T=/sys/kernel/tracing
INST=nvtrace-import-bench-$$
trap 'rmdir $T/instances/$INST 2>/dev/null; rm -rf "$W"' EXIT
if [ "$(id -u)" != 0 ] || [ ! -e /dev/kvm ]; then echo "   skip: needs root and /dev/kvm"; exit 0; fi
[ -d $T/instances ] || mount -t tracefs nodev $T

# record EXITS guest exits into a trace.dat (about 11 events per 2 exits)
record() { # exits out.dat
	I=$T/instances/$INST
	mkdir $I && echo 262144 > $I/buffer_size_kb && echo 1 > $I/events/kvm/enable
	sh -c "echo 1 > $I/tracing_on; exec $W/guest $1" > /dev/null
	echo 0 > $I/tracing_on
	unshare -m sh -c "mount --bind /dev/null /proc/kallsyms && trace-cmd extract -B $INST -o $2" > /dev/null 2>&1
	rmdir $I 2>/dev/null
}
cc -O2 -o "$W/guest" "$ROOT/tests/fixtures/pio_mmio_guest.c" || exit 1
record 100000 "$W/big.dat"
record 10000 "$W/small.dat"
events=$(trace-cmd report -i "$W/big.dat" 2>/dev/null | grep -vc '^cpus=')
echo "   trace.dat: $events events, $(stat -c %s "$W/big.dat") bytes"
[ "$events" -ge 1000000 ] || echo "   WARNING: fewer than 1,000,000 events"

now() { date +%s.%N; }
t0=$(now); trace-cmd report -i "$W/big.dat" > /dev/null 2>&1; t1=$(now)
"$NVTRACE" import "$W/big.dat" -o "$W/big.db" > /dev/null; t2=$(now)
awk -v e="$events" -v r="$(echo "$t1 - $t0" | bc)" -v i="$(echo "$t2 - $t1" | bc)" 'BEGIN {
	printf "   nvtrace import:     %.3f s  %.0f events/s\n", i, e / i
	printf "   trace-cmd report:   %.3f s  %.0f events/s\n", r, e / r
	printf "   import is %.2fx as fast as trace-cmd report (floor: 1,000,000 events/s, > 1x)\n", r / i
}'
for f in small big; do
	n=$(trace-cmd report -i "$W/$f.dat" 2>/dev/null | grep -vc '^cpus=')
	rss=$(/usr/bin/time -f %M "$NVTRACE" import "$W/$f.dat" -o "$W/$f.db" 2>&1 >/dev/null | tail -1)
	echo "   peak RSS importing $n events: $rss KB"
done
