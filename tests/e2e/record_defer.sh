# The reader's priority (collector/record_defer.c): idle while the kernel buffer has
# room, COMMAND untouched; on a host with no idle core a buffer that fills lifts the
# reader before it overflows, and nothing is lost.
. "$ROOT/tests/lib.sh"
export LSAN_OPTIONS="suppressions=$ROOT/tests/lsan.supp:print_suppressions=0${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
. "$ROOT/tests/record_lib.sh"
need_record "the reader's priority"
policy() { awk '$1 == "policy" { print $3 }' "$1"; }
for be in $(backends); do
	# SCHED_IDLE is 5, SCHED_OTHER 0 (linux/sched.h); COMMAND reads both after the start
	"$NVTRACE" record -b "$be" -o "$TMP/p-$be.db" -- sh -c \
		"sleep 1; cat /proc/\$PPID/sched > '$TMP/reader'; cat /proc/\$\$/sched > '$TMP/cmd'" \
		> /dev/null 2> "$TMP/err"
	eq "$be: record exits 0" "$?" 0
	eq "$be: the reader is SCHED_IDLE while it records" "$(policy "$TMP/reader")" 5
	eq "$be: COMMAND is SCHED_OTHER" "$(policy "$TMP/cmd")" 0
	check "$be: the summary says so" grep -q "the reader was idle while it had room, lifted 0 times" "$TMP/err"

	# one core kept busy, a buffer the guest's events overfill: they lift the reader,
	# with a quarter of the buffer left (~100 ms of this guest's events at 16 MiB)
	# while it starts to read. BPF: 16 MiB, ~30 MB of events; tracefs (16 MiB a CPU:
	# its reader sleeps 100 ms between reads): ~30 MB on the guest's CPU
	if [ "$be" = bpf ]; then mb=16 pio=100000; else mb=32 pio=160000; fi
	sh -c 'while :; do :; done' &
	spin=$!
	"$NVTRACE" record -b "$be" --buffer-size $mb -o "$TMP/l-$be.db" -- "$NVGUEST" --pio $pio \
		> /dev/null 2> "$TMP/err"
	rc=$?
	kill "$spin"
	wait "$spin" 2> /dev/null
	eq "$be: loaded, $mb MiB buffer: record exits 0" "$rc" 0
	lifts=$(sed -n 's/.*lifted \([0-9]*\) times.*/\1/p' "$TMP/err")
	check "$be: the filling buffer lifted the reader ($lifts times)" [ "${lifts:-0}" -ge 1 ]
	eq "$be: nothing lost" "$(meta "$TMP/l-$be.db" lost_events)" 0
	eq "$be: every port write" "$(count "$TMP/l-$be.db" kvm_pio)" $pio
	eq "$be: every exit to user space" "$(count "$TMP/l-$be.db" kvm_userspace_exit)" $((pio + 1))
done
"$NVTRACE" record --buffer-size 0 -o "$TMP/z.db" -- true > /dev/null 2> "$TMP/err"
eq "--buffer-size 0: usage error" "$?" 2
done_testing
