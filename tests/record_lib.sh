# Helpers for the record/top end-to-end tests (sourced after tests/lib.sh).
# need_record: skip everything (with the reason) where recording cannot run.
need_record() {
	why=""
	if [ "$(id -u)" -ne 0 ]; then why="not root"
	elif [ ! -c /dev/kvm ]; then why="no /dev/kvm"
	elif [ ! -d /sys/kernel/tracing/events/kvm ]; then why="no tracefs with KVM events"
	elif [ ! -x "$NVGUEST" ]; then why="no nvguest built"
	fi
	if [ -n "$why" ]; then
		skip "$1" "$why"
		done_testing
		exit 0
	fi
}
# The backends to test: tracefs always, bpf where the kernel has BTF.
backends() {
	if [ -r /sys/kernel/btf/vmlinux ]; then echo "bpf tracefs"; else echo tracefs; fi
}
# count DB EVENT [CONDITION]: events of that name (and condition) in a run db.
count() {
	sql "$1" "SELECT count(*) FROM events e JOIN event_names n ON n.id = e.name_id
	          WHERE n.name = '$2' ${3:+AND $3}"
}
meta() { sql "$1" "SELECT value FROM meta WHERE key = '$2'"; }
# wait_recording ERRFILE: until nvtrace says it records (start-up is slow under ASan).
wait_recording() {
	for i in $(seq 200); do
		grep -q '^nvtrace: recording with' "$1" 2> /dev/null && return 0
		sleep 0.1
	done
	return 1
}
