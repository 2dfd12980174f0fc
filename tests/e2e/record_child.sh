# record's COMMAND (issue 13): a second SIGINT kills a COMMAND that ignores the first, and
# record still finishes the database; COMMAND dies with record even when record is killed.
# The tracefs backend and a plain child command: no guest, no /dev/kvm needed.
. "$ROOT/tests/lib.sh"
if ! [ -w /sys/kernel/tracing/events ] && ! [ -w /sys/kernel/debug/tracing/events ]; then
	skip "record's COMMAND" "tracefs is not writable here"
	done_testing; exit
fi
waitfile() { i=0; while [ ! -s "$1" ] && [ $i -lt 1800 ]; do sleep 0.1; i=$((i + 1)); done; [ -s "$1" ]; }

# COMMAND ignores SIGINT and SIGTERM; record gets SIGINT twice
"$NVTRACE" record --backend tracefs -q -o "$TMP/r.db" -- \
	sh -c "trap '' INT TERM; echo \$\$ > '$TMP/pid1'; while :; do sleep 1; done" > /dev/null 2> "$TMP/err" &
rec=$!
waitfile "$TMP/pid1"; child=$(cat "$TMP/pid1")
kill -INT $rec; sleep 1; kill -INT $rec
i=0; while kill -0 $rec 2> /dev/null && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
check "record: a second SIGINT ends a COMMAND that ignores SIGINT, within 30 s" sh -c "! kill -0 $rec 2> /dev/null"
kill -9 $rec 2> /dev/null
wait $rec
eq "record: exit 0 after stopping" "$?" 0
check "record: the COMMAND is gone" sh -c "! kill -0 $child 2> /dev/null"
eq "record: the database is finished (stopped by signal)" \
	"$(sql "$TMP/r.db" "SELECT value FROM meta WHERE key = 'status'")" "stopped by signal"
kill -9 $child 2> /dev/null

# record killed outright: its COMMAND does not live on
"$NVTRACE" record --backend tracefs -q -o "$TMP/k.db" -- \
	sh -c "echo \$\$ > '$TMP/pid2'; exec sleep 300" > /dev/null 2>&1 &
rec=$!
waitfile "$TMP/pid2"; child=$(cat "$TMP/pid2")
kill -9 $rec; wait $rec 2> /dev/null
i=0; while kill -0 $child 2> /dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
check "record killed by SIGKILL: its COMMAND is killed too (PR_SET_PDEATHSIG)" sh -c "! kill -0 $child 2> /dev/null"
kill -9 $child 2> /dev/null
done_testing
