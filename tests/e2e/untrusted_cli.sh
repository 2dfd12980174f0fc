# Untrusted text in the command-line side (issue 13): names from a run database or a
# file name never act as paths or commands, nor reach the terminal raw; bad numbers and
# bad files give one clear line.
. "$ROOT/tests/lib.sh"
"$NVTRACE" synth -w hypercall --arch-host v8.3 -d 0.01 -o "$TMP/s.db" > /dev/null 2>&1
eq "a synthetic nested run to work on" "$?" 0
"$NVTRACE" replay "$TMP/s.db" > /dev/null 2>&1

# --- info: control bytes of the trace escaped --------------------------------------------
"$NVTRACE" import "$ROOT/tests/fixtures/x86-handwritten.txt" -o "$TMP/c.db" > /dev/null
sql "$TMP/c.db" "UPDATE threads SET comm = 'evil' || char(27) || '[2J' || char(7) WHERE pid = (SELECT min(pid) FROM threads);
	UPDATE meta SET value = 'k' || char(27) || ']0;title' || char(7) WHERE key = 'host_kernel'"
sql "$TMP/c.db" "INSERT OR REPLACE INTO meta VALUES ('host_kernel', 'k' || char(27) || ']0;title' || char(7))"
"$NVTRACE" info "$TMP/c.db" > "$TMP/info.txt"
check "info: no escape or bell byte reaches the terminal" sh -c "! grep -q \"\$(printf '[\\033\\007]')\" '$TMP/info.txt'"
check "info: the thread name shown escaped" grep -qF 'evil\x1b[2J\x07' "$TMP/info.txt"
check "info: metadata shown escaped" grep -qF 'k\x1b]0;title\x07' "$TMP/info.txt"

# --- export --csv-dir: table names from the database are not paths ------------------------
cp "$TMP/s.db" "$TMP/x.db"
sql "$TMP/x.db" "CREATE TABLE \"../../pwned\" (a); INSERT INTO \"../../pwned\" VALUES ('owned')"
mkdir -p "$TMP/deep/er"
"$NVTRACE" export "$TMP/x.db" --csv-dir "$TMP/deep/er/out" > /dev/null 2>&1
check "export --csv-dir: nothing written outside DIR (../../pwned.csv)" test ! -e "$TMP/deep/pwned.csv"
check "export --csv-dir: the table kept, under a safe name" test -f "$TMP/deep/er/out/_._.._pwned.csv"

# --- plot: a file name is data, never a gnuplot command ------------------------------------
if command -v gnuplot > /dev/null 2>&1; then
	evil="t'
system 'touch pwned'
x.db"
	cp "$TMP/s.db" "$TMP/$evil"
	(cd "$TMP" && "$NVTRACE" plot "$evil" --what kinds -o "$TMP/p.png" > /dev/null 2>&1)
	check "plot: a newline in the run's name does not run 'system'" test ! -e "$TMP/pwned"
	check "plot: the PNG is still drawn" test -s "$TMP/p.png"
	"$NVTRACE" plot "$TMP/s.db" --what kinds -o /nonexistent/x.png > "$TMP/out" 2> "$TMP/err"
	eq "plot -o /nonexistent/x.png: exit 1" "$?" 1
	eq "plot -o /nonexistent/x.png: nothing on stdout (was the PNG)" "$(wc -c < "$TMP/out")" 0
	check "plot -o /nonexistent/x.png: one line naming it" sh -c "[ \$(wc -l < '$TMP/err') -eq 1 ] && grep -q '/nonexistent/x.png' '$TMP/err'"
else
	skip "plot" "gnuplot is not installed"
fi

# --- compare --ghz: only a real clock --------------------------------------------------------
for g in nan inf 0 -1 2.4x; do
	"$NVTRACE" compare v8.3 "$TMP/s.db" --ghz $g --json > "$TMP/out" 2> "$TMP/err"
	eq "compare --ghz $g: usage error, no JSON" "$?|$(wc -c < "$TMP/out")" "2|0"
done
"$NVTRACE" compare v8.3 "$TMP/s.db" --ghz 2.4 --json > "$TMP/out"
check "compare --ghz 2.4 --json: valid JSON" python3 -c "import json,sys; json.load(open('$TMP/out'))"

# --- --guest FILE: the error never echoes the file's contents --------------------------------
printf 'root:$6$Zx9secret$hash:19000:0:99999:7:::\n' > "$TMP/shadow"
"$NVTRACE" compare v8.3 "$TMP/s.db" --guest "$TMP/shadow" > /dev/null 2> "$TMP/err"
eq "--guest a password file: exit 1" "$?" 1
check "--guest a password file: nothing of its contents in the error" sh -c "! grep -q 'secret\|root' '$TMP/err'"
check "--guest a password file: one line naming the file and line" grep -q "shadow:1: " "$TMP/err"
done_testing
