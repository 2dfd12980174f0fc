# Never destroy data (issue 13): import and record check every argument before touching
# the output, refuse an existing output without --force (then replace it atomically),
# refuse an output that is an input, and leave no temporary behind.
. "$ROOT/tests/lib.sh"
FIX="$ROOT/tests/fixtures"
H="$FIX/x86-handwritten.txt"
"$NVTRACE" import "$H" -o "$TMP/keep.db" > /dev/null
sum=$(md5sum < "$TMP/keep.db")
one_line() { [ "$(wc -l < "$TMP/err")" -eq 1 ] && grep -q "$1" "$TMP/err"; }

# --- import ------------------------------------------------------------------------------
"$NVTRACE" import "$FIX/arm64-handwritten.txt" -o "$TMP/keep.db" > /dev/null 2> "$TMP/err"
eq "import onto an existing database: exit 1" "$?" 1
check "import onto an existing database: one line saying --force" one_line "keep.db: exists (--force replaces it)"
eq "import onto an existing database: the file is unchanged" "$(md5sum < "$TMP/keep.db")" "$sum"
"$NVTRACE" import "$FIX/arm64-handwritten.txt" -o "$TMP/keep.db" --force > /dev/null 2> "$TMP/err"
eq "import --force: replaced (the arm64 run now)" \
	"$(sql "$TMP/keep.db" "SELECT value FROM meta WHERE key = 'host_arch'")" arm64
check "import --force: no temporary left" sh -c "! ls '$TMP'/keep.db.tmp.* > /dev/null 2>&1"
cp "$H" "$TMP/a.txt"
"$NVTRACE" import "$TMP/a.txt" -o "$TMP/a.txt" --force > /dev/null 2> "$TMP/err"
eq "import a.txt -o a.txt: exit 1" "$?" 1
check "import a.txt -o a.txt: says the output is an input" one_line "a.txt: the output is one of the inputs"
eq "import a.txt -o a.txt: the trace is intact" "$(md5sum < "$TMP/a.txt")" "$(md5sum < "$H")"
cp "$FIX/x86-pio-mmio.dat" "$TMP/p.dat"
(cd "$TMP" && "$NVTRACE" import p.dat -o ./p.dat --force > /dev/null 2> "$TMP/err")
eq "import p.dat -o ./p.dat (same file, other name): exit 1" "$?" 1
eq "import p.dat -o ./p.dat: the trace is intact" "$(md5sum < "$TMP/p.dat")" "$(md5sum < "$FIX/x86-pio-mmio.dat")"
"$NVTRACE" import "$H" -o '' > /dev/null 2> "$TMP/err"
eq "import -o '': exit 1" "$?" 1
eq "import -o '': a real reason" "$(cat "$TMP/err")" "nvtrace import: -o: an empty file name"
# a temporary of a killed run is recognised and removed
pid=999999; while kill -0 $pid 2> /dev/null; do pid=$((pid - 1)); done
: > "$TMP/new.db.tmp.$pid"
"$NVTRACE" import "$H" -o "$TMP/new.db" > /dev/null 2> "$TMP/err"
eq "a stale temporary from a killed import: named and removed" "$(cat "$TMP/err")" \
	"nvtrace import: note: removed $TMP/new.db.tmp.$pid, left by a killed run (pid $pid)"
check "a stale temporary: gone" test ! -e "$TMP/new.db.tmp.$pid"
# interrupted import (SIGTERM, SIGINT, SIGHUP): the temporary is removed
for sig in TERM INT HUP; do
	rm -f "$TMP/fifo"; mkfifo "$TMP/fifo"
	(head -100 "$FIX/x86-pio-mmio.trace.txt"; sleep 4; tail -n +101 "$FIX/x86-pio-mmio.trace.txt") > "$TMP/fifo" &
	writer=$!
	"$NVTRACE" import "$TMP/fifo" -o "$TMP/sig.db" > /dev/null 2>&1 &
	imp=$!
	sleep 2
	ls "$TMP"/sig.db.tmp.* > /dev/null 2>&1; had=$?
	kill -$sig $imp
	wait $imp 2> /dev/null
	rc=$?
	kill $writer 2> /dev/null; wait $writer 2> /dev/null
	eq "import killed by SIG$sig: a temporary existed, then none is left, no database" \
		"$had|$(ls "$TMP"/sig.db* 2> /dev/null | wc -l)" "0|0"
	check "import killed by SIG$sig: ends by the signal (status > 128)" test "$rc" -gt 128
done

# --- record (the tracefs backend and a plain child command: no guest needed) -------------
if [ -w /sys/kernel/tracing/events ] || [ -w /sys/kernel/debug/tracing/events ]; then
	"$NVTRACE" record -o "$TMP/keep.db" --backend tracefs -q -- true > /dev/null 2> "$TMP/err"
	eq "record onto an existing database: exit 1" "$?" 1
	check "record onto an existing database: says --force" one_line "keep.db: exists (--force replaces it)"
	sum=$(md5sum < "$TMP/keep.db")
	: > "$TMP/keep.db.tmp.$pid"
	# one bad argument only: each record run costs about a minute of set-up here (ASan)
	"$NVTRACE" record -o "$TMP/keep.db" --force --backend tracefs -q -e nonexistent_event > /dev/null 2> "$TMP/err"
	eq "record --force -e nonexistent_event: exit 1" "$?" 1
	eq "record --force -e nonexistent_event: the earlier run is unchanged" "$(md5sum < "$TMP/keep.db")" "$sum"
	check "record --force -e nonexistent_event: no temporary of its own left" \
		sh -c "[ \$(ls '$TMP'/keep.db.tmp.* | wc -l) -eq 1 ]"
	check "record names a stale temporary of a killed recording (kept: it holds events)" \
		grep -q "note: $TMP/keep.db.tmp.$pid was left by a killed run (pid $pid)" "$TMP/err"
else
	skip "record never destroys data" "tracefs is not writable here"
fi
done_testing
