#!/bin/sh
# Import speed and memory (make bench): first the real arm64 trace.dat files
# of ../shared/reference (no KVM needed), then files recorded here.
# Records real trace.dat files on this machine (tracefs instance + trace-cmd
# extract; the guest is tests/fixtures/pio_mmio_guest.c): N exits give about
# 6 events each (this backend emulates every guest instruction); other guests
# running at the time add theirs.  Times
# `nvtrace import` against `trace-cmd report -i FILE > /dev/null` on the same
# file in the same run, for the file as recorded (v7, zstd) and converted to
# v6 uncompressed (best of 3 runs each); prints peak RSS (/usr/bin/time) for two sizes.
ROOT=${ROOT:-$(cd "$(dirname "$0")/.." && pwd)}
NVTRACE=${NVTRACE:-$ROOT/build/nvtrace}
W=$(mktemp -d)
T=/sys/kernel/tracing
INST=nvtrace-import-bench-$$
trap 'rmdir $T/instances/$INST 2>/dev/null; rm -rf "$W"' EXIT
# wall-clock and CPU (user+sys) seconds of a command, "wall cpu": the best of 3 runs,
# since other jobs share this machine (both tools are measured the same way)
timed() {
	for k in 1 2 3; do
		/usr/bin/time -f "%e %U %S" "$@" 2>&1 >/dev/null | tail -1
	done | awk '{ w = $1; c = $2 + $3; if (NR == 1 || w < bw) bw = w; if (NR == 1 || c < bc) bc = c }
		END { print bw, bc }'
}
# compare FILE: nvtrace import against trace-cmd report on one file
compare() {
	f=$1
	events=$(trace-cmd report -i "$f" 2>/dev/null | grep -vc '^cpus=')
	r=$(timed trace-cmd report -i "$f")
	i=$(timed "$NVTRACE" import "$f" --force -o "$W/x.db")
	got=$(sqlite3 "$W/x.db" "SELECT count(*) FROM events")
	rss=$(/usr/bin/time -f %M "$NVTRACE" import "$f" --force -o "$W/x.db" 2>&1 >/dev/null | tail -1)
	echo "$r $i" | awk -v f="$(basename "$f")" -v e="$events" -v g="$got" -v rss="$rss" \
		-v b="$(stat -c %s "$W/x.db")" '{
		printf "   %s: %d events (%d imported, %.1f bytes/event, import peak RSS %d KB)\n", f, e, g, b / g, rss
		printf "     nvtrace import    %6.2f s wall %9.0f events/s   %6.2f s cpu %9.0f events/s\n", $3, e / $3, $4, e / $4
		printf "     trace-cmd report  %6.2f s wall %9.0f events/s   %6.2f s cpu %9.0f events/s\n", $1, e / $1, $2, e / $2
		printf "     import / report speed: %.2fx wall, %.2fx cpu   (floor: 1,000,000 events/s and 1.5x cpu)\n", $1 / $3, $2 / $4
	}'
}
# 1. the real arm64 trace.dat files (recorded elsewhere, with their kallsyms)
REAL="$ROOT/../shared/reference/real-arm64-nv"
if ! command -v trace-cmd > /dev/null; then
	echo "   skip: needs trace-cmd"; exit 0
fi
if [ -d "$REAL" ]; then
	for f in "$REAL"/nv-hypercall.dat "$REAL"/runs/*.dat; do
		[ -f "$f" ] && compare "$f"
	done
else
	echo "   real traces: skip: no $REAL"
fi
# 2. files recorded here, of two sizes (peak RSS flat)
if [ "$(id -u)" != 0 ] || [ ! -e /dev/kvm ]; then
	echo "   recorded traces: skip: no /dev/kvm on this machine (needs root and KVM to record)"
	echo "   machine load: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores (shared with other jobs)"
	exit 0
fi
[ -d $T/instances ] || mount -t tracefs nodev $T

record() { # exits name: NAME.dat (v7 as extracted) and NAME6.dat (v6, uncompressed)
	I=$T/instances/$INST
	mkdir $I && echo 400000 > $I/buffer_size_kb && echo 1 > $I/events/kvm/enable
	sh -c "echo 1 > $I/tracing_on; exec $W/guest $1" > /dev/null
	echo 0 > $I/tracing_on
	# kallsyms hidden from trace-cmd: a smaller file, same trace data
	unshare -m sh -c "mount --bind /dev/null /proc/kallsyms && trace-cmd extract -B $INST -o $W/$2.dat" > /dev/null 2>&1
	rmdir $I 2>/dev/null
	trace-cmd convert -i "$W/$2.dat" -o "$W/${2}6.dat" --file-version 6 --compression none > /dev/null 2>&1
}
count() { trace-cmd report -i "$1" 2>/dev/null | grep -vc '^cpus='; }
cc -O2 -o "$W/guest" "$ROOT/tests/fixtures/pio_mmio_guest.c" || exit 1
record 200000 one
record 400000 two

for f in one.dat one6.dat; do
	compare "$W/$f"
done
for f in one6 two6 one two; do
	n=$(count "$W/$f.dat")
	rss=$(/usr/bin/time -f %M "$NVTRACE" import "$W/$f.dat" -o "$W/$f.db" 2>&1 >/dev/null | tail -1)
	echo "   peak RSS importing $n events ($f.dat): $rss KB"
done
echo "   machine load: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores (shared with other jobs)"
