# Schema version 5 (schema/sql/005-exit-rows.sql): a run written by nvtrace at schema
# version 4 (tests/fixtures/run-schema4.db.xz: `nvtrace synth -w hypercall --vcpus 2
# -d 0.01 --arch-host v8.4 --guest kvm-2017-nvhe`, then replay --guest kvm-vhe, replay
# --stateless --arch vm,v8.3, replay: three replays, 299 nested exits each) moves its
# nested_exits rows into exit_rows on its first writable open; the views nested_exits,
# exit_costs and exit_costs_named give exactly the old tables' rows, in the same order,
# and compare, stat, validate, flame and export print exactly what the version-4 binary
# printed on the same file (tests/fixtures/run-schema4.expected, made by that binary).
# The same open goes on to version 6 (exit_outcomes: tests/e2e/migrate_exit_outcomes.sh).
. "$ROOT/tests/lib.sh"
EXP="$ROOT/tests/fixtures/run-schema4.expected"
xz -dc "$ROOT/tests/fixtures/run-schema4.db.xz" > "$TMP/old.db"
cp "$TMP/old.db" "$TMP/run.db"
eq "fixture: schema version 4" "$(sql "$TMP/old.db" "PRAGMA user_version")" 4
eq "fixture: three replays of 299 nested exits, 2990 exit costs" \
	"$(sql "$TMP/old.db" "SELECT count(*), sum(exits) FROM replays")|$(sql "$TMP/old.db" "SELECT count(*) FROM exit_costs")" \
	"3|897|2990"
# what a reader of version 4 reads, to compare with the views of versions 5 and 6
rows() {
	sql "$1" "SELECT * FROM nested_exits ORDER BY replay_id, seq" | md5sum
	sql "$1" "SELECT * FROM exit_costs" | md5sum
	sql "$1" "SELECT * FROM exit_costs_named" | md5sum
	sql "$1" "SELECT * FROM nested_exits WHERE replay_id = 2 AND kind = 0 ORDER BY seq" | md5sum
	sql "$1" "SELECT replay_id, sum(ts_end - ts_start), sum(cycles_1), count(*) FROM nested_exits GROUP BY replay_id"
}
rows "$TMP/old.db" > "$TMP/rows.4"
out=$("$NVTRACE" stat "$TMP/run.db" 2>&1)
eq "read-only open of version 4 asks for a writable open once" "$out" \
	"nvtrace stat: $TMP/run.db: schema version 4 is old; open it once writable (e.g. nvtrace replay) to update it"
cd "$TMP" || exit 1
"$NVTRACE" validate run.db > validate.txt 2>&1
eq "validate (a writable open: it migrates) exits 0" "$?" 0
eq "migrated to version 6 (through 5)" "$(sql run.db "PRAGMA user_version")" 6
eq "exit_rows holds the 897 rows; nested_exits is a view" \
	"$(sql run.db "SELECT count(*) FROM exit_rows")|$(sql run.db "SELECT type FROM sqlite_master WHERE name = 'nested_exits'")" \
	"897|view"
eq "exit_rows.id = replay_id << 32 | seq, dur = ts_end - ts_start" \
	"$(sql run.db "SELECT min(id), max(id), sum(dur) FROM exit_rows WHERE id >> 32 = 2")" \
	"$((2 << 32 | 1))|$((2 << 32 | 299))|$(sql old.db "SELECT sum(ts_end - ts_start) FROM nested_exits WHERE replay_id = 2")"
rows run.db > rows.5
eq "nested_exits, exit_costs, exit_costs_named: the same rows in the same order as version 4" \
	"$(cat rows.5)" "$(cat rows.4)"
eq "validate: what version 4 printed" "$(cat validate.txt)" "$(cat "$EXP/validate.txt")"
"$NVTRACE" compare vm v8.3 neve v8.4 run.db > compare.txt 2>&1
eq "compare: what version 4 printed" "$(cat compare.txt)" "$(cat "$EXP/compare.txt")"
"$NVTRACE" compare vm v8.3 neve v8.4 run.db --guest kvm-vhe > compare-vhe.txt 2>&1
eq "compare --guest kvm-vhe: what version 4 printed" "$(cat compare-vhe.txt)" "$(cat "$EXP/compare-vhe.txt")"
"$NVTRACE" stat run.db > stat.txt 2>&1
eq "stat: what version 4 printed" "$(cat stat.txt)" "$(cat "$EXP/stat.txt")"
"$NVTRACE" flame run.db --folded -o flame.folded > /dev/null 2>&1
eq "flame --folded: what version 4 wrote" "$(cat flame.folded)" "$(cat "$EXP/flame.folded")"
"$NVTRACE" export run.db --csv > export.csv 2>/dev/null
eq "export --csv: what version 4 wrote (2990 rows, md5)" \
	"$(($(wc -l < export.csv) - 1)) $(md5sum < export.csv)" "2990 def0c7a4dc179867392888cd7ffdf773  -"
eq "no replay was run again" "$(sql run.db "SELECT count(*), sum(exits) FROM replays")" "3|897"
# replaying again writes exit_rows; the same figures
"$NVTRACE" replay run.db -j 1 > /dev/null 2>&1
eq "replay after the migration: the same rows" "$(rows run.db)" "$(cat rows.4)"
done_testing
