# Run databases as untrusted input (issue 13): crafted event_names rows make every
# reading command fail with one "corrupt database" line, exit 1, quickly, no crash.
. "$ROOT/tests/lib.sh"
"$NVTRACE" import "$ROOT/tests/fixtures/x86-handwritten.txt" -o "$TMP/good.db" > /dev/null
craft() { # name sql
	cp "$TMP/good.db" "$TMP/$1.db"
	sql "$TMP/$1.db" "ALTER TABLE event_names RENAME TO o; CREATE TABLE event_names (id, system, name, type);
		INSERT INTO event_names SELECT * FROM o; DROP TABLE o; $2"
}
craft neg "INSERT INTO event_names VALUES (-5, 'kvm', 'x', 0)"
craft null "INSERT INTO event_names VALUES (30, 'kvm', NULL, 0)"
craft max "INSERT INTO event_names VALUES (2147483647, 'kvm', 'x', 0)"
craft big "INSERT INTO event_names VALUES (200000000, 'kvm', 'x', 0)"
for c in neg:"event name id -5 is out of range (0 to 65535)" null:"event name id 30 has no name" \
	max:"event name id 2147483647 is out of range (0 to 65535)" \
	big:"event name id 200000000 is out of range (0 to 65535)"; do
	name=${c%%:*}; want=${c#*:}
	for cmd in info stat flame replay; do
		start=$(date +%s)
		timeout 60 "$NVTRACE" $cmd "$TMP/$name.db" > /dev/null 2> "$TMP/err"
		eq "$cmd on event_names $name: exit 1" "$?" 1
		eq "$cmd on event_names $name: one corrupt-database line" "$(cat "$TMP/err")" \
			"nvtrace $cmd: $TMP/$name.db: corrupt database: $want"
		check "$cmd on event_names $name: within 10 s" test $(($(date +%s) - start)) -lt 10
	done
done
# a dropped table: a real reason, not an empty line
cp "$TMP/good.db" "$TMP/drop.db"
sql "$TMP/drop.db" "DROP TABLE event_raw; DROP TABLE events"
for cmd in info stat replay validate; do
	"$NVTRACE" $cmd "$TMP/drop.db" > /dev/null 2> "$TMP/err"
	eq "$cmd on a run without its events table: exit 1, one line saying so" "$?|$(cat "$TMP/err")" \
		"1|nvtrace $cmd: $TMP/drop.db: corrupt database: no such table: events"
done

# a run that did not finish: every reader says so, in one line, and goes on
cp "$TMP/good.db" "$TMP/inc.db"
sql "$TMP/inc.db" "UPDATE meta SET value = 'incomplete' WHERE key = 'status'"
for cmd in info stat replay; do
	"$NVTRACE" $cmd "$TMP/inc.db" > /dev/null 2> "$TMP/err"
	eq "$cmd on an incomplete run: exit 0" "$?" 0
	eq "$cmd on an incomplete run: one warning line" "$(cat "$TMP/err")" \
		"nvtrace $cmd: $TMP/inc.db: warning: the run is not complete (status 'incomplete'): its events may end early"
done
"$NVTRACE" stat "$TMP/good.db" > /dev/null 2> "$TMP/err"
eq "stat on a complete run: no warning" "$(cat "$TMP/err")" ""
eq "the good database still reads" "$("$NVTRACE" info "$TMP/good.db" > /dev/null; echo $?)" 0
done_testing
