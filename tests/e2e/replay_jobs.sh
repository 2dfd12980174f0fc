# replay -j N: vCPUs split between threads give the same rows and totals as
# one pass, bit for bit, on both shapes (single-level memcached, 4 vCPUs;
# nested hypercall, 2 vCPUs), on a run edited out of time order, and with the
# readers of -j N: ids with gaps or far sparser than the events, a run flagged
# time-ordered that is not (inside a chunk, between chunks), a corrupt page.
. "$ROOT/tests/lib.sh"
export NVTRACE_WORKLOADS="$ROOT/examples/workloads"
# results DB: every stored figure of the replay, in seq order, and the tables themselves
# (the outcome numbers too: the rows are stored in the same order)
results() {
	sql "$1" "SELECT seq, vcpu, ts_start, ts_end, kind, cause, nested, observed_traps, host_irqs,
		traps_0, cycles_0, traps_1, cycles_1, traps_2, cycles_2, traps_3, cycles_3
		FROM nested_exits ORDER BY seq;
		SELECT arch, kind, exits, traps, cycles, observed_traps FROM kind_totals ORDER BY 1, 2;
		SELECT arch, handler, traps FROM trap_totals ORDER BY 1, 2;
		SELECT events, exits, incomplete_start, incomplete_end, unmatched, self_injections,
		outside_exits, unmodelled FROM replays;
		SELECT * FROM exit_rows; SELECT * FROM exit_outcomes" | md5sum
}
"$NVTRACE" synth -w memcached --vcpus 4 -d 0.05 -o "$TMP/mc.db" > /dev/null 2>&1
"$NVTRACE" synth -w hypercall --vcpus 2 -d 0.01 --arch-host v8.4 -o "$TMP/hc.db" > /dev/null 2>&1
# synth writes each vCPU's events in turn, so finish sorts the table: the
# unsorted copy's pages are given back (they were half the file)
eq "mc: sorted at finish" "$(sql "$TMP/mc.db" "SELECT value FROM meta WHERE key = 'time_ordered'")" 1
eq "mc: no free pages left by the sort" "$(sql "$TMP/mc.db" "PRAGMA freelist_count")" 0
for run in mc hc; do
	cp "$TMP/$run.db" "$TMP/$run-1.db"
	"$NVTRACE" replay -j 1 "$TMP/$run-1.db" > "$TMP/$run-1.out" 2>&1
	eq "$run: replay -j 1 exits 0" "$?" 0
	check "$run: -j 1 found nested exits" test "$(sql "$TMP/$run-1.db" "SELECT exits FROM replays")" -gt 100
	want=$(results "$TMP/$run-1.db")
	for j in 2 3 4; do
		cp "$TMP/$run.db" "$TMP/$run-$j.db"
		"$NVTRACE" replay -j $j "$TMP/$run-$j.db" > "$TMP/$run-$j.out" 2>&1
		eq "$run: replay -j $j: the same rows and totals as -j 1" "$(results "$TMP/$run-$j.db")" "$want"
		eq "$run: replay -j $j: the same summary" "$(cat "$TMP/$run-$j.out")" "$(cat "$TMP/$run-1.out")"
	done
done
# -j 1 finds the mode while it reads (no query pass first): a single-level run stays
# single-level; a nested run whose first half lost its nesting events (kept in time
# order) is read as single-level until the first one, then read again as nested: the
# same mode, rows and totals as -j 2 (whose threads take the mode from a query first)
eq "mc: -j 1 stored mode arm64-single" "$(sql "$TMP/mc-1.db" "SELECT mode FROM replays")" arm64-single
eq "hc: -j 1 stored mode arm64-nested" "$(sql "$TMP/hc-1.db" "SELECT mode FROM replays")" arm64-nested
cp "$TMP/hc.db" "$TMP/late.db"
sql "$TMP/late.db" "DELETE FROM events WHERE id < (SELECT max(id) / 2 FROM events) AND name_id IN
	(SELECT id FROM event_names WHERE name IN ('kvm_nested_eret', 'kvm_inject_nested_exception'))"
