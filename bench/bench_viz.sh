#!/bin/sh
# bench_viz: how long flame, export and the UI's summary take on a large
# replayed run, and their peak memory.  The run: the real arm64 nested trace
# (reference/real-arm64-nv/nv-hypercall.dat) imported and replayed, its
# nested exits then replicated in SQL (table exit_rows, schema 6: the same outcomes), shifted in time, to EXITS exits
# (default 1,000,000) -- the replay results of a long run of the same workload.
# Peer measured in the same run: a bare sqlite3 scan of the same rows
# (the I/O floor every command pays).
EXITS=${EXITS:-1000000}
ROOT=${ROOT:-$(cd "$(dirname "$0")/.." && pwd)}
NVTRACE=${NVTRACE:-$ROOT/build/nvtrace}
REF="$ROOT/../shared/reference"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
RUN="$T/big.db"

"$NVTRACE" import "$REF/real-arm64-nv/nv-hypercall.dat" -o "$RUN" >/dev/null 2>&1 &&
	"$NVTRACE" replay "$RUN" >/dev/null 2>&1 || { echo "   cannot import/replay the reference trace"; exit 1; }
n=$(sqlite3 "$RUN" "SELECT count(*) FROM nested_exits")
copies=$(( (EXITS + n - 1) / n ))
sqlite3 "$RUN" <<EOF
PRAGMA synchronous = OFF;
CREATE TEMP TABLE k AS WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < $copies - 1) SELECT i FROM c;
CREATE TEMP TABLE span AS SELECT max(ts_end) - min(ts_start) + 1000 AS s FROM nested_exits;
INSERT INTO exit_rows SELECT ((x.id >> 32) << 32) | ((x.id & 4294967295) + k.i * $n), x.vcpu,
	x.ts_start + k.i * span.s, x.dur, x.outcome
	FROM k, span, exit_rows x WHERE (x.id & 4294967295) <= $n;
UPDATE replays SET ts_last = (SELECT max(ts_end) FROM nested_exits), exits = (SELECT count(*) FROM nested_exits);
EOF
total=$(sqlite3 "$RUN" "SELECT count(*) FROM nested_exits")
echo "   run: $total nested exits ($copies copies of the $n of nv-hypercall.dat), $(($(wc -c < "$RUN") / 1048576)) MiB"

# measure NAME CMD...: wall seconds and peak RSS of one command.
measure() {
	name=$1; shift
	/usr/bin/time -f "%e %M" -o "$T/time" "$@" >/dev/null 2>"$T/err" || { echo "   $name: failed: $(head -1 "$T/err")"; return; }
	set -- $(tail -1 "$T/time")
	n=$total
	case "$name" in *10000*) n=10000 ;; esac
	rate=$(awk -v n="$n" -v s="$1" 'BEGIN { printf "%.0f", (s > 0 ? n / s : 0) }')
	printf "   %-34s %7.2f s  %9s exits/s  peak RSS %6d KiB\n" "$name" "$1" "$rate" "$2"
	echo "$1" > "$T/last"
}

measure "sqlite3 scan (peer)" sqlite3 "$RUN" "SELECT sum(cycles_1), count(*), max(vcpu + ts_start + ts_end + kind + traps_1) FROM nested_exits"
peer=$(cat "$T/last")
measure "flame graph SVG (v8.3)" "$NVTRACE" flame "$RUN" -o "$T/g.svg"
flame=$(cat "$T/last")
measure "flame --folded" "$NVTRACE" flame "$RUN" --folded
measure "flame --chart SVG" "$NVTRACE" flame "$RUN" --chart -o "$T/c.svg"
measure "flame --diff v8.3,neve SVG" "$NVTRACE" flame "$RUN" --diff v8.3,neve -o "$T/d.svg"
# Perfetto of every exit would be ~15 GB (126 trap slices per v8.3 hypercall): 10,000 exits
measure "export --perfetto --max-exits 10000" "$NVTRACE" export "$RUN" --perfetto "$T/p.json" --max-exits 10000
measure "plot --what cycles (summary, 4 archs)" "$NVTRACE" plot "$RUN" --what cycles -o "$T/p.png"
echo "   sizes: graph SVG $(($(wc -c < "$T/g.svg") / 1024)) KiB, chart SVG $(($(wc -c < "$T/c.svg") / 1024)) KiB, Perfetto JSON $(($(wc -c < "$T/p.json") / 1048576)) MiB"
awk -v f="$flame" -v p="$peer" 'BEGIN { if (p > 0) printf "   flame graph / sqlite3 scan: %.1fx\n", f / p }'
