# The command itself: help, version, usage errors and exit statuses.
. "$ROOT/tests/lib.sh"
"$NVTRACE" --help > "$TMP/help"; eq "--help exits 0" "$?" 0
check "--help lists import" grep -q '^  import ' "$TMP/help"
v=$("$NVTRACE" --version); eq "--version" "$v" "nvtrace 0.1.0"
"$NVTRACE" frobnicate 2> "$TMP/err"; eq "unknown command exits 2" "$?" 2
check "unknown command says so in one line" [ "$(wc -l < "$TMP/err")" -eq 1 ]
"$NVTRACE" 2>/dev/null; eq "no command exits 2" "$?" 2
for c in $("$NVTRACE" --help | awk '/^commands:/{f=1;next} f && /^  [a-z]/{print $1}'); do
	"$NVTRACE" "$c" --help > "$TMP/h" 2>&1; rc=$?
	eq "$c --help exits 0" "$rc" 0
	check "$c --help prints a usage line" grep -qi "usage: nvtrace $c" "$TMP/h"
done
# every command that reads a run: a missing file is one line naming it once
m="$TMP/missing.db"
for args in "info" "stat" "replay" "validate" "compare v8.3" "export --csv-dir $TMP/out" "flame" "plot --what kinds" ; do
	c=${args%% *}
	rest=${args#"$c"}
	"$NVTRACE" $c $rest "$m" > /dev/null 2> "$TMP/err"; rc=$?
	eq "$c: missing run exits 1" "$rc" 1
	eq "$c: missing run, one line" "$(cat "$TMP/err")" "nvtrace $c: $m: No such file or directory"
done
done_testing
