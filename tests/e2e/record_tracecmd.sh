# nvtrace record and the trace-cmd path (a tracefs instance + trace-cmd
# extract, which is what works here: tracing-here.md) see the same guest run
# the same way: the same count for every event name.
. "$ROOT/tests/lib.sh"
export LSAN_OPTIONS="suppressions=$ROOT/tests/lsan.supp:print_suppressions=0${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
. "$ROOT/tests/record_lib.sh"
need_record "record vs trace-cmd"
if ! command -v trace-cmd > /dev/null; then
	skip "record vs trace-cmd" "no trace-cmd"; done_testing; exit 0
fi
EVENTS="kvm_pio kvm_mmio kvm_userspace_exit kvm_emulate_insn kvm_cpuid kvm_msr"
GUEST="--pio 2000 --mmio 500 --hlt 30 --cpuid 40 --msr 50"

# the trace-cmd path: our own instance, the guest's pid filtered by the
# shell that execs it, then trace-cmd extract and trace-cmd report
inst=nvtrace-test-tc-$$
dir=/sys/kernel/tracing/instances/$inst
mkdir "$dir"
echo 0 > "$dir/tracing_on"
for e in $EVENTS; do echo 1 > "$dir/events/kvm/$e/enable"; done
echo 1 > "$dir/options/event-fork"
sh -c "echo \$\$ > $dir/set_event_pid; echo 1 > $dir/tracing_on; exec $NVGUEST $GUEST" > /dev/null
echo 0 > "$dir/tracing_on"
trace-cmd extract -B "$inst" -o "$TMP/tc.dat" > "$TMP/extract.log" 2>&1
[ -d "$dir" ] && rmdir "$dir"	# trace-cmd extract removes the instance itself
trace-cmd report -i "$TMP/tc.dat" 2> $TMP/rep.err |
	awk '{ for (i = 1; i <= NF; i++) if ($i ~ /^kvm_[a-z_]+:$/) { sub(":", "", $i); n[$i]++; break } }
	     END { for (e in n) print e, n[e] }' | sort > "$TMP/want"
check "trace-cmd saw the guest's port writes" grep -qx 'kvm_pio 2000' "$TMP/want"

for be in $(backends); do
	set -- ; for e in $EVENTS; do set -- "$@" -e "$e"; done
	"$NVTRACE" record -q -b "$be" "$@" -o "$TMP/$be.db" -- $NVGUEST $GUEST > /dev/null 2>&1
	eq "$be: record exits 0" "$?" 0
	sql "$TMP/$be.db" "SELECT n.name || ' ' || count(*) FROM events e
	                   JOIN event_names n ON n.id = e.name_id GROUP BY n.name" | sort > "$TMP/got"
	if cmp -s "$TMP/got" "$TMP/want"; then ok "$be: same counts per event as trace-cmd"
	else not_ok "$be: same counts per event as trace-cmd"; diff "$TMP/got" "$TMP/want" | sed 's/^/#   /'; fi
done
# the guest is deterministic: both backends must decode every event of it the
# same way (all columns but time, cpu and thread)
if [ -f "$TMP/bpf.db" ]; then
	q="SELECT n.name, e.vcpu, e.reason, e.ec, e.sysreg, e.dir, e.mode, e.pc, e.addr, e.value, e.aux
	   FROM events e JOIN event_names n ON n.id = e.name_id ORDER BY e.ts, e.id"
	sql "$TMP/bpf.db" "$q" > "$TMP/rows-bpf"
	sql "$TMP/tracefs.db" "$q" > "$TMP/rows-tracefs"
	check "bpf and tracefs decode every event alike ($(wc -l < "$TMP/rows-bpf") rows)" \
		cmp -s "$TMP/rows-bpf" "$TMP/rows-tracefs"
fi
done_testing
