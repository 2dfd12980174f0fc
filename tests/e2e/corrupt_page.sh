# A run database with a corrupt page (issue 13): a real run, one page overwritten
# with 0xff bytes.  Every reading command ends in one line naming the file and
# "corrupt database", exit 1 -- not "not an error", not silence, not exit 0.
. "$ROOT/tests/lib.sh"
RUN="$REF/real-arm64-nv/runs/hvc-nohz.trace.txt.xz"	# a real nested arm64 run
[ -f "$RUN" ] || RUN="$ROOT/tests/fixtures/arm64-handwritten.txt"
"$NVTRACE" import "$RUN" -o "$TMP/good.db" > /dev/null 2>&1
psize=$(sql "$TMP/good.db" "PRAGMA page_size")
# corrupt DB PAGE: 64 bytes of 0xff over the page's header
corrupt() {
	cp "$TMP/good.db" "$TMP/$1.db"
	head -c 64 /dev/zero | tr '\0' '\377' |
		dd of="$TMP/$1.db" bs=1 seek=$((($2 - 1) * psize)) conv=notrunc 2> /dev/null
}
# a leaf page of the events in the middle of the run, and the page of the meta table
leaf=$(sql "$TMP/good.db" "SELECT pageno FROM dbstat WHERE name = 'events' AND pagetype = 'leaf'
	ORDER BY pageno LIMIT 1 OFFSET (SELECT count(*) / 2 FROM dbstat WHERE name = 'events' AND pagetype = 'leaf')")
corrupt events "$leaf"
corrupt meta "$(sql "$TMP/good.db" "SELECT rootpage FROM sqlite_master WHERE name = 'meta'")"
cp "$TMP/events.db" "$TMP/events.orig"
args() { # the arguments each command needs besides the run
	case $1 in
	flame) echo "-o $TMP/out.svg" ;;
	export) echo "-o $TMP/out.json" ;;
	plot) echo "--what cycles -o $TMP/out.png" ;;
	esac
}
for page in events meta; do
	db="$TMP/$page.db"
	for cmd in info stat replay compare validate flame export plot advise; do
		timeout 120 "$NVTRACE" $cmd "$db" $(args $cmd) > /dev/null 2> "$TMP/err"
		rc=$?
		eq "$cmd on a corrupt $page page: exit 1" "$rc" 1
		eq "$cmd on a corrupt $page page: one line" "$(wc -l < "$TMP/err" | tr -d ' ')" 1
		check "$cmd on a corrupt $page page: names the file and says corrupt database" \
			grep -q "^nvtrace $cmd: $db: .*corrupt database: database disk image is malformed\$" "$TMP/err"
		grep -q "not an error" "$TMP/err" && { not_ok "$cmd: 'not an error'"; cat "$TMP/err"; }
	done
done
eq "validate on a corrupt events page: the line" "$("$NVTRACE" validate "$TMP/events.db" 2>&1)" \
	"nvtrace validate: $TMP/events.db: cannot read the events: corrupt database: database disk image is malformed"
eq "info on a corrupt meta page: the line" "$("$NVTRACE" info "$TMP/meta.db" 2>&1)" \
	"nvtrace info: $TMP/meta.db: corrupt database: database disk image is malformed"
# bytes that differ, apart from SQLite's change counter (header offsets 24-27 and 92-95,
# which replay's switch to WAL and back bumps)
eq "the commands that write (replay, compare, validate...) changed nothing in the corrupt file" \
	"$(cmp -l "$TMP/events.orig" "$TMP/events.db" | awk '$1 < 25 || ($1 > 28 && $1 < 93) || $1 > 96' | wc -l | tr -d ' ')" 0
check "and no -wal/-shm beside it" sh -c "! ls '$TMP'/events.db-* > /dev/null 2>&1"
done_testing
