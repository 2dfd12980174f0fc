# nvtrace regs: CSV header, fates of representative registers, lookups by
# name and encoding (as importers name kvm_sys_access traps), usage errors.
. "$ROOT/tests/lib.sh"
"$NVTRACE" regs --arch v8.4 --csv > "$TMP/v84.csv"
eq "regs exits 0" "$?" 0
eq "CSV header" "$(head -1 "$TMP/v84.csv")" "name,op0,op1,crn,crm,op2,el,class,fate"
eq "HCR_EL2 row" "$(grep '^HCR_EL2,' "$TMP/v84.csv")" "HCR_EL2,3,4,1,1,0,EL2,hyp,memory"
eq "v8.4: 77 registers with the memory fate (98 VNCR offsets - 21 Linux leaves out)" \
	"$(grep -c ',memory$' "$TMP/v84.csv")" 77
eq "GICH_VMCR is MMIO, no encoding" "$(grep '^GICH_VMCR,' "$TMP/v84.csv")" "GICH_VMCR,-,-,-,-,-,MMIO,gic,trap"
"$NVTRACE" regs --arch v8.3 --csv > "$TMP/v83.csv"
eq "v8.3: no memory fate" "$(grep -c ',memory$' "$TMP/v83.csv")" 0
eq "v8.3: TTBR0_EL1 traps (non-VHE, TVM)" "$(grep '^TTBR0_EL1,' "$TMP/v83.csv" | cut -d, -f9)" trap
"$NVTRACE" regs --arch v8.3 --guest kvm-vhe --csv > "$TMP/vhe.csv"
eq "v8.3 with a VHE guest: TTBR0_EL1 native" "$(grep '^TTBR0_EL1,' "$TMP/vhe.csv" | cut -d, -f9)" native
eq "find by encoding 3,5,14,3,1" "$("$NVTRACE" regs --find 3,5,14,3,1 --csv | tail -1 | cut -d, -f1)" CNTV_CTL_EL02
eq "find by name" "$("$NVTRACE" regs --arch neve --find esr_el2 --csv | tail -1)" "ESR_EL2,3,4,5,2,0,EL2,hyp,redirect"
"$NVTRACE" regs --arch neve > "$TMP/text"
check "text form names the redirect target" grep -q '^ESR_EL2 .*redirect:ESR_EL1' "$TMP/text"
# Every register the real arm64 trace names (kvm_sys_access prints name and
# encoding) is in the table under the same name, found by its encoding.
trace="$REF/real-arm64-nv/l1-at-vel2.trace.txt.xz"
if [ -f "$trace" ] && command -v xz > /dev/null; then
	xz -dc "$trace" | grep -o 'kvm_sys_access: PC: [0-9a-f]* [A-Z_0-9]* ([0-9,]*)' |
		awk '{ print $4, $5 }' | sort -u > "$TMP/named"
	bad=0; n=0
	while read -r name enc; do
		n=$((n + 1))
		enc=$(echo "$enc" | tr -d '()')
		got=$("$NVTRACE" regs --find "$enc" --csv | tail -1 | cut -d, -f1)
		want=$(echo "$name" | sed -e 's/^SYS_//' -e 's/^OP_//')
		[ "$got" = "$want" ] || { bad=$((bad + 1)); echo "#   $name $enc -> '$got'"; }
	done < "$TMP/named"
	eq "the real trace names 22 distinct registers" "$n" 22
	eq "each is found by its encoding under the same name" "$bad" 0
else
	skip "real trace names" "no $trace or no xz"
fi
"$NVTRACE" regs --find NOPE_EL2 2> "$TMP/err"; eq "unknown register exits 1" "$?" 1
"$NVTRACE" regs --arch v9 2> "$TMP/err"; eq "unknown arch exits 2" "$?" 2
eq "unknown arch: one line" "$(wc -l < "$TMP/err" | tr -d ' ')" 1
"$NVTRACE" regs --guest nope 2> "$TMP/err"; eq "unknown guest exits 2" "$?" 2
eq "unknown guest: one line" "$(wc -l < "$TMP/err" | tr -d ' ')" 1
"$NVTRACE" regs extra 2> /dev/null; eq "stray argument exits 2" "$?" 2
done_testing
