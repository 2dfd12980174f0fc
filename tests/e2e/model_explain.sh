# nvtrace explain: CSV header, exact trap counts of the seed's hypercall path
# (1 / 126 / 15, reference/kvm-2017-hypercall-path.md), options, usage errors.
. "$ROOT/tests/lib.sh"
traps() { awk -F, 'NR > 1 && $5 == "trap"' "$1" | wc -l | tr -d ' '; }

"$NVTRACE" explain hvc --arch v8.3 --guest kvm-2017-nvhe --cost xgene --csv > "$TMP/v83.csv"
eq "explain exits 0" "$?" 0
eq "CSV header" "$(head -1 "$TMP/v83.csv")" "seq,phase,op,register,fate,cycles"
eq "v8.3: 126 trapping rows" "$(traps "$TMP/v83.csv")" 126
eq "v8.3: 163 operations (the reference CSV's 164 rows without PMSELR_EL0)" "$(($(wc -l < "$TMP/v83.csv") - 1))" 163
eq "first op is the nested VM's exception" "$(sed -n 2p "$TMP/v83.csv" | cut -d, -f2-3)" "exit,EXC"
eq "HCR_EL2 is accessed 8 times (reference section 5)" "$(grep -c ',HCR_EL2,' "$TMP/v83.csv")" 8
"$NVTRACE" explain hvc --arch neve --guest kvm-2017-nvhe --csv > "$TMP/neve.csv"
eq "neve: 15 trapping rows" "$(traps "$TMP/neve.csv")" 15
eq "neve: CNTHCTL_EL2 traps 4 times" "$(grep -c ',CNTHCTL_EL2,trap,' "$TMP/neve.csv")" 4
"$NVTRACE" explain hvc --arch vm --guest kvm-2017-nvhe --csv > "$TMP/vm.csv"
eq "vm: 1 trapping row" "$(traps "$TMP/vm.csv")" 1
"$NVTRACE" explain hvc --arch v8.3 --set pmselr-write=on --guest kvm-2017-nvhe --csv > "$TMP/127.csv"
eq "--set pmselr-write=on: 127 (reference: every option)" "$(traps "$TMP/127.csv")" 127

"$NVTRACE" explain hvc --guest kvm-2017-nvhe > "$TMP/text"
check "text totals line" grep -q '^total: 163 operations, 126 traps, ' "$TMP/text"
check "text names the L0 handler" grep -q 'trap:access_vm_reg' "$TMP/text"
"$NVTRACE" explain hvc --traps --source --guest kvm-2017-nvhe > "$TMP/src"
eq "--traps lists only traps (2 header lines + 126 + 3 totals)" "$(wc -l < "$TMP/src" | tr -d ' ')" 131
check "--source shows repository:path@commit" grep -q 'soccertack/nesting-linaro:arch/arm64/kvm/hyp/sysreg-sr.c@ad7f8d7d' "$TMP/src"

cp "$ROOT/examples/profiles/kvm-2017-nvhe.prof" "$TMP/mine.prof"
sed -i '/msr PMUSERENR_EL0 : write_sysreg(0, pmuserenr_el0)/d' "$TMP/mine.prof"
"$NVTRACE" explain hvc --guest "$TMP/mine.prof" --csv > "$TMP/mine.csv"
eq "an edited profile file: one PMUSERENR_EL0 write fewer -> 125" "$(traps "$TMP/mine.csv")" 125

"$NVTRACE" explain s2fault --guest kvm-2017-nvhe 2> "$TMP/err"; eq "unmodelled kind exits 1" "$?" 1
check "unmodelled kind says so" grep -q 's2fault: not modelled yet by profile kvm-2017-nvhe' "$TMP/err"
for bad in "--arch v9" "--guest nope" "--cost m1"; do
	"$NVTRACE" explain hvc $bad > /dev/null 2> "$TMP/err"; eq "explain $bad exits 2" "$?" 2
	eq "explain $bad: one line" "$(wc -l < "$TMP/err" | tr -d ' ')" 1
done
"$NVTRACE" explain flood 2> "$TMP/err"; eq "unknown kind exits 2" "$?" 2
"$NVTRACE" explain 2> /dev/null; eq "no kind exits 2" "$?" 2
"$NVTRACE" explain hvc --set nope=1 2> "$TMP/err"; eq "unknown option exits 2" "$?" 2
"$NVTRACE" explain hvc --guest "$TMP/missing.prof" 2> "$TMP/err"; eq "missing profile file exits 1" "$?" 1
check "missing file: one line naming it" grep -q "^nvtrace explain: $TMP/missing.prof: No such file" "$TMP/err"
printf 'profile broken\npath hvc\n  mrs NOPE_EL2\nend\n' > "$TMP/broken.prof"
"$NVTRACE" explain hvc --guest "$TMP/broken.prof" 2> "$TMP/err"; eq "broken profile exits 1" "$?" 1
eq "broken profile: file:line: problem" "$(cat "$TMP/err")" "nvtrace explain: $TMP/broken.prof:3: unknown register 'NOPE_EL2'"
"$NVTRACE" explain hvc --set live-lrs=5 --guest kvm-2017-nvhe > "$TMP/out" 2> "$TMP/err"; eq "5 live LRs on a 4-LR GICv2: usage error" "$?" 2
eq "... one line naming the missing register" "$(cat "$TMP/err")" \
	"nvtrace explain: live-lrs=5: line 126: GICH_LR# with index 4 is not a register (option live-lrs=5)"
eq "... nothing on stdout" "$(wc -c < "$TMP/out" | tr -d ' ')" 0
"$NVTRACE" explain --options --set live-lrs=2 --guest kvm-2017-nvhe > "$TMP/opts"
eq "--options lists the 8 options of kvm-2017-nvhe" "$(grep -c '^  [a-z]' "$TMP/opts")" 8
check "--options shows the value set with --set" grep -q '^  live-lrs        2 ' "$TMP/opts"
done_testing
