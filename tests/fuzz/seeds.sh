#!/bin/sh
# Seed corpora of the fuzz targets from tests/fixtures (and the shared real traces
# when present): seeds.sh DIR makes DIR/text, DIR/dat, DIR/profile, DIR/db.
set -e
D=$1
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
FIX="$ROOT/tests/fixtures"
REF="$ROOT/../shared/reference/real-arm64-nv"
NV=${NVTRACE:-}
for b in "$ROOT/build/nvtrace" "$ROOT/build/san/nvtrace"; do
	[ -z "$NV" ] && [ -x "$b" ] && NV=$b
done
rm -rf "$D"
mkdir -p "$D/text" "$D/dat" "$D/profile" "$D/db"
# text: every text fixture (big ones cut to their first lines), compressed forms, real arm64
for f in "$FIX"/*handwritten.txt; do cp "$f" "$D/text/"; done
head -60 "$FIX/x86-pio-mmio.trace.txt" > "$D/text/tracefs.txt"
head -40 "$FIX/x86-pio-mmio.report.txt" > "$D/text/report.txt"
gzip -c < "$FIX/x86-handwritten.txt" > "$D/text/x86.txt.gz"
xz -c < "$FIX/arm64-handwritten.txt" > "$D/text/arm64.txt.xz"
command -v zstd > /dev/null && zstd -q -c < "$FIX/x86-handwritten.txt" > "$D/text/x86.txt.zst"
[ -f "$REF/l1-at-vel2.trace.txt.xz" ] && xz -dc "$REF/l1-at-vel2.trace.txt.xz" | head -100 > "$D/text/l1.txt"
if command -v trace-cmd > /dev/null; then
	trace-cmd report -l -i "$FIX/x86-pio-mmio.dat" 2> /dev/null | head -40 > "$D/text/latency.txt"
fi
# trace.dat: the recorded fixture (v7, zstd; its v6 form is 2 MB, too big to mutate)
cp "$FIX/x86-pio-mmio.dat" "$D/dat/v7.dat"
# profiles: the bundled ones
cp "$ROOT"/examples/profiles/*.prof "$D/profile/"
# databases: the hand-written traces imported, in 512-byte pages to keep them small
if [ -n "$NV" ]; then
	for f in x86 arm64; do
		"$NV" import "$FIX/$f-handwritten.txt" -o "$D/db/$f.db" > /dev/null 2>&1
		sqlite3 "$D/db/$f.db" "PRAGMA page_size = 512; VACUUM;"
	done
fi
echo "seeds: $(ls "$D/text" | wc -l) text, $(ls "$D/dat" | wc -l) dat, $(ls "$D/profile" | wc -l) profile, $(ls "$D/db" | wc -l) db"
