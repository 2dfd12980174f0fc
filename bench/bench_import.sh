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
# Before those: nv-hypercall.dat grown x10 (tests/tools/grow_dat.py, zstd and plain)
# with peak RSS at x2 and x10, the text traces of runs/, and a local kernel trace of
# sched and syscalls events (undecoded: their fields kept as text).
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
# compare FILE [LABEL]: nvtrace import against trace-cmd report on one file, one line:
# events, import CPU s, trace-cmd report CPU s, ratio, M events/s (import CPU), peak RSS
compare() {
	f=$1
	events=$(trace-cmd report -i "$f" 2>/dev/null | grep -vc '^cpus=')
	r=$(timed trace-cmd report -i "$f")
	i=$(timed "$NVTRACE" import "$f" --force -o "$W/x.db")
	got=$(sqlite3 "$W/x.db" "SELECT count(*) FROM events")
	rss=$(/usr/bin/time -f %M "$NVTRACE" import "$f" --force -o "$W/x.db" 2>&1 >/dev/null | tail -1)
	echo "$r $i" | awk -v f="${2:-$(basename "$f")}" -v e="$events" -v g="$got" -v rss="$rss" '{
		printf "   %-28s %8d events (%d imported)  import %5.2f s cpu  report %5.2f s cpu  %.2fx  %.2f M ev/s  peak RSS %d KB\n",
			f, e, g, $4, $2, $2 / $4, e / $4 / 1e6, rss
	}'
}
# text FILE: nvtrace import of a text trace (no trace-cmd equivalent): events, CPU s, M ev/s, RSS
text() {
	i=$(timed "$NVTRACE" import "$1" --force -o "$W/x.db")
	got=$(sqlite3 "$W/x.db" "SELECT count(*) FROM events")
	rss=$(/usr/bin/time -f %M "$NVTRACE" import "$1" --force -o "$W/x.db" 2>&1 >/dev/null | tail -1)
	echo "$i" | awk -v f="$(basename "$1")" -v g="$got" -v rss="$rss" '{
		printf "   %-28s %8d events  import %5.2f s cpu  %.2f M ev/s  peak RSS %d KB\n", f, g, $2, g / $2 / 1e6, rss }'
}
# peak RSS in KB of one import
rss() { /usr/bin/time -f %M "$NVTRACE" import "$1" --force -o "$W/r.db" 2>&1 >/dev/null | tail -1; }
echo "   (floor: 1.5x trace-cmd report in CPU s and 1 M events/s; peak RSS flat in the trace's size)"
# 1. the real arm64 trace.dat files (recorded elsewhere, with their kallsyms)
REAL="$ROOT/../shared/reference/real-arm64-nv"
if ! command -v trace-cmd > /dev/null; then
	echo "   skip: needs trace-cmd"; exit 0
fi
if [ -d "$REAL" ]; then
	for f in "$REAL"/nv-hypercall.dat "$REAL"/runs/*.dat; do
		[ -f "$f" ] && compare "$f"
	done
	# nv-hypercall grown 2 and 10 times (tests/tools/grow_dat.py), zstd and uncompressed
	G="$ROOT/tests/tools/grow_dat.py"
	if python3 "$G" "$REAL/nv-hypercall.dat" 10 "$W/x10.dat" --compress &&
	   python3 "$G" "$REAL/nv-hypercall.dat" 10 "$W/x10u.dat" &&
	   python3 "$G" "$REAL/nv-hypercall.dat" 2 "$W/x2.dat" --compress; then
		compare "$W/x10.dat" "nv-hypercall x10 (zstd)"
		compare "$W/x10u.dat" "nv-hypercall x10 (plain)"
		echo "   peak RSS: x2 (zstd) $(rss "$W/x2.dat") KB, x10 (zstd) $(rss "$W/x10.dat") KB, x10 (plain) $(rss "$W/x10u.dat") KB"
	fi
	for f in "$REAL"/runs/*.trace.txt.xz; do
		[ -f "$f" ] && text "$f"
	done
else
	echo "   real traces: skip: no $REAL"
fi
# 2. a kernel trace of this machine with many events nvtrace does not decode
# (sched and syscalls: their fields are kept as text), from a tracefs instance
if [ "$(id -u)" = 0 ] && [ -d $T/instances ]; then
	I=$T/instances/$INST
	if mkdir $I 2> /dev/null && echo 65536 > $I/buffer_size_kb &&
	   echo 1 > $I/events/sched/enable && echo 1 > $I/events/syscalls/enable 2> /dev/null; then
		echo 1 > $I/tracing_on
		n=0; while [ $n -lt 2000 ]; do /bin/true; n=$((n + 1)); done
		echo 0 > $I/tracing_on
		unshare -m sh -c "mount --bind /dev/null /proc/kallsyms && trace-cmd extract -B $INST -o $W/sys.dat" > /dev/null 2>&1
		[ -f "$W/sys.dat" ] && compare "$W/sys.dat" "local sched+syscalls"
	fi
	rmdir $I 2> /dev/null
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
