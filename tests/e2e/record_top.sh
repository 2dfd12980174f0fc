# nvtrace top --once on the real guest: the totals are the guest's exits.
. "$ROOT/tests/lib.sh"
export LSAN_OPTIONS="suppressions=$ROOT/tests/lsan.supp:print_suppressions=0${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
. "$ROOT/tests/record_lib.sh"
need_record "top"
for be in $(backends); do
	"$NVTRACE" top -q --once -b "$be" -- "$NVGUEST" --pio 3000 --mmio 700 --cpuid 20 > "$TMP/top" 2> "$TMP/err"
	eq "$be: top exits 0" "$?" 0
	check "$be: kvm_pio total 3000" grep -Eq '^kvm_pio +3000 ' "$TMP/top"
	check "$be: kvm_mmio total 700" grep -Eq '^kvm_mmio +700 ' "$TMP/top"
	check "$be: kvm_cpuid total 20" grep -Eq '^kvm_cpuid +20 ' "$TMP/top"
	check "$be: kvm_userspace_exit total 3701" grep -Eq '^kvm_userspace_exit +3701 ' "$TMP/top"
done
# live mode, piped: one block a second while the guest runs 2.5 s
"$NVTRACE" top -q -d 3 -- "$NVGUEST" --seconds 2.5 > "$TMP/live" 2>&1
n=$(grep -c '^nvtrace top:' "$TMP/live")
check "live mode printed a block a second ($n)" [ "$n" -ge 2 ]
check "live mode counts port writes per second" grep -Eq '^kvm_pio +[0-9]+ +[1-9][0-9]+$' "$TMP/live"
done_testing
