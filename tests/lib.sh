# Shared helpers for the end-to-end tests (sourced).  TAP output like the unit tests.
# $NVTRACE is the nvtrace binary under test; $ROOT the source tree.
T_N=0
T_FAILED=0
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
REF="$ROOT/../shared/reference"
[ -d "$REF" ] || REF="$ROOT/tests/fixtures/reference"

ok()     { T_N=$((T_N + 1)); echo "ok $T_N - $1"; }
not_ok() { T_N=$((T_N + 1)); echo "not ok $T_N - $1"; T_FAILED=$((T_FAILED + 1)); }
skip()   { T_N=$((T_N + 1)); echo "ok $T_N - $1 # SKIP $2"; }
# check NAME CONDITION-COMMAND...
check()  { n=$1; shift; if "$@"; then ok "$n"; else not_ok "$n"; fi; }
# eq NAME GOT WANT
eq()     { if [ "$2" = "$3" ]; then ok "$1"; else not_ok "$1"; echo "#   got '$2', want '$3'"; fi; }
# sql DB QUERY: one value
sql()    { sqlite3 -batch -noheader "$1" "$2"; }
# in_order EXPECTED ACTUAL: every line of EXPECTED but "..." is a line of ACTUAL, in order
in_order() {
	awk 'NR == FNR { if ($0 != "...") want[++w] = $0; next }
	     { sub(/[ \t]+$/, "") } i < w && $0 == want[i + 1] { i++ }
	     END { if (i < w) { print "#   missing: " want[i + 1]; exit 1 } }' \
		"$1" "$2"
}
# split_quoted DOC: the "$ command" lines of DOC's code blocks into $TMP/cmd.N and the
# output quoted under each into $TMP/exp.N (any earlier ones removed); prints N
split_quoted() {
	rm -f "$TMP"/cmd.* "$TMP"/exp.*
	awk -v d="$TMP" '
		/^```/ { inb = !inb; n_open = 0; next }
		inb && /^\$ / { n++; sub(/^\$ /, ""); print > (d "/cmd." n); close(d "/cmd." n)
			printf "" > (d "/exp." n); n_open = 1; next }
		inb && n_open { print >> (d "/exp." n) }
	' "$1"
	ls "$TMP"/cmd.* 2>/dev/null | wc -l | tr -d ' '
}
done_testing() { echo "1..$T_N"; [ "$T_FAILED" -eq 0 ]; }
