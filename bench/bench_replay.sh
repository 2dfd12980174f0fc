#!/bin/sh
# Replay speed, storage and memory on both workload shapes, side by side:
#   memcached  single-level, 4 vCPUs, $BENCH_MC_SECONDS s (default 30): ~3.4
#              events per exit, so the model's per-exit work dominates
#   hypercall  nested on an ARMv8.4 host, 2 vCPUs, 3.1 s: ~110 events per
#              nested exit (the real trace has ~95), so reading dominates
# For each: events and bytes per event as synthesised; the ceiling: SQLite
# scanning the same file in storage order (type, ts, pid of every row, the
# stock library, bench/scan_ceiling.c); replay of vm,v8.3,neve,v8.4 in one
# pass with -j 1 (events/s, per architecture = events x 4 / CPU s, ratio to
# the ceiling, and the CPU per nested exit and architecture beyond the
# ceiling = (replay CPU - ceiling CPU) / exits / 4: model, reconstruction,
# the other columns and the rows written); with -j (the machine's cores): wall time and whether
# the results are the same as -j 1's; -j 1 with the per-exit memo off
# (NVTRACE_REPLAY_MEMO=0, same results); peak RSS at 1/8 and the full size
# (flat = does not grow with the run); bytes per event after the replay.
# Floor: 5,000,000 events/s per architecture.  CPU s = user + sys (the
# machine is shared: wall time depends on the neighbours).
NV=${NVTRACE:-build/nvtrace}
ROOT=${ROOT:-$(cd "$(dirname "$0")/.." && pwd)}
MC_S=${BENCH_MC_SECONDS:-30}
GUEST=${GUEST:-kvm-2017-nvhe}
CORES=$(nproc)
dir=$(mktemp -d /tmp/nvtrace-bench-replay.XXXXXX)
trap 'rm -rf "$dir"' EXIT
export NVTRACE_WORKLOADS="$ROOT/examples/workloads"
cc -std=c11 -O2 -o "$dir/scan_ceiling" "$ROOT/bench/scan_ceiling.c" \
	$(pkg-config --cflags --libs sqlite3) || { echo "   cannot build scan_ceiling"; exit 1; }

# time_cmd OUT CMD...: "CPU-seconds wall-seconds peak-KB" into OUT
time_cmd() {
	out=$1; shift
	/usr/bin/time -f "%U %S %e %M" -o "$out" "$@" > /dev/null 2>&1 || return 1
	read u sy w kb < "$out"
	echo "$(echo "$u + $sy" | bc) $w $kb" > "$out"
}
# results DB: md5 of every stored figure of the replay
results() {
	sqlite3 "$1" "SELECT * FROM nested_exits ORDER BY seq; SELECT * FROM kind_totals ORDER BY 2, 3;
		SELECT * FROM trap_totals ORDER BY 2, 3;
		SELECT events, exits, incomplete_start, incomplete_end, unmatched FROM replays" | md5sum
}
size() { stat -c %s "$1"; }