eq "late: still time-ordered, first nesting event past the middle" \
	"$(sql "$TMP/late.db" "SELECT value FROM meta WHERE key = 'time_ordered'")|$(sql "$TMP/late.db" "SELECT min(e.id) * 2 > max(e.id) FROM events e, event_names n WHERE n.id = e.name_id AND n.name = 'kvm_nested_eret'")" "1|1"
cp "$TMP/late.db" "$TMP/late-2.db"
"$NVTRACE" replay -j 1 "$TMP/late.db" > "$TMP/late-1.out" 2>&1
eq "late: replay -j 1 exits 0, mode arm64-nested" "$?|$(sql "$TMP/late.db" "SELECT mode FROM replays")" "0|arm64-nested"
"$NVTRACE" replay -j 2 "$TMP/late-2.db" > "$TMP/late-2.out" 2>&1
eq "late: -j 1 gives the same rows and totals as -j 2" "$(results "$TMP/late.db")" "$(results "$TMP/late-2.db")"
eq "late: the same summary" "$(cat "$TMP/late-1.out")" "$(cat "$TMP/late-2.out")"
check "late: nested exits found in the second half" test "$(sql "$TMP/late.db" "SELECT exits FROM replays")" -gt 10
# -j N's threads take the mode from the run's event names when these name no nesting
# kind (mc above: single-level without a row read); a run that names a nesting kind it
# never saw (record names every kind it enables) is read for one and stays single-level
eret=$(awk '/^X\(/ { if ($0 ~ /KVM_NESTED_ERET,/) print n; n++ }' "$ROOT/schema/event_types.def")
cp "$TMP/mc.db" "$TMP/named.db"
sql "$TMP/named.db" "INSERT INTO event_names (system, name, type) VALUES ('kvm', 'kvm_nested_eret', $eret)"
"$NVTRACE" replay -j 2 "$TMP/named.db" > /dev/null 2>&1
eq "a nesting kind named, never seen: replay -j 2 exits 0, mode arm64-single" \
	"$?|$(sql "$TMP/named.db" "SELECT mode FROM replays")" "0|arm64-single"
eq "a nesting kind named, never seen: -j 2 gives the rows and totals of -j 1" \
	"$(results "$TMP/named.db")" "$(results "$TMP/mc-1.db")"
eq "mc: -j 2 stored mode arm64-single, hc: arm64-nested" \
	"$(sql "$TMP/mc-2.db" "SELECT mode FROM replays")|$(sql "$TMP/hc-2.db" "SELECT mode FROM replays")" \
	"arm64-single|arm64-nested"
# exit_rows ids (replay_id << 32 | seq): replay lets SQLite number the rows it appends
# only when the table ends before its ids; rows of a higher id (here an orphan row
# left by hand, with its outcome) make it give every id itself: the same rows, the orphan kept
cp "$TMP/mc.db" "$TMP/orphan.db"
sql "$TMP/orphan.db" "INSERT INTO exit_rows (id, outcome) VALUES ((99 << 32) | 1, 1);
	INSERT INTO exit_outcomes (id, kind, nested, observed_traps, host_irqs) VALUES ((99 << 32) | 1, 0, 0, 0, 0)"
"$NVTRACE" replay -j 1 "$TMP/orphan.db" > /dev/null 2>&1
eq "orphan row of replay 99: replay -j 1 exits 0" "$?" 0
eq "orphan row of replay 99: kept, the replay's rows numbered 1.. under its id" \
	"$(sql "$TMP/orphan.db" "SELECT count(*) FROM exit_rows WHERE id >> 32 = 99")|$(sql "$TMP/orphan.db" "SELECT min(id & 4294967295), max(id & 4294967295) = count(*) FROM exit_rows WHERE id >> 32 = 1")" \
	"1|1|1"
