# nvtrace compare (microbenchmarks): the seed's hypercall row, exact trap
# counts 1 / 126 / 15 and cycles within 10% of 2,729 / 422,720 / 92,385
# (nested-arm-background.md), CSV/JSON forms, usage errors.
. "$ROOT/tests/lib.sh"
"$NVTRACE" compare vm v8.3 neve --guest kvm-2017-nvhe --cost xgene --csv > "$TMP/c.csv"
eq "compare exits 0" "$?" 0
eq "CSV header" "$(head -1 "$TMP/c.csv")" "bench,arch,traps,cycles,ratio_to_vm"
eq "traps vm/v8.3/neve" "$(grep '^hypercall,' "$TMP/c.csv" | cut -d, -f3 | tr '\n' ' ')" "1 126 15 "
within() { awk -v g="$1" -v w="$2" 'BEGIN { exit !(g >= 0.9 * w && g <= 1.1 * w) }'; }
row() { grep "^hypercall,$1," "$TMP/c.csv" | cut -d, -f4; }
check "vm cycles within 10% of 2,729" within "$(row vm)" 2729
check "v8.3 cycles within 10% of 422,720" within "$(row v8.3)" 422720
check "neve cycles within 10% of 92,385" within "$(row neve)" 92385
eq "vm ratio is 1" "$(grep '^hypercall,vm,' "$TMP/c.csv" | cut -d, -f5)" "1.00"
"$NVTRACE" compare v8.4 --json > "$TMP/c.json"
if command -v python3 > /dev/null; then
check "JSON parses, has the v8.4 row and the default guest kvm-vhe" python3 -c "import json,sys; d=json.load(open('$TMP/c.json')); sys.exit(not (d['results'][0]['arch']=='v8.4' and d['guest']=='kvm-vhe'))"
else
	skip "JSON parses" "no python3 to parse it"
fi
"$NVTRACE" compare > "$TMP/all"
eq "no ARCH: all four architectures" "$(grep -c '^hypercall ' "$TMP/all")" 4
"$NVTRACE" compare v9 2> "$TMP/err"; eq "unknown arch exits 2" "$?" 2
eq "unknown arch: one line" "$(wc -l < "$TMP/err" | tr -d ' ')" 1
"$NVTRACE" compare --guest nope 2> "$TMP/err"; eq "unknown guest exits 2" "$?" 2
eq "unknown guest: one line" "$(wc -l < "$TMP/err" | tr -d ' ')" 1
"$NVTRACE" compare --cost m1 2> "$TMP/err"; eq "unknown cost exits 2" "$?" 2
eq "unknown cost: one line" "$(wc -l < "$TMP/err" | tr -d ' ')" 1
"$NVTRACE" compare v8.3 "$TMP/missing.db" 2> "$TMP/err"; eq "missing RUN.db exits 1" "$?" 1
check "missing RUN.db: one line naming the file" [ "$(wc -l < "$TMP/err")" -eq 1 ] && grep -q missing.db "$TMP/err"
done_testing