for shape in memcached hypercall; do
	for part in small full; do
		case $shape in
		memcached) s=$MC_S; [ $part = small ] && s=$(echo "$MC_S / 8" | bc -l)
			args="-w memcached --vcpus 4 -d $s" ;;
		hypercall) s=3.1; [ $part = small ] && s=0.3875
			args="-w hypercall --vcpus 2 -d $s --arch-host v8.4 --guest $GUEST" ;;
		esac
		db="$dir/$shape-$part.db"
		"$NV" synth $args -o "$db" > /dev/null || exit 1
		ev=$(sqlite3 "$db" "SELECT value FROM meta WHERE key = 'events'")
		bytes=$(size "$db")
		cp "$db" "$dir/j.db"
		time_cmd "$dir/t1" "$NV" replay "$db" -j 1 --guest "$GUEST" --arch vm,v8.3,neve,v8.4 ||
			time_cmd "$dir/t1" "$NV" replay "$db" --guest "$GUEST" --arch vm,v8.3,neve,v8.4 ||
			{ echo "   replay failed"; exit 1; }
		read s1 w1 kb1 < "$dir/t1"
		if [ $part = small ]; then
			small_kb=$kb1
			continue
		fi
		exits=$(sqlite3 "$db" "SELECT exits FROM replays")
		set -- $("$dir/scan_ceiling" "$dir/j.db")
		scan_s=$2
		printf '%s: %d events, %d nested exits (%.1f events/exit), %.1f bytes/event as synthesised\n' \
			$shape "$ev" "$exits" "$(echo "$ev / $exits" | bc -l)" "$(echo "$bytes / $ev" | bc -l)"
		printf '  ceiling: SQLite storage-order scan %.2f s CPU, %.2f M rows/s\n' \
			"$scan_s" "$(echo "$ev / $scan_s / 1000000" | bc -l)"
		printf '  replay 4 archs, one pass, -j 1: %.2f s CPU, %.2f M events/s = %.2f of the ceiling;' \
			"$s1" "$(echo "$ev / $s1 / 1000000" | bc -l)" "$(echo "$scan_s / $s1" | bc -l)"
		printf ' %.2f M events/s per architecture (floor 5)\n' "$(echo "$ev * 4 / $s1 / 1000000" | bc -l)"
		printf '  replay CPU beyond the ceiling per nested exit and architecture: %.0f ns (model,\n' \
			"$(echo "($s1 - $scan_s) * 1000000000 / $exits / 4" | bc -l)"
		echo '    reconstruction, the other columns, the rows written; bench_model.sh times the model alone)'
		want=$(results "$db")
		# the per-exit memo off (model/memo.c): what it saves, and the same figures
		cp "$dir/j.db" "$dir/m.db"
		if NVTRACE_REPLAY_MEMO=0 time_cmd "$dir/tm" "$NV" replay "$dir/m.db" -j 1 --guest "$GUEST" \
			--arch vm,v8.3,neve,v8.4; then
			read sm wm kbm < "$dir/tm"
			same=different; [ "$(results "$dir/m.db")" = "$want" ] && same=identical
			printf '  replay -j 1 with the per-exit memo off (NVTRACE_REPLAY_MEMO=0): %.2f s CPU, %.2f M events/s per architecture; results %s\n' \
				"$sm" "$(echo "$ev * 4 / $sm / 1000000" | bc -l)" "$same"
		fi
		if time_cmd "$dir/tj" "$NV" replay "$dir/j.db" -j "$CORES" --guest "$GUEST" \
			--arch vm,v8.3,neve,v8.4; then
			read sj wj kbj < "$dir/tj"
			same=different; [ "$(results "$dir/j.db")" = "$want" ] && same=identical
			printf '  replay -j %d: %.2f s wall (-j 1: %.2f s wall), %.2f s CPU; results %s to -j 1\n' \
				"$CORES" "$wj" "$w1" "$sj" "$same"
		else
			kbj=0; echo "  replay -j $CORES: failed (an nvtrace without -j?)"
		fi
		printf '  peak RSS: replay %d KB at 1/8 of the run, %d KB at the full run; -j %d %d KB\n' \
			"$small_kb" "$kb1" "$CORES" "$kbj"
		time_cmd "$dir/tc" "$NV" compare vm v8.3 neve v8.4 "$db" --guest "$GUEST"
		read sc wc kbc < "$dir/tc"
		after=$(size "$db")
		printf '  compare (stored results): %.2f s CPU, peak RSS %d KB; %.1f bytes/event after the replay, %.1f bytes per stored nested exit\n' \
			"$sc" "$kbc" "$(echo "$after / $ev" | bc -l)" "$(echo "($after - $bytes) / $exits" | bc -l)"
		# one column of the side-by-side table
		eval "t_$shape=\"\$ev|\$exits|\$scan_s|\$s1|\$sm|\$wj|\$w1|\$sj|\$same|\$small_kb|\$kb1|\$bytes|\$after\""
	done
done
# row LABEL FORMAT EXPRESSION: one figure of both shapes, side by side (FORMAT: decimals, or s)
row() {
	label=$1; fmt=$2; expr=$3
	printf '  %-46s' "$label"
	for shape in memcached hypercall; do
		eval "v=\$t_$shape"
		[ -n "$v" ] || { printf ' %18s' -; continue; }
		IFS='|' read ev exits scan_s s1 sm wj w1 sj same small_kb kb1 bytes after <<-END
		$v
		END
		case $fmt in
		s) printf ' %18s' "$(eval "echo $expr")" ;;
		*) printf " %18.${fmt}f" "$(eval "echo \"$expr\"" | bc -l)" ;;
		esac
	done
	echo
}
echo
printf '  %-46s %18s %18s\n' "side by side" memcached hypercall
row "events" 0 '$ev'
row "nested exits" 0 '$exits'
row "ceiling: storage-order scan, M rows/s" 2 '$ev / $scan_s / 1000000'
row "replay -j 1, CPU s" 2 '$s1'
row "per architecture, M events/s (floor 5)" 2 '$ev * 4 / $s1 / 1000000'
row "replay / ceiling" 2 '$scan_s / $s1'
row "CPU beyond the ceiling per exit and arch, ns" 0 '($s1 - $scan_s) * 1000000000 / $exits / 4'
row "memo off: per architecture, M events/s" 2 '$ev * 4 / $sm / 1000000'
row "-j $CORES: wall s (-j 1: wall s)" s '"$wj ($w1)"'
row "-j $CORES: CPU s, results vs -j 1" s '"$sj $same"'
row "peak RSS KB, 1/8 / full run" s '"$small_kb / $kb1"'
row "bytes/event as synthesised" 1 '$bytes / $ev'
row "bytes/event after the replay" 1 '$after / $ev'
row "bytes per stored nested exit" 1 '($after - $bytes) / $exits'
echo "  machine load: $(cut -d' ' -f1-3 /proc/loadavg) on $CORES cores (shared with other jobs)"