sql "$TMP/orphan.db" "DELETE FROM exit_rows WHERE id >> 32 = 99; DELETE FROM exit_outcomes WHERE id >> 32 = 99" > /dev/null
eq "orphan row of replay 99: the same rows and totals as -j 1 without it" "$(results "$TMP/orphan.db")" \
	"$(results "$TMP/mc-1.db")"
# a replays row deleted by hand (sqlite3 enforces no foreign key): its rows, outcomes and
# totals stay under its id, which the next replay takes again; replay clears them first
cp "$TMP/mc.db" "$TMP/gone.db"
"$NVTRACE" replay -j 1 "$TMP/gone.db" --guest kvm-2017-nvhe --arch vm,neve > /dev/null 2>&1
sql "$TMP/gone.db" "DELETE FROM replays"
"$NVTRACE" replay -j 1 "$TMP/gone.db" --arch vm,v8.3 > "$TMP/gone.out" 2>&1
eq "a replay deleted by hand: the next replay under its id exits 0" "$?|$(sql "$TMP/gone.db" "SELECT id FROM replays")" "0|1"
eq "a replay deleted by hand: only the new replay's rows, outcomes and architectures" \
	"$(sql "$TMP/gone.db" "SELECT count(*) = (SELECT exits FROM replays) FROM exit_rows")|$(sql "$TMP/gone.db" "SELECT count(*) FROM exit_outcomes WHERE traps_1 IS NULL OR traps_2 IS NOT NULL")|$(sql "$TMP/gone.db" "SELECT group_concat(arch) FROM replay_archs")" \
	"1|0|vm,v8.3"
# the scan reads first only the columns of the host's events; an event of the other
# host's (here an x86 kvm_msr write of the x2APIC ICR, 0x830, on an arm64 run) makes it
# read every column from that event on: its MSR number gives the exit kind ipi
msr=$(awk '/^X\(/ { if ($0 ~ /KVM_MSR,/) print n; n++ }' "$ROOT/schema/event_types.def")
cp "$TMP/mc.db" "$TMP/msr.db"
sql "$TMP/msr.db" "INSERT INTO events (ts, cpu, pid, type, name_id, dir, addr)
		SELECT max(ts) + 1, 0, 1000, $msr, 1, 1, 2096 FROM events;
	INSERT INTO events (ts, cpu, pid, type, name_id, reason, ec, pc)
		SELECT max(ts) + 1, 0, 1000, 1, 1, 1, 24, 1073741848 FROM events"
"$NVTRACE" replay -j 1 "$TMP/msr.db" > /dev/null 2>&1
eq "an x86 MSR write in an arm64 run: one exit caused by it, kind ipi (its address read)" \
	"$(sql "$TMP/msr.db" "SELECT k.name, count(*) FROM nested_exits x JOIN exit_kinds k ON k.id = x.kind WHERE x.cause = $msr GROUP BY 1")" "ipi|1"
# an edited run (an event moved back in time): read sorted, -j or not
cp "$TMP/mc.db" "$TMP/ed.db"
sql "$TMP/ed.db" "UPDATE events SET ts = ts - 30000 WHERE id = 300"
eq "edited run: time_ordered cleared" "$(sql "$TMP/ed.db" "SELECT value FROM meta WHERE key = 'time_ordered'")" 0
cp "$TMP/ed.db" "$TMP/ed-2.db"
"$NVTRACE" replay -j 1 "$TMP/ed.db" > /dev/null 2>&1
"$NVTRACE" replay -j 2 "$TMP/ed-2.db" > /dev/null 2>&1
eq "edited run: -j 2 the same as -j 1" "$(results "$TMP/ed-2.db")" "$(results "$TMP/ed.db")"
# -j N's readers read chunks of 4096 ids (chunk k: ids first + 4096k ..), each on a
# connection of its own, in any order; the chunks are costed and stored in order
first=$(sql "$TMP/mc.db" "SELECT min(id) FROM events")
check "mc: more than 4 chunks of 4096 ids" test "$(sql "$TMP/mc.db" "SELECT (max(id) - min(id)) / 4096 FROM events")" -ge 4
# ids with a gap (events deleted by hand: still time-ordered): an empty chunk, parts of others
cp "$TMP/mc.db" "$TMP/gap.db"
sql "$TMP/gap.db" "DELETE FROM events WHERE id BETWEEN $first + 3000 AND $first + 3 * 4096 + 100"
eq "gap: still time-ordered, a chunk's ids all gone" \
	"$(sql "$TMP/gap.db" "SELECT value FROM meta WHERE key = 'time_ordered'")|$(sql "$TMP/gap.db" "SELECT count(*) FROM events WHERE id BETWEEN $first + 8192 AND $first + 12287")" "1|0"
