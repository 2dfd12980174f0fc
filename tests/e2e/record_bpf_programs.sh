# The BPF backend's two kinds of program and its per-CPU batches.
# An argument program builds an event's entry from the tracepoint's
# arguments; a classic one copies the entry the kernel built.  Both must give
# every field of every event exactly as the kernel's own tracefs buffer does,
# so the same guest run is recorded three ways with --all-fields and the text
# of every field compared, event by event.  The guest's code segment gets a
# base (0x800) so that kvm_emulate_insn's csbase, which the argument program
# reads from kvm_pvm's vCPU, is not a zero that any wrong read would give.
. "$ROOT/tests/lib.sh"
export LSAN_OPTIONS="suppressions=$ROOT/tests/lsan.supp:print_suppressions=0${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
. "$ROOT/tests/record_lib.sh"
need_record "BPF argument programs"
if [ ! -r /sys/kernel/btf/vmlinux ]; then
	skip "BPF argument programs" "no BTF (/sys/kernel/btf/vmlinux)"; done_testing; exit 0
fi
GUEST="--pio 300 --mmio 70 --hlt 3 --cpuid 20 --msr 10 --cs-base 0x800"
EVENTS="-e kvm_pio -e kvm_mmio -e kvm_userspace_exit -e kvm_emulate_insn -e kvm_cpuid -e kvm_msr"
rows() {
	sql "$1" "SELECT n.name || ' ' || r.fields FROM events e JOIN event_names n ON n.id = e.name_id
	          JOIN event_raw r ON r.event_id = e.id ORDER BY e.ts, e.id"
}
for way in args classic tracefs; do
	case $way in
	args) opts="-b bpf" ;;
	classic) opts="-b bpf --bpf-classic" ;;
	tracefs) opts="-b tracefs" ;;
	esac
	"$NVTRACE" record -q --all-fields $opts $EVENTS -o "$TMP/$way.db" -- "$NVGUEST" $GUEST > /dev/null 2>&1
	eq "$way: record exits 0" "$?" 0
	rows "$TMP/$way.db" > "$TMP/$way.txt"
	eq "$way: every event has its fields" "$(wc -l < "$TMP/$way.txt")" "$(sql "$TMP/$way.db" 'SELECT count(*) FROM events')"
done
# which events had argument programs (in -e order): the loader checked each
# tracepoint's arguments in this kernel's BTF; kvm_emulate_insn needs kvm_pvm
want="kvm_pio kvm_mmio kvm_userspace_exit kvm_cpuid kvm_msr"
[ -d /sys/module/kvm_pvm ] && want="kvm_pio kvm_mmio kvm_userspace_exit kvm_emulate_insn kvm_cpuid kvm_msr"
eq "args: events recorded by argument programs" "$(meta "$TMP/args.db" bpf_arg_programs)" "$want"
eq "classic: no argument programs" "$(meta "$TMP/classic.db" bpf_arg_programs)" ""
check "args: kvm_pio with all fields" grep -qx 'kvm_pio rw=1 port=0x10 size=1 count=1 val=0x0' "$TMP/args.txt"
eq "args: every csbase is the guest's 0x800" \
	"$(grep -c '^kvm_emulate_insn .* csbase=800 ' "$TMP/args.txt")" "$(grep -c '^kvm_emulate_insn ' "$TMP/args.txt")"
eq "args: the failed ud2 at the end" "$(grep -c '^kvm_emulate_insn .*insn=ARRAY\[0f, 0b,.* failed=1$' "$TMP/args.txt")" 1
eq "args: 70 distinct MMIO values" "$(grep '^kvm_mmio ' "$TMP/args.txt" | sort -u | wc -l)" 70
for way in args classic; do
	if cmp -s "$TMP/$way.txt" "$TMP/tracefs.txt"; then
		ok "$way: every field of all $(wc -l < "$TMP/$way.txt") events as in the tracefs buffer"
	else
		not_ok "$way: every field of every event as in the tracefs buffer"
		diff "$TMP/$way.txt" "$TMP/tracefs.txt" | head -5 | sed 's/^/#   /'
	fi
done

# fewer events than a batch holds: they wait in the CPU's batch until the
# stop, and the stop must still deliver every one
"$NVTRACE" record -q -b bpf -o "$TMP/few.db" -- "$NVGUEST" --pio 5 > /dev/null 2>&1
eq "a part batch: record exits 0" "$?" 0
eq "a part batch: all 5 kvm_pio" "$(count "$TMP/few.db" kvm_pio)" 5
eq "a part batch: all 6 user-space exits" "$(count "$TMP/few.db" kvm_userspace_exit)" 6
done_testing
