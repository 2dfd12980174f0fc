# Schema migration: a run written by nvtrace schema version 2 (the fixture,
# made by `nvtrace synth -w memcached --vcpus 2 -d 0.005` before version 3) opens,
# moves to the current version, and replays to the same figures as the same
# run synthesised now; the time-order flag follows edits.
. "$ROOT/tests/lib.sh"
export NVTRACE_WORKLOADS="$ROOT/examples/workloads"
xz -dc "$ROOT/tests/fixtures/run-schema2.db.xz" > "$TMP/old.db"
eq "fixture: schema version 2" "$(sql "$TMP/old.db" "PRAGMA user_version")" 2
eq "fixture: the three event indexes of version 2" \
	"$(sql "$TMP/old.db" "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name LIKE 'events_%'")" 3
out=$("$NVTRACE" info "$TMP/old.db" 2>&1)
check "read-only open of version 2 asks for a writable open once" \
	sh -c "echo '$out' | grep -q 'schema version 2 is old; open it once writable'"
"$NVTRACE" replay "$TMP/old.db" > /dev/null 2>&1
eq "replay of the version 2 run exits 0" "$?" 0
eq "migrated to version 6 (3: no indexes, 4: symbols, 5: exit_rows, 6: exit_outcomes)" "$(sql "$TMP/old.db" "PRAGMA user_version")" 6
eq "version 3: no index on events" \
	"$(sql "$TMP/old.db" "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND tbl_name = 'events'")" 0
eq "version 3: the old run's events are in time order (checked once)" \
	"$(sql "$TMP/old.db" "SELECT value FROM meta WHERE key = 'time_ordered'")" 1
eq "replay of the migrated run: 991 events, 295 exits" \
	"$(sql "$TMP/old.db" "SELECT events || ' ' || exits || ' ' || incomplete_start || ' ' || incomplete_end FROM replays")" \
	"991 295 0 0"
eq "the migrated run keeps its events, row for row" \
	"$(sql "$TMP/old.db" "SELECT * FROM events ORDER BY id" | md5sum)" \
	"$(xz -dc "$ROOT/tests/fixtures/run-schema2.db.xz" > "$TMP/orig.db" &&
	   sql "$TMP/orig.db" "SELECT * FROM events ORDER BY id" | md5sum)"
# the nested exits per kind as the schema 2 binary cut them from this file
eq "the same nested exits per kind as the schema 2 binary found" \
	"$(sql "$TMP/old.db" "SELECT kind, count(*), sum(observed_traps), sum(host_irqs) FROM nested_exits
		GROUP BY kind" | tr '\n' ' ')" "2|68|0|0 4|94|0|0 5|25|0|0 6|38|0|0 8|70|0|0 "
"$NVTRACE" synth -w memcached --vcpus 2 -d 0.005 -o "$TMP/new.db" > /dev/null 2>&1
eq "a new run: time_ordered set" "$(sql "$TMP/new.db" "SELECT value FROM meta WHERE key = 'time_ordered'")" 1
sql "$TMP/new.db" "INSERT INTO events (ts, pid, type, name_id) SELECT ts - 1, pid, type, name_id FROM events WHERE id = 500"
eq "an inserted event clears time_ordered (trigger)" \
	"$(sql "$TMP/new.db" "SELECT value FROM meta WHERE key = 'time_ordered'")" 0
done_testing
