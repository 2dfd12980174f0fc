# docs/flame.md's figures are what the build prints: every "$ nvtrace ..." line in its
# code blocks runs (in order, in a directory holding the real trace nv-hypercall.dat,
# with nvtrace = the binary under test), exits 0, and the output quoted under it
# appears in the real output, line for line and in order ("..." marks lines left out).
. "$ROOT/tests/lib.sh"
DAT="$REF/real-arm64-nv/nv-hypercall.dat"
if [ ! -f "$DAT" ]; then
	skip "docs/flame.md's commands" "no $DAT"
	done_testing
	exit 0
fi
D="$TMP/doc"
mkdir -p "$D/bin"
ln -s "$NVTRACE" "$D/bin/nvtrace"
ln -s "$DAT" "$D/nv-hypercall.dat"
for doc in flame; do
	ncmd=$(split_quoted "$ROOT/docs/$doc.md")
	check "docs/$doc.md quotes at least 8 commands (has $ncmd)" [ "$ncmd" -ge 8 ]
	i=1
	while [ "$i" -le "$ncmd" ]; do
		c=$(cat "$TMP/cmd.$i")
		a=${ASAN_OPTIONS:-}	# import's leaks are import's tests (libtracecmd's allocations)
		case "$c" in nvtrace\ import\ *) a=detect_leaks=0 ;; esac
		(cd "$D" && PATH="$D/bin:$PATH" ASAN_OPTIONS=$a sh -c "$c") > "$TMP/out" 2>&1
		eq "docs/$doc.md: $c exits 0" "$?" 0
		check "docs/$doc.md: the output quoted under '$c' is real" in_order "$TMP/exp.$i" "$TMP/out"
		i=$((i + 1))
	done
done
done_testing
