# Runs that did not finish (issue 13): every reader says so once, with the stored
# reason (meta incomplete_reason, written where a run is left incomplete); flame and
# plot too; every --json on a run carries "incomplete": {"status", "reason"}; info
# shows why.  A complete run has none of it.
. "$ROOT/tests/lib.sh"
"$NVTRACE" import "$ROOT/tests/fixtures/arm64-handwritten.txt" -o "$TMP/good.db" > /dev/null 2>&1
WHY="cannot finish the database: disk full (no space left on device)"
cp "$TMP/good.db" "$TMP/inc.db"
sql "$TMP/inc.db" "UPDATE meta SET value = 'incomplete' WHERE key = 'status';
	INSERT INTO meta (key, value) VALUES ('incomplete_reason', '$WHY')"
cp "$TMP/good.db" "$TMP/old.db"	# incomplete, written before the reason was kept
sql "$TMP/old.db" "UPDATE meta SET value = 'incomplete' WHERE key = 'status'"
warn="warning: the run is not complete (status 'incomplete'): its events may end early"
args() {
	case $1 in
	flame) echo "-o $TMP/out.svg" ;;
	export) echo "-o $TMP/out.json" ;;
	plot) echo "--what cycles -o $TMP/out.png" ;;
	esac
}
for cmd in info stat replay compare validate advise flame export plot; do
	"$NVTRACE" $cmd "$TMP/inc.db" $(args $cmd) > /dev/null 2> "$TMP/err"
	eq "$cmd on an incomplete run: exit 0" "$?" 0
	eq "$cmd on an incomplete run: one warning line with the reason" "$(grep -v 'nvtrace plot: wrote\|nvtrace export: wrote' "$TMP/err")" \
		"nvtrace $cmd: $TMP/inc.db: $warn (reason: $WHY)"
done
"$NVTRACE" flame "$TMP/old.db" -o "$TMP/out.svg" > /dev/null 2> "$TMP/err"
eq "flame on an incomplete run without a stored reason: the warning, once" "$(cat "$TMP/err")" \
	"nvtrace flame: $TMP/old.db: $warn"
# --json: the member, right after the first one
json_incomplete() { # cmd db
	"$NVTRACE" $1 --json "$2" 2> /dev/null |
		python3 -c 'import json, sys; print(json.dumps(json.load(sys.stdin).get("incomplete")))'
}
for cmd in info stat replay compare validate advise; do
	eq "$cmd --json on an incomplete run: \"incomplete\" with status and reason" \
		"$(json_incomplete $cmd "$TMP/inc.db")" "{\"status\": \"incomplete\", \"reason\": \"$WHY\"}"
	eq "$cmd --json on a complete run: no \"incomplete\"" "$(json_incomplete $cmd "$TMP/good.db")" null
done
eq "stat --json on an incomplete run without a stored reason: reason null" \
	"$(json_incomplete stat "$TMP/old.db")" '{"status": "incomplete", "reason": null}'
# export: the Perfetto file's metadata (otherData) carries the same member
other_incomplete() { # db
	"$NVTRACE" export "$1" -o "$TMP/pf.json" > /dev/null 2>&1 &&
		python3 -c 'import json, sys; print(json.dumps(json.load(open(sys.argv[1]))["otherData"].get("incomplete")))' "$TMP/pf.json"
}
eq "export on an incomplete run: otherData has \"incomplete\" with status and reason" \
	"$(other_incomplete "$TMP/inc.db")" "{\"status\": \"incomplete\", \"reason\": \"$WHY\"}"
eq "export on a complete run: no \"incomplete\" in otherData" "$(other_incomplete "$TMP/good.db")" null
# info: why, under the status
eq "info: why the run is incomplete" "$("$NVTRACE" info "$TMP/inc.db" 2> /dev/null | sed -n 2,3p)" \
	"status         incomplete
why            $WHY"
eq "info: a reason that was not stored" "$("$NVTRACE" info "$TMP/old.db" 2> /dev/null | sed -n 3p)" \
	"why            not stored (a run written before nvtrace kept the reason)"
eq "info: no why line for a complete run" "$("$NVTRACE" info "$TMP/good.db" | grep -c '^why')" 0
done_testing