same_jobs() { # NAME DB: -j 2 and -j 4 store the rows, totals and summary of -j 1
	cp "$2" "$TMP/$1-1.db"
	timeout 120 "$NVTRACE" replay -j 1 "$TMP/$1-1.db" > "$TMP/$1-1.out" 2>&1
	eq "$1: replay -j 1 exits 0" "$?" 0
	for j in 2 4; do
		cp "$2" "$TMP/$1-$j.db"
		timeout 120 "$NVTRACE" replay -j $j "$TMP/$1-$j.db" > "$TMP/$1-$j.out" 2>&1
		eq "$1: replay -j $j exits 0" "$?" 0
		eq "$1: -j $j: the same rows and totals as -j 1" "$(results "$TMP/$1-$j.db")" "$(results "$TMP/$1-1.db")"
		eq "$1: -j $j: the same summary" "$(cat "$TMP/$1-$j.out")" "$(cat "$TMP/$1-1.out")"
	done
}
same_jobs gap "$TMP/gap.db"
check "gap: fewer exits than the whole run" test "$(sql "$TMP/gap-2.db" "SELECT exits FROM replays")" -lt "$(sql "$TMP/mc-1.db" "SELECT exits FROM replays")"
# ids far sparser than the events (spread by hand 2^40 apart, the time order kept and
# the flag set again): chunks by id range would be ~2^40 x the run's; one reader streams
# the run instead (within the timeout)
cp "$TMP/mc.db" "$TMP/sparse.db"
sql "$TMP/sparse.db" "UPDATE events SET id = id * 1099511627776; UPDATE meta SET value = '1' WHERE key = 'time_ordered'"
eq "sparse: ids 2^40 apart, flagged time-ordered" \
	"$(sql "$TMP/sparse.db" "SELECT (SELECT min(id) FROM events) = 1099511627776, value FROM meta WHERE key = 'time_ordered'")" "1|1"
