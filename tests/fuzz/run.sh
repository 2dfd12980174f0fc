#!/bin/sh
# Run one fuzz target: run.sh FUZZ_BUILD TARGET SECONDS [TIMEOUT].  Its corpus
# grows in FUZZ_BUILD/corpus/TARGET (seeded from FUZZ_BUILD/seeds/TARGET); a
# crash, a sanitizer report or an input slower than TIMEOUT seconds (1) stops it
# with status 1 and an artifact in FUZZ_BUILD/artifacts/.  Prints one summary line.
#
# dat runs in libFuzzer's fork mode: libtracecmd 1.3.1 crashes on some corrupt
# files, and import turns a crash inside the library into its error line and
# exit 1 (crash guard), which would end a plain run.  Fork mode goes on; every
# such input is kept as an artifact, and run.sh sorts them: inputs that end in
# the guard's "cannot read this trace.dat" line are the library's, any other
# (a sanitizer report in nvtrace's code) fails the run.
B=$1; T=$2; S=${3:-60}; TO=${4:-1}
C=${FUZZ_CORPUS:-$B/corpus}	# where the corpus grows (the smoke test uses a scratch one)
mkdir -p "$C/$T" "$B/artifacts"
rm -f "$B/artifacts/$T-"*
case $T in
db) opts="-max_len=65536" ;;
dat) opts="-max_len=200000 -fork=1 -ignore_crashes=1 -ignore_timeouts=0" ;;
text) opts="-max_len=16384" ;;
*) opts="" ;;
esac
# libtracecmd leaks on corrupt files and asks malloc for any size a file says:
# a request over 2 GB gets NULL from ASan (as from a machine without the
# memory) instead of libFuzzer's malloc hook reporting it as our out-of-memory
export ASAN_OPTIONS="allocator_may_return_null=1:max_allocation_size_mb=2048:detect_leaks=$([ "$T" = dat ] && echo 0 || echo 1)"
export LSAN_OPTIONS="suppressions=$(dirname "$0")/../lsan.supp:print_suppressions=0"
"$B/fuzz_$T" -max_total_time="$S" -timeout="$TO" -rss_limit_mb=2048 -malloc_limit_mb=4096 -print_final_stats=1 \
	-artifact_prefix="$B/artifacts/$T-" $opts "$C/$T" "$B/seeds/$T" > "$B/fuzz_$T.log" 2>&1
rc=$?
if [ "$T" = dat ]; then	# sort the crashes: the library's (guarded) or ours
	lib=0
	for a in "$B/artifacts/$T-"crash-*; do
		[ -f "$a" ] || continue
		if "$B/fuzz_$T" "$a" 2>&1 | grep -q "cannot read this trace.dat (truncated or corrupt)"; then
			lib=$((lib + 1)); rm -f "$a"
		fi
	done
	left=$(ls "$B/artifacts/$T-"crash-* "$B/artifacts/$T-"timeout-* "$B/artifacts/$T-"leak-* \
		"$B/artifacts/$T-"oom-* 2>/dev/null | wc -l)
	if [ "$left" -eq 0 ]; then rc=0; else rc=1; fi
	echo "fuzz_dat: $lib inputs crashed inside libtracecmd (caught by the guard), $left other findings"
fi
execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$B/fuzz_$T.log" | tail -1)
[ -z "$execs" ] && execs=$(grep -aE '^#[0-9]+' "$B/fuzz_$T.log" | tail -1 | sed 's/^#\([0-9]*\).*/\1/')
last=$(grep -aE '^#[0-9]+' "$B/fuzz_$T.log" | tail -1)
cov=$(echo "$last" | sed -n 's/.*cov: \([0-9]*\).*/\1/p')
ft=$(echo "$last" | sed -n 's/.*ft: \([0-9]*\).*/\1/p')
corp=$(echo "$last" | sed -n 's/.*corp: \([0-9]*\).*/\1/p')
echo "fuzz_$T: ${S}s, ${execs:-?} executions, cov ${cov:-?} edges, ft ${ft:-?}, corpus ${corp:-?}, status $rc"
if [ "$rc" -ne 0 ]; then
	grep -aE 'ERROR|SUMMARY|Test unit written|timeout' "$B/fuzz_$T.log" | head -5
	exit 1
fi
