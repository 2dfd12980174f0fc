# Peak memory of import stays flat in the trace's size: nv-hypercall.dat grown
# 2 and 10 times (tests/tools/grow_dat.py), compressed (zstd, version 7) and not.
# libtracecmd 1.3 kept every decompressed chunk until close (collector/dat_zchunk.c
# gives them back): before, x10 compressed peaked at 62.6 MB against 31.8 MB for the
# same data uncompressed and 26.7 MB for x2.  Counts stay exact.
. "$ROOT/tests/lib.sh"
NVH="$REF/real-arm64-nv/nv-hypercall.dat"
GROW="$ROOT/tests/tools/grow_dat.py"
if ! command -v trace-cmd > /dev/null || ! command -v python3 > /dev/null || [ ! -f "$NVH" ]; then
	skip "import memory" "needs trace-cmd, python3 and $NVH"
	done_testing; exit
fi
python3 "$GROW" "$NVH" 2 "$TMP/z2.dat" --compress &&
python3 "$GROW" "$NVH" 10 "$TMP/z10.dat" --compress &&
python3 "$GROW" "$NVH" 10 "$TMP/u10.dat"
eq "grown files made" "$?" 0
# peak RSS in KB of importing FILE into DB (under ASan: no quarantine, which would
# keep every freed block and grow with the trace by itself)
rss() { ASAN_OPTIONS=quarantine_size_mb=0:detect_leaks=0:malloc_context_size=0 \
	/usr/bin/time -f %M "$NVTRACE" import "$1" --force -o "$2" 2>&1 >/dev/null | tail -1; }
z2=$(rss "$TMP/z2.dat" "$TMP/z2.db")
z10=$(rss "$TMP/z10.dat" "$TMP/z10.db")
u10=$(rss "$TMP/u10.dat" "$TMP/u10.db")
echo "# peak RSS: x2 compressed $z2 KB, x10 compressed $z10 KB, x10 uncompressed $u10 KB"
eq "x2 compressed: every event" "$(sql "$TMP/z2.db" "SELECT count(*) FROM events")" 227054
eq "x10 compressed: every event" "$(sql "$TMP/z10.db" "SELECT count(*) FROM events")" 1135270
eq "x10 uncompressed: every event" "$(sql "$TMP/u10.db" "SELECT count(*) FROM events")" 1135270
q="SELECT n.name || ' ' || count(*) FROM events e JOIN event_names n ON n.id = e.name_id
	GROUP BY n.name ORDER BY n.name"
eq "x10 compressed: the same events per name as uncompressed" "$(sql "$TMP/z10.db" "$q")" \
	"$(sql "$TMP/u10.db" "$q")"
eq "x10 compressed: the same raw fields as uncompressed" \
	"$(sql "$TMP/z10.db" "SELECT count(*), sum(length(fields)) FROM event_raw")" \
	"$(sql "$TMP/u10.db" "SELECT count(*), sum(length(fields)) FROM event_raw")"
# decompressed chunks given back: the compressed x10 file costs no more than the plain one
check "x10 compressed peak RSS within 12 MB of uncompressed ($z10 vs $u10 KB)" \
	[ $((z10 - u10)) -lt 12288 ]
# (ASan's shadow and allocator grow by themselves: that bound only without them)
if grep -q __asan_init "$NVTRACE"; then
	skip "x10 compressed peak RSS within 16 MB of x2" "a sanitizer build"
else
	check "x10 compressed peak RSS within 16 MB of x2 ($z10 vs $z2 KB)" \
		[ $((z10 - z2)) -lt 16384 ]
fi
done_testing