same_jobs sparse "$TMP/sparse.db"
eq "sparse: the rows and totals of the dense run" "$(results "$TMP/sparse-2.db")" "$(results "$TMP/mc-1.db")"
# a run flagged time-ordered that is not (edited, the flag set again by hand): the
# readers find it inside a chunk, the writer between two chunks (the first event of
# chunk 1 older than the last ones of chunk 0, each chunk in order itself); -j N then
# reads it sorted, as -j 1 does, and the flag is corrected: the rows and totals of the
# same edit made with the flag cleared by its trigger
unordered() { # NAME UPDATE
	cp "$TMP/mc.db" "$TMP/$1-want.db"
	sql "$TMP/$1-want.db" "$2"
	eq "$1: the edit clears time_ordered" "$(sql "$TMP/$1-want.db" "SELECT value FROM meta WHERE key = 'time_ordered'")" 0
	"$NVTRACE" replay -j 1 "$TMP/$1-want.db" > "$TMP/$1-want.out" 2>&1
	cp "$TMP/mc.db" "$TMP/$1.db"
	sql "$TMP/$1.db" "$2; UPDATE meta SET value = '1' WHERE key = 'time_ordered'"
	same_jobs "$1" "$TMP/$1.db"
	eq "$1: -j 2 read it sorted (the rows and totals of the flag cleared)" \
		"$(results "$TMP/$1-2.db")" "$(results "$TMP/$1-want.db")"
	eq "$1: the same summary" "$(cat "$TMP/$1-2.out")" "$(cat "$TMP/$1-want.out")"
	eq "$1: -j 1, -j 2: the flag corrected" \
		"$(sql "$TMP/$1-1.db" "SELECT value FROM meta WHERE key = 'time_ordered'")|$(sql "$TMP/$1-2.db" "SELECT value FROM meta WHERE key = 'time_ordered'")" "0|0"
}
unordered inchunk "UPDATE events SET ts = ts - 30000 WHERE id = $first + 300"
eq "inchunk: out of order inside chunk 0 only" \
	"$(sql "$TMP/inchunk.db" "SELECT group_concat((a.id - $first) / 4096) FROM events a JOIN events b ON b.id = a.id + 1 WHERE b.ts < a.ts")" 0
unordered boundary "UPDATE events SET ts = (SELECT ts FROM events WHERE id = $first + 4000) - 1 WHERE id = $first + 4096"
eq "boundary: out of order only where chunk 1 begins" \
	"$(sql "$TMP/boundary.db" "SELECT group_concat(b.id - $first) FROM events a JOIN events b ON b.id = a.id + 1 WHERE b.ts < a.ts")" 4096
# a corrupt page of the events met by one of 4 readers: one line, exit 1, nothing stored
cp "$TMP/mc.db" "$TMP/bad.db"
psize=$(sql "$TMP/bad.db" "PRAGMA page_size")
leaf=$(sql "$TMP/bad.db" "SELECT pageno FROM dbstat WHERE name = 'events' AND pagetype = 'leaf'
	ORDER BY pageno LIMIT 1 OFFSET (SELECT count(*) / 2 FROM dbstat WHERE name = 'events' AND pagetype = 'leaf')")
head -c 64 /dev/zero | tr '\0' '\377' | dd of="$TMP/bad.db" bs=1 seek=$((($leaf - 1) * psize)) conv=notrunc 2> /dev/null
timeout 120 "$NVTRACE" replay -j 4 "$TMP/bad.db" > /dev/null 2> "$TMP/err"
eq "a corrupt events page, -j 4: exit 1, one line" "$?|$(wc -l < "$TMP/err" | tr -d ' ')" "1|1"
check "a corrupt events page, -j 4: says corrupt database" \
	grep -q "^nvtrace replay: $TMP/bad.db: .*corrupt database: database disk image is malformed\$" "$TMP/err"
eq "a corrupt events page, -j 4: no replay stored" "$(sql "$TMP/bad.db" "SELECT count(*) FROM replays")" 0
# the progress bar on a terminal comes from the writer, as the chunks are stored
if command -v script > /dev/null; then
	"$NVTRACE" synth -w memcached --vcpus 4 -d 0.3 -o "$TMP/big.db" > /dev/null 2>&1
	script -qc "'$NVTRACE' replay -j 2 '$TMP/big.db'" /dev/null < /dev/null | tr '\r' '\n' > "$TMP/tty.out"
	check "replay -j 2 on a terminal: a progress bar" grep -q '^replay \[#*\.*\] *[0-9]*%' "$TMP/tty.out"
else
	skip "replay -j 2 progress on a terminal" "no script(1)"
fi
"$NVTRACE" replay -j 0 "$TMP/mc.db" > /dev/null 2> "$TMP/err"
eq "-j 0: usage error" "$?" 2
eq "-j 0: says what it wants" "$(cat "$TMP/err")" "nvtrace replay: -j wants a number of threads, 1 to 64, not '0' (see 'nvtrace replay --help')"
done_testing
