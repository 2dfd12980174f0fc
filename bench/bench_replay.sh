#!/bin/sh
# Replay speed and memory: a synthetic nested run (hypercall, 2 vCPUs, recorded
# as an ARMv8.4 host would: ~110 events per nested exit, like the real trace's
# ~95) of two sizes, >= 10 million events for the big one.  Prints events/s of
# the 4-architecture replay (one pass), events/s per architecture (each replayed
# alone), and peak RSS for both sizes (flat = does not grow with the run).
# Floor: 5,000,000 events/s per architecture on one core.  Rates are per CPU
# second (user+sys) of the one-threaded replay.
NV=${NVTRACE:-build/nvtrace}
GUEST=${GUEST:-kvm-2017-nvhe}
dir=$(mktemp -d /tmp/nvtrace-bench-replay.XXXXXX)
trap 'rm -rf "$dir"' EXIT

# time_cmd OUT CMD...: CPU seconds (user+sys: the machine is shared, wall time
# depends on the neighbours), wall seconds and peak KB into OUT
time_cmd() {
	out=$1; shift
	/usr/bin/time -f "%U %S %e %M" -o "$out" "$@" > /dev/null 2>&1
	read u sy w kb < "$out"
	echo "$(echo "$u + $sy" | bc) $w $kb" > "$out"
}

for size in small big; do
	case $size in small) secs=0.75 ;; big) secs=3.1 ;; esac
	db="$dir/$size.db"
	t0=$(date +%s.%N)
	"$NV" synth -w hypercall -n 2 -s $secs --arch-host v8.4 --guest "$GUEST" -o "$db" > /dev/null || exit 1
	t1=$(date +%s.%N)
	ev=$(sqlite3 "$db" "SELECT value FROM meta WHERE key = 'events'")
	printf '%s run: %d events (synth %.1f s)\n' $size "$ev" "$(echo "$t1 - $t0" | bc)"
	time_cmd "$dir/t" "$NV" replay "$db" --guest "$GUEST" --arch vm,v8.3,neve,v8.4
	read s w kb < "$dir/t"
	printf '  replay vm,v8.3,neve,v8.4 in one pass: %.2f s CPU (%.2f s wall), %.2f M events/s,' "$s" "$w" "$(echo "$ev / $s / 1000000" | bc -l)"
	printf ' %.2f M events/s per architecture (events x 4 / s), peak RSS %d KB\n' \
		"$(echo "$ev * 4 / $s / 1000000" | bc -l)" "$kb"
	[ $size = big ] || continue
	for a in vm v8.3 neve v8.4; do
		time_cmd "$dir/t" "$NV" replay "$db" --guest "$GUEST" --arch $a
		read s w kb < "$dir/t"
		printf '  replay %-4s alone: %.2f s CPU (%.2f s wall), %.2f M events/s, peak RSS %d KB\n' \
			$a "$s" "$w" "$(echo "$ev / $s / 1000000" | bc -l)" "$kb"
	done
done
