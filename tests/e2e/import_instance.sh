# A trace.dat whose events are in buffer instances (tests/fixtures/x86-instance.dat:
# two tracefs instances of sched events, zstd, version 7, recorded here with
# trace-cmd extract -B): every event imports exactly as trace-cmd report reads it
# (time to the microsecond, CPU, pid, event name), while the chunks already read
# are given back (collector/dat_zchunk.c) and each instance's handle is closed.
. "$ROOT/tests/lib.sh"
DAT="$ROOT/tests/fixtures/x86-instance.dat"
if ! command -v trace-cmd > /dev/null; then
	skip "buffer instances" "trace-cmd is not installed"
	done_testing; exit
fi
"$NVTRACE" import "$DAT" -o "$TMP/i.db" > /dev/null
eq "x86-instance.dat imports" "$?" 0
eq "every event of both instances" "$(sql "$TMP/i.db" "SELECT count(*) FROM events")" 10778
# "usecs cpu pid name" of every event, sorted, from trace-cmd report and from the run
trace-cmd report -i "$DAT" 2>/dev/null | awk '!/^cpus=/ {
	for (i = 1; i < NF; i++) if ($i ~ /^[0-9]+\.[0-9]+:$/) break
	if (i == NF) next
	t = $i; sub(/:$/, "", t); sub(/\./, "", t); sub(/^0+/, "", t); cpu = $(i - 1); gsub(/[][]/, "", cpu)
	pid = $(i - 2); sub(/.*-/, "", pid); n = $(i + 1); sub(/:$/, "", n)
	print t, cpu + 0, pid, n }' | sort > "$TMP/want"
sql "$TMP/i.db" "SELECT (e.ts + 500) / 1000, e.cpu, e.pid, n.name FROM events e
	JOIN event_names n ON n.id = e.name_id" | tr '|' ' ' | sort > "$TMP/got"
eq "time, CPU, pid and name of every event = trace-cmd report's" \
	"$(cmp -s "$TMP/want" "$TMP/got" && echo same || diff "$TMP/want" "$TMP/got" | head -3)" same
eq "sched_switch fields kept as text" "$(sql "$TMP/i.db" "SELECT count(*) FROM event_raw r
	JOIN events e ON e.id = r.event_id JOIN event_names n ON n.id = e.name_id
	WHERE n.name = 'sched_switch' AND r.fields LIKE 'prev_comm=% next_prio=%'")" 8394
done_testing
