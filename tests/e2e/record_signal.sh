# SIGINT in the middle of a recording: the database opens, says it was
# stopped by a signal, and holds every event received before the stop.
# With -- COMMAND, nvtrace passes the signal on and reads to the command's
# end, so the db must hold exactly the port writes the guest reports.
# Without a command (whole system), a guest that finished before the signal
# must be in the db in full.
. "$ROOT/tests/lib.sh"
export LSAN_OPTIONS="suppressions=$ROOT/tests/lsan.supp:print_suppressions=0${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
. "$ROOT/tests/record_lib.sh"
need_record "SIGINT during record"
for be in $(backends); do
	db="$TMP/s-$be.db"
	"$NVTRACE" record -q -b "$be" -o "$db" -- "$NVGUEST" --loop > "$TMP/g" 2> "$TMP/err" &
	rec=$!
	sleep 4	# start-up (slow under ASan), then the guest runs
	kill -INT "$rec"
	wait "$rec"
	eq "$be: record exits 0 after SIGINT" "$?" 0
	pio=$(sed -n 's/^nvguest: pio \([0-9]*\) .*/\1/p' "$TMP/g")
	check "$be: the guest ran ($pio port writes)" [ "${pio:-0}" -gt 1000 ]
	eq "$be: status" "$(meta "$db" status)" "stopped by signal"
	eq "$be: nothing lost" "$(meta "$db" lost_events)" 0
	eq "$be: every port write the guest made" "$(count "$db" kvm_pio)" "$pio"
	eq "$be: every KVM_EXIT_IO" "$(count "$db" kvm_userspace_exit 'reason = 2')" "$pio"
	eq "$be: events meta matches the rows" "$(meta "$db" events)" "$(sql "$db" 'SELECT count(*) FROM events')"
	"$NVTRACE" stat "$db" > /dev/null 2>&1
	eq "$be: stat opens it" "$?" 0

	# whole system, stopped by SIGINT after a guest of known size ran
	db="$TMP/w-$be.db"	# record never replaces an existing file
	"$NVTRACE" record -b "$be" -e kvm_pio -o "$db" 2> "$TMP/err" &
	rec=$!
	wait_recording "$TMP/err"
	"$NVGUEST" --pio 5000 > /dev/null &
	guest=$!
	wait "$guest"
	sleep 0.3
	kill -INT "$rec"
	wait "$rec"
	eq "$be: whole-system record exits 0" "$?" 0
	eq "$be: whole-system status" "$(meta "$db" status)" "stopped by signal"
	eq "$be: all 5000 port writes of the guest" "$(count "$db" kvm_pio "pid = $guest")" 5000
done
done_testing
