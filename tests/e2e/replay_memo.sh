# The per-exit memo (model/memo.c) changes no figure: replay with the memo
# (the default), without it (NVTRACE_REPLAY_MEMO=0) and verifying it
# (NVTRACE_REPLAY_MEMO=verify: every remembered result is evaluated again and
# compared; a difference fails the replay) stores the same nested_exits,
# kind_totals and trap_totals rows, on the synthetic memcached run (4 vCPUs,
# -j 1 and -j 2), the nested hypercall run and every real recording in
# ../shared (each skipped, with the reason, where it is missing).
. "$ROOT/tests/lib.sh"
export NVTRACE_WORKLOADS="$ROOT/examples/workloads"
RR="$REF/real-arm64-nv"
# results DB: every stored figure of the replays, in order
results() {
	sql "$1" "SELECT * FROM nested_exits ORDER BY replay_id, seq;
		SELECT * FROM kind_totals ORDER BY 1, 2, 3;
		SELECT * FROM trap_totals ORDER BY 1, 2, 3;
		SELECT events, exits, unmodelled FROM replays ORDER BY id" | md5sum
}
# same NAME DB REPLAY-ARGS...: the three ways give the same tables
same() {
	name=$1 db=$2; shift 2
	for m in 0 1 verify; do
		cp "$db" "$TMP/m-$m.db"
		NVTRACE_REPLAY_MEMO=$m "$NVTRACE" replay "$TMP/m-$m.db" "$@" > "$TMP/m-$m.out" 2> "$TMP/m-$m.err"
		eq "$name: replay with NVTRACE_REPLAY_MEMO=$m exits 0" "$?" 0
	done
	check "$name: replay found nested exits" test "$(sql "$TMP/m-0.db" "SELECT SUM(exits) FROM replays")" -gt 0
	want=$(results "$TMP/m-0.db")
	eq "$name: memo on: the same rows and totals as without" "$(results "$TMP/m-1.db")" "$want"
	eq "$name: memo verified: the same rows and totals as without" "$(results "$TMP/m-verify.db")" "$want"
	eq "$name: memo on: the same summary as without" "$(cat "$TMP/m-1.out")" "$(cat "$TMP/m-0.out")"
}
"$NVTRACE" synth -w memcached --vcpus 4 -d 0.5 -o "$TMP/mc.db" > /dev/null 2>&1
same "memcached -j 1" "$TMP/mc.db" -j 1
same "memcached -j 2" "$TMP/mc.db" -j 2
same "memcached, 4 archs, kvm-2017-nvhe" "$TMP/mc.db" -j 1 --guest kvm-2017-nvhe --arch vm,v8.3,neve,v8.4
"$NVTRACE" synth -w hypercall --vcpus 2 -d 0.02 --arch-host v8.4 -o "$TMP/hc.db" > /dev/null 2>&1
same "hypercall" "$TMP/hc.db" -j 1
for f in nv-hypercall.dat runs/device-io-nohz.dat runs/ipi-nohz.dat runs/hvc-nohz.trace.txt.xz \
	 runs/vtimer-10ms-nohz.trace.txt.xz runs/wfi-1ms.trace.txt.xz; do
	name=$(basename "$f")
	if [ ! -f "$RR/$f" ]; then
		skip "$name: memo changes no figure" "no $RR/$f"
		continue
	fi
	src="$RR/$f"
	case "$f" in *.xz) xz -dc "$src" > "$TMP/real.txt" && src="$TMP/real.txt" ;; esac
	rm -f "$TMP/real.db"
	"$NVTRACE" import "$src" -o "$TMP/real.db" > /dev/null 2>&1
	eq "$name: import exits 0" "$?" 0
	same "$name" "$TMP/real.db" -j 1
	same "$name, kvm-vhe" "$TMP/real.db" -j 1 --guest kvm-vhe
done
done_testing
