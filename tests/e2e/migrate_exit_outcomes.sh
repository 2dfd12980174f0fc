# Schema version 6 (schema/sql/006-exit-outcomes.sql): runs written by nvtrace at schema
# version 5 (tests/fixtures/run-schema5.sh says how: a prefix of a real arm64 nested trace
# replayed three times, a single-level memcached run replayed twice) move their
# exit_rows' repeated outcomes into exit_outcomes on their first writable open; the
# views nested_exits, exit_costs and exit_costs_named give exactly the version-5 rows in
# the same order, and stat, export --csv, flame, compare and validate print exactly what
# the version-5 binary printed on the same files (tests/fixtures/run-schema5.expected).
# A replay after the migration, and one whose outcome cache misses all the time
# (NVTRACE_REPLAY_OUTCOME_SLOTS=1: it stores outcomes again), store the same rows.
. "$ROOT/tests/lib.sh"
FX="$ROOT/tests/fixtures"
# rows DB: what a sqlite3 user reads, per view and in the views' own order
rows() {
	for v in nested_exits exit_costs exit_costs_named; do
		echo "$v $(sql "$1" "SELECT * FROM $v" | md5sum)"
	done
	sql "$1" "SELECT replay_id, count(*), sum(ts_end - ts_start), sum(observed_traps), sum(host_irqs),
		sum(cycles_0), sum(cycles_1), sum(cause) FROM nested_exits GROUP BY replay_id"
}
# same_outputs NAME DIR: every file of the expected outputs, line for line
same_outputs() {
	for f in "$FX/run-schema5.expected/$1"/*; do
		base=$(basename "$f" .xz)
		case $f in *.xz) xz -dc "$f" > "$TMP/want" ;; *) cp "$f" "$TMP/want" ;; esac
		if cmp -s "$TMP/want" "$2/$base"; then
			ok "$1: $base: what version 5 printed ($(wc -l < "$TMP/want") lines)"
		else
			not_ok "$1: $base: what version 5 printed"
			diff "$TMP/want" "$2/$base" | head -5 | sed 's/^/#   /'
		fi
	done
}
for s in nested single; do
	xz -dc "$FX/run-schema5-$s.db.xz" > "$TMP/$s-5.db"
	cp "$TMP/$s-5.db" "$TMP/$s.db"
	eq "$s: fixture at schema version 5" "$(sql "$TMP/$s-5.db" "PRAGMA user_version")" 5
	rows "$TMP/$s-5.db" > "$TMP/$s.rows5"
	out=$("$NVTRACE" stat "$TMP/$s.db" 2>&1)
	eq "$s: a read-only open of version 5 asks for a writable open once" "$out" \
		"nvtrace stat: $TMP/$s.db: schema version 5 is old; open it once writable (e.g. nvtrace replay) to update it"
	"$NVTRACE" validate "$TMP/$s.db" > /dev/null 2>&1	# a writable open: it migrates
	eq "$s: migrated to version 6" "$(sql "$TMP/$s.db" "PRAGMA user_version")" 6
	eq "$s: exit_rows is id, vcpu, ts_start, dur, outcome" \
		"$(sql "$TMP/$s.db" "SELECT group_concat(name, ',') FROM pragma_table_info('exit_rows')")" \
		"id,vcpu,ts_start,dur,outcome"
	eq "$s: the same exit_rows ids, durations and vCPUs" \
		"$(sql "$TMP/$s.db" "SELECT count(*), sum(id), sum(dur), sum(vcpu), sum(ts_start) FROM exit_rows")" \
		"$(sql "$TMP/$s-5.db" "SELECT count(*), sum(id), sum(dur), sum(vcpu), sum(ts_start) FROM exit_rows")"
	eq "$s: one exit_outcomes row per distinct outcome of a replay, numbered 1.. per replay" \
		"$(sql "$TMP/$s.db" "SELECT id >> 32, count(*), min(id & 4294967295), max(id & 4294967295) FROM exit_outcomes GROUP BY 1")" \
		"$(sql "$TMP/$s-5.db" "SELECT r, count(*), 1, count(*) FROM (SELECT DISTINCT id >> 32 AS r, kind, cause, nested,
			observed_traps, host_irqs, traps_0, cycles_0, traps_1, cycles_1, traps_2, cycles_2, traps_3,
			cycles_3 FROM exit_rows) GROUP BY r")"
	eq "$s: every row's outcome is there" \
		"$(sql "$TMP/$s.db" "SELECT count(*) FROM exit_rows x JOIN exit_outcomes o ON o.id = ((x.id >> 32) << 32) | x.outcome")" \
		"$(sql "$TMP/$s.db" "SELECT count(*) FROM exit_rows")"
	rows "$TMP/$s.db" > "$TMP/$s.rows6"
	eq "$s: nested_exits, exit_costs, exit_costs_named: the version-5 rows in the same order" \
		"$(cat "$TMP/$s.rows6")" "$(cat "$TMP/$s.rows5")"
	sh "$FX/run-schema5.sh" outputs "$NVTRACE" "$TMP/$s.db" "$TMP/out-$s"
	same_outputs "$s" "$TMP/out-$s"
done
eq "nested: 46 nested exits in each of 3 replays, fewer outcomes than rows" \
	"$(sql "$TMP/nested.db" "SELECT group_concat(exits) FROM replays")|$(sql "$TMP/nested.db" "SELECT count(*) < 138 FROM exit_outcomes")" \
	"46,46,46|1"
# a large version-5 run (the nested fixture's first replay copied 300 times, shifted in
# time, as bench_viz.sh makes one): the old exit_rows pages are given back after the move
xz -dc "$FX/run-schema5-nested.db.xz" > "$TMP/big.db"
sql "$TMP/big.db" "WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < 300)
	INSERT INTO exit_rows SELECT (1 << 32) | ((x.id & 4294967295) + k.i * 46), x.vcpu,
		x.ts_start + k.i * 1000000000, x.dur, kind, cause, nested, observed_traps, host_irqs,
		traps_0, cycles_0, traps_1, cycles_1, traps_2, cycles_2, traps_3, cycles_3,
		traps_4, cycles_4, traps_5, cycles_5, traps_6, cycles_6, traps_7, cycles_7
	FROM k, exit_rows x WHERE x.id >> 32 = 1"
rows "$TMP/big.db" > "$TMP/big.rows5"
size5=$(wc -c < "$TMP/big.db")
"$NVTRACE" validate "$TMP/big.db" > /dev/null 2>&1
eq "large run: migrated, the same rows" "$(sql "$TMP/big.db" "PRAGMA user_version")|$(rows "$TMP/big.db")" \
	"6|$(cat "$TMP/big.rows5")"
eq "large run: no free pages left by the move (VACUUM)" "$(sql "$TMP/big.db" "PRAGMA freelist_count")" 0
check "large run: the file is smaller than at version 5 ($size5 -> $(wc -c < "$TMP/big.db") bytes)" \
	test "$(wc -c < "$TMP/big.db")" -lt "$size5"
# a replay after the migration replaces the last one (id 3): its rows and outcomes anew
cp "$TMP/nested.db" "$TMP/again.db"
"$NVTRACE" replay "$TMP/again.db" -j 1 --stateless --arch vm,v8.3 > /dev/null 2>&1
eq "replay after the migration: exit 0, the same rows" "$?|$(rows "$TMP/again.db")" "0|$(cat "$TMP/nested.rows5")"
eq "replay after the migration: no outcome left of the replaced rows" \
	"$(sql "$TMP/again.db" "SELECT count(*) FROM exit_outcomes WHERE id >> 32 NOT IN (SELECT id FROM replays)")|$(sql "$TMP/again.db" "SELECT count(*) FROM exit_outcomes")" \
	"0|$(sql "$TMP/nested.db" "SELECT count(*) FROM exit_outcomes")"
# a cache of one slot misses on every change of outcome: more outcome rows, the same rows
cp "$TMP/nested.db" "$TMP/miss.db"
NVTRACE_REPLAY_OUTCOME_SLOTS=1 "$NVTRACE" replay "$TMP/miss.db" -j 1 --stateless --arch vm,v8.3 > /dev/null 2>&1
eq "outcome cache of 1 slot: exit 0, the same rows" "$?|$(rows "$TMP/miss.db")" "0|$(cat "$TMP/nested.rows5")"
check "outcome cache of 1 slot: outcomes stored again (more rows than distinct outcomes)" test \
	"$(sql "$TMP/miss.db" "SELECT count(*) FROM exit_outcomes WHERE id >> 32 = 3")" -gt \
	"$(sql "$TMP/again.db" "SELECT count(*) FROM exit_outcomes WHERE id >> 32 = 3")"
# an exit whose outcome row is gone (an edited file): nvtrace's own reader says so
cp "$TMP/again.db" "$TMP/lost.db"
sql "$TMP/lost.db" "DELETE FROM exit_outcomes WHERE id = (SELECT ((id >> 32) << 32) | outcome FROM exit_rows
	WHERE id = (3 << 32) | 5)"
"$NVTRACE" flame "$TMP/lost.db" --folded > /dev/null 2> "$TMP/err"
eq "an exit without its outcome: flame exits 1 with one corrupt-database line" "$?|$(cat "$TMP/err")" \
	"1|nvtrace flame: $TMP/lost.db: corrupt database: nested exit 5 of replay 3 has no outcome $(sql "$TMP/again.db" "SELECT outcome FROM exit_rows WHERE id = (3 << 32) | 5") in exit_outcomes"
done_testing
