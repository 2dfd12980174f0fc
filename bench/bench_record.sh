#!/bin/sh
# Recording overhead and throughput (make bench).
# 1. The guest making 200,000 port-I/O exits (examples/guest; ~1.2 M KVM
#    events with kvm_emulate_insn, since this backend emulates every guest
#    instruction), each way in the same run: no tracing, nvtrace record
#    (bpf; bpf with classic tracepoint programs only, to show what the
#    argument programs and batches save; tracefs), and a tracefs instance + trace-cmd extract
#    (the trace-cmd path that works here), and that path followed by
#    `nvtrace import` (the same end product: a run database).  Twice: on a
#    quiet machine, then loaded (a CPU-bound process beside it, so no core is
#    idle: the recorder's reader waits, SCHED_IDLE, while the kernel buffer has
#    room; the events lost are printed for both).  The ways are interleaved, 5 rounds, median, since other work on this 2-CPU machine
#    makes single runs noisy.  "guest s" is the guest's own run time (what
#    tracing slows down); "total s" is the whole command, set-up, extract and
#    import included.  Floor: BPF adds less to the guest than trace-cmd.
# 2. Sustained events/s each backend records, with the lost count: two
#    guests on the two CPUs for 4 s.
ROOT=${ROOT:-$(cd "$(dirname "$0")/.." && pwd)}
NVTRACE=${NVTRACE:-$ROOT/build/nvtrace}
NVGUEST=${NVGUEST:-$ROOT/build/nvguest}
W=$(mktemp -d)
T=/sys/kernel/tracing
INST=nvtrace-record-bench-$$
trap 'rmdir $T/instances/$INST 2>/dev/null; rm -rf "$W"' EXIT
if [ "$(id -u)" != 0 ] || [ ! -c /dev/kvm ] || ! command -v trace-cmd > /dev/null; then
	echo "   skip: needs root, /dev/kvm and trace-cmd (no /dev/kvm on this machine: neither the"
	echo "   quiet nor the loaded case, a CPU-bound process beside the guest, can run here)"; exit 0
fi
N=200000
EVENTS="kvm_pio kvm_mmio kvm_userspace_exit kvm_emulate_insn kvm_cpuid kvm_msr kvm_hypercall kvm_exit kvm_entry"

now() { date +%s.%N; }
# guest seconds, as nvguest prints them ("| 1.791 s")
guest_s() { sed -n 's/.*| \([0-9.]*\) s$/\1/p' "$1"; }

run_none() { "$NVGUEST" --pio $N > "$W/g"; }
run_bpf() { "$NVTRACE" record -q -b bpf --force -o "$W/b.db" -- "$NVGUEST" --pio $N > "$W/g"; }
run_bpfclassic() { "$NVTRACE" record -q -b bpf --bpf-classic --force -o "$W/c.db" -- "$NVGUEST" --pio $N > "$W/g"; }
run_tracefs() { "$NVTRACE" record -q -b tracefs --force -o "$W/t.db" -- "$NVGUEST" --pio $N > "$W/g"; }
run_tracecmd() {
	I=$T/instances/$INST
	mkdir $I && echo 0 > $I/tracing_on && echo 65536 > $I/buffer_size_kb
	for e in $EVENTS; do [ -d $I/events/kvm/$e ] && echo 1 > $I/events/kvm/$e/enable; done
	echo 1 > $I/options/event-fork
	sh -c "echo \$\$ > $I/set_event_pid; echo 1 > $I/tracing_on; exec $NVGUEST --pio $N" > "$W/g"
	echo 0 > $I/tracing_on
	trace-cmd extract -B $INST -o "$W/tc.dat" > /dev/null 2>&1
	rmdir $I 2> /dev/null
}
run_import() { run_tracecmd; "$NVTRACE" import "$W/tc.dat" --force -o "$W/i.db" > /dev/null 2>&1; }
median() { sort -n | sed -n 3p; }
WAYS="none bpf bpfclassic tracefs tracecmd import"

# rounds CASE: the 5 interleaved rounds of every way, the medians, the floor
rounds() {
	echo "   $1:"
	printf '   %-22s %9s %9s %9s %9s\n' "200,000 pio exits" "guest s" "ratio" "total s" "ratio"
	for way in $WAYS; do : > "$W/gs-$way"; : > "$W/ts-$way"; done
	for round in 1 2 3 4 5; do
		for way in $WAYS; do
			t0=$(now); run_$way; t1=$(now)
			guest_s "$W/g" >> "$W/gs-$way"
			echo "$t1 - $t0" | bc -l >> "$W/ts-$way"
		done
	done
	for way in $WAYS; do
		eval "g_$way=$(median < "$W/gs-$way")"
		eval "t_$way=$(median < "$W/ts-$way")"
	done
	for way in $WAYS; do
		eval "g=\$g_$way; t=\$t_$way"
		printf '   %-22s %9.3f %8.2fx %9.3f %8.2fx\n' "$way" "$g" "$(echo "$g / $g_none" | bc -l)" \
			"$t" "$(echo "$t / $t_none" | bc -l)"
	done
	for way in $WAYS; do echo "   guest s, each round, $way: $(tr '\n' ' ' < "$W/gs-$way")"; done
	echo "   events lost (last round): bpf $(sqlite3 "$W/b.db" "SELECT value FROM meta WHERE key = 'lost_events'")," \
		"tracefs $(sqlite3 "$W/t.db" "SELECT value FROM meta WHERE key = 'lost_events'")"
	if [ "$(echo "$g_bpf <= $g_tracecmd" | bc -l)" = 1 ]; then
		echo "   floor met ($1): bpf adds $(echo "$g_bpf - $g_none" | bc -l | cut -c1-6) s to the guest, trace-cmd $(echo "$g_tracecmd - $g_none" | bc -l | cut -c1-6) s"
	else
		echo "   FLOOR MISSED ($1): bpf adds more to the guest than trace-cmd"
	fi
}
rounds "quiet"
# A loaded host: a CPU-bound process beside every way (none included), so the
# recorder's reader competes with the guest for the one core left.
sh -c 'while :; do :; done' &
spin=$!
trap 'kill $spin 2>/dev/null; rmdir $T/instances/$INST 2>/dev/null; rm -rf "$W"' EXIT
rounds "loaded: a CPU-bound process beside it"
kill $spin 2>/dev/null
wait $spin 2>/dev/null
events=$(sqlite3 "$W/b.db" "SELECT value FROM meta WHERE key = 'events'")
echo "   events per run: $events (bpf db)"

echo "   sustained, two guests on two CPUs for 4 s:"
printf '   %-10s %12s %12s %8s %10s\n' backend events events/s lost "peak RSS"
for be in bpf tracefs; do
	/usr/bin/time -f "%M" -o "$W/rss" "$NVTRACE" record -q -b $be --force -o "$W/s.db" -- \
		sh -c "$NVGUEST --seconds 4 --quiet & $NVGUEST --seconds 4 --quiet; wait" 2> /dev/null
	ev=$(sqlite3 "$W/s.db" "SELECT value FROM meta WHERE key = 'events'")
	lost=$(sqlite3 "$W/s.db" "SELECT value FROM meta WHERE key = 'lost_events'")
	span=$(sqlite3 "$W/s.db" "SELECT (max(ts) - min(ts)) / 1e9 FROM events")
	printf '   %-10s %12s %12.0f %8s %8s KB\n' $be "$ev" "$(echo "$ev / $span" | bc -l)" "$lost" "$(tail -1 "$W/rss")"
done
