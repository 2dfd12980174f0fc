# Two processes on one run file (issue 13): a command that writes (replay, compare)
# while another process holds the write lock waits the busy timeout (5 s), then
# gives up with one line naming the file, exit 1, nothing changed; readers go on
# while a writer writes; a reader does not make a writer leave -wal/-shm behind.
# Record's side (a reader, a second writer and a full disk while it records) is
# tests/unit/test_record_db.c: it needs no guest.
. "$ROOT/tests/lib.sh"
"$NVTRACE" import "$ROOT/tests/fixtures/x86-pio-mmio.dat" -o "$TMP/a.db" > /dev/null 2>&1
BUSY="busy: another nvtrace is writing it (gave up after 5 s)"
sum=$(md5sum < "$TMP/a.db")

# 1. sqlite3 holds SQLite's write lock (BEGIN IMMEDIATE) for 8 s
(printf 'BEGIN IMMEDIATE;\nSELECT 1;\n'; sleep 8; echo 'ROLLBACK;') | sqlite3 "$TMP/a.db" > /dev/null &
holder=$!
sleep 0.5
start=$(date +%s)
"$NVTRACE" replay "$TMP/a.db" > /dev/null 2> "$TMP/err"
eq "replay while another process writes: exit 1" "$?" 1
took=$(($(date +%s) - start))
eq "replay while another process writes: the one line" "$(cat "$TMP/err")" "nvtrace replay: $TMP/a.db: $BUSY"
check "replay waited the busy timeout ($took s)" test "$took" -ge 4 -a "$took" -le 7
"$NVTRACE" info "$TMP/a.db" > /dev/null 2> "$TMP/err"
eq "info reads while another process holds the write lock" "$?|$(cat "$TMP/err")" "0|"
"$NVTRACE" stat "$TMP/a.db" > /dev/null 2> "$TMP/err"
eq "stat reads while another process holds the write lock" "$?|$(cat "$TMP/err")" "0|"
wait $holder
eq "nothing changed" "$(md5sum < "$TMP/a.db")" "$sum"

# 2. another nvtrace writes it (its writer lock: flock on the file, as replay or record hold it)
flock "$TMP/a.db" sleep 12 &
holder=$!
sleep 0.5
for cmd in replay compare; do
	"$NVTRACE" $cmd "$TMP/a.db" > /dev/null 2> "$TMP/err"
	eq "$cmd while another nvtrace writes: exit 1, the one line" "$?|$(cat "$TMP/err")" \
		"1|nvtrace $cmd: $TMP/a.db: $BUSY"
done
wait $holder
eq "nothing changed" "$(md5sum < "$TMP/a.db")" "$sum"
"$NVTRACE" replay "$TMP/a.db" > /dev/null 2> "$TMP/err"
eq "once the other writer is gone, replay works" "$?|$(cat "$TMP/err")" "0|"

# a reader (sqlite3) that holds a read transaction on the run for $1 seconds,
# started half a second before what follows; its pid in $reader
hold_read() {
	(printf 'BEGIN;\nSELECT count(*) FROM events;\n'; sleep "$1"; echo 'COMMIT;') |
		sqlite3 "$TMP/a.db" > /dev/null &
	reader=$!
	sleep 0.5
}
# 3. a reader keeps a read transaction open for 2 s while replay stores its results
hold_read 2
"$NVTRACE" replay "$TMP/a.db" > /dev/null 2> "$TMP/err"
eq "replay while a reader reads: exit 0" "$?|$(cat "$TMP/err")" "0|"
wait $reader
check "no -wal or -shm left after replay and the reader" sh -c "! ls '$TMP'/a.db-* > /dev/null 2>&1"
eq "the replay is stored once" "$(sql "$TMP/a.db" "SELECT count(*) FROM replays")" 1
# 4. replay -j 1 reads and writes on one connection with the rollback journal (no WAL):
# a reader's read transaction shorter than the busy timeout is waited for, a longer one
# makes it give up with the one line, nothing changed
hold_read 2
"$NVTRACE" replay "$TMP/a.db" -j 1 > /dev/null 2> "$TMP/err"
eq "replay -j 1 while a reader reads 2 s: exit 0" "$?|$(cat "$TMP/err")" "0|"
wait $reader
eq "replay -j 1 replaced the replay: still one" "$(sql "$TMP/a.db" "SELECT count(*) FROM replays")" 1
sum=$(md5sum < "$TMP/a.db")
hold_read 8
"$NVTRACE" replay "$TMP/a.db" -j 1 > /dev/null 2> "$TMP/err"
eq "replay -j 1 while a reader holds a read transaction 8 s: exit 1, the one line" "$?|$(cat "$TMP/err")" \
	"1|nvtrace replay: $TMP/a.db: busy: a reader kept a read transaction open (gave up after 5 s)"
wait $reader
eq "nothing changed" "$(md5sum < "$TMP/a.db")" "$sum"
check "no journal, -wal or -shm left" sh -c "! ls '$TMP'/a.db-* > /dev/null 2>&1"
done_testing
