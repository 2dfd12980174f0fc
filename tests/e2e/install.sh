# make install PREFIX=... puts a working nvtrace there: it finds its workloads relative
# to itself (not through the PREFIX it was built with), man pages and bash completion
# are installed, nvguest is an example (not on PATH); README commands work from elsewhere.
. "$ROOT/tests/lib.sh"
P="$TMP/prefix"
make -s -C "$ROOT" BUILD="$BUILD" PREFIX="$P" install-files > "$TMP/make.out" 2>&1
eq "make install-files PREFIX=$P (make install without the build) exits 0" "$?" 0
NV="$P/bin/nvtrace"
check "bin/nvtrace installed" [ -x "$NV" ]
eq "bin/ holds nvtrace only (nvguest is not on PATH)" "$(ls "$P/bin" | tr '\n' ' ')" "nvtrace "
if [ -x "$ROOT/$BUILD/nvguest" ]; then
	check "nvguest is under share/nvtrace/examples" [ -x "$P/share/nvtrace/examples/nvguest" ]
else
	skip "nvguest under share/nvtrace/examples" "nvguest not built"
fi
check "workloads installed" [ -f "$P/share/nvtrace/examples/workloads/netperf-rr.txt" ]
mkdir -p "$TMP/elsewhere"
cd "$TMP/elsewhere" || exit 1
"$NV" synth --workload netperf-rr -d 0.01 --arch-host v8.4 -o n.db > "$TMP/out" 2>&1
eq "installed: synth --workload netperf-rr from another directory" "$?" 0
"$NV" compare n.db > "$TMP/out" 2>&1
eq "installed: compare RUN.db" "$?" 0
check "installed: compare names the guest in its header" grep -q "guest kvm-vhe (the synthetic run's)" "$TMP/out"
"$NV" stat n.db > /dev/null; eq "installed: stat" "$?" 0
"$NV" explain hvc --guest kvm-2017-nvhe --csv > "$TMP/ex.csv"
eq "installed: explain (built-in profiles)" "$(awk -F, '$5 == "trap"' "$TMP/ex.csv" | wc -l | tr -d ' ')" 126
NVH="$REF/real-arm64-nv/nv-hypercall.dat"
if [ -f "$NVH" ]; then
	ASAN_OPTIONS=detect_leaks=0 "$NV" import "$NVH" -o nv.db > /dev/null 2>&1
	eq "installed: import the real trace" "$?" 0
	"$NV" validate nv.db > /dev/null 2>&1; eq "installed: validate" "$?" 0
	"$NV" flame nv.db -o nv.svg 2> /dev/null; eq "installed: flame (replays first)" "$?" 0
else
	skip "installed: the real trace" "no $NVH"
fi
for m in nvtrace nvtrace-stat nvtrace-compare nvtrace-export; do
	check "man page $m.1 installed" [ -s "$P/share/man/man1/$m.1" ]
done
if command -v man > /dev/null; then
	check "man -l nvtrace-compare.1 renders its options" \
		sh -c "MANWIDTH=80 man -l '$P/share/man/man1/nvtrace-compare.1' 2>/dev/null | grep -q -- '--guest G'"
else
	skip "man -l" "no man"
fi
C="$P/share/bash-completion/completions/nvtrace"
check "bash completion installed" [ -s "$C" ]
eq "completion completes a command" \
	"$(bash -c ". '$C'; COMP_WORDS=(nvtrace syn); COMP_CWORD=1; _nvtrace; echo \"\${COMPREPLY[*]}\"")" "synth"
# the README's tour, every command and quoted output, with the installed binary
NVTRACE="$NV" sh "$ROOT/tests/e2e/readme.sh" > "$TMP/readme.tap" 2>&1
eq "README tour with the installed nvtrace: exit 0, no failure" \
	"$?:$(grep -c '^not ok' "$TMP/readme.tap")" "0:0"
done_testing
