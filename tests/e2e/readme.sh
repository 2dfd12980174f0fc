# README.md's tour runs as written: every "$ build/nvtrace ..." line in its code blocks
# runs from a checkout-like directory (build/nvtrace = the binary under test, build/demo
# made by scripts/demo.sh as `make demo` does, ../shared = the shared reference), exits 0,
# and the output quoted under it appears in the real output, line for line and in order
# ("..." marks lines left out).
. "$ROOT/tests/lib.sh"

CO="$TMP/co/checkout"
mkdir -p "$CO/build"
ln -s "$NVTRACE" "$CO/build/nvtrace"
ln -s "$ROOT/examples" "$CO/examples"
[ -d "$ROOT/../shared" ] && ln -s "$(cd "$ROOT/../shared" && pwd)" "$TMP/co/shared"
(cd "$CO" && DEMO_DIR=build/demo sh "$ROOT/scripts/demo.sh" build/nvtrace > "$TMP/demo.out" 2>&1)
eq "make demo's script exits 0" "$?" 0
# the demo output quoted in the README (the code block that starts with "== ")
awk '/^```/ { inb = !inb; keep = 0; next } inb && /^== / { keep = 1 } inb && keep' \
	"$ROOT/README.md" > "$TMP/demo.exp"
check "README quotes make demo's output" [ -s "$TMP/demo.exp" ]
check "the make demo output quoted in the README is real" in_order "$TMP/demo.exp" "$TMP/demo.out"

# split the README's code blocks into cmd.N (the command) and exp.N (its quoted output)
ncmd=$(split_quoted "$ROOT/README.md")
check "README quotes at least 15 commands (has $ncmd)" [ "$ncmd" -ge 15 ]

i=1
while [ "$i" -le "$ncmd" ]; do
	c=$(cat "$TMP/cmd.$i")
	case "$c" in
	build/nvtrace\ ui\ *)
		skip "README: $c" "interactive; tests/e2e/ui.sh drives the ui in tmux" ;;
	build/nvtrace\ record\ *)
		skip "README: $c" "records live (root, KVM tracepoints); tests/e2e/record_*.sh" ;;
	*../shared/*|*build/nv.db*)
		if [ ! -f "$TMP/co/shared/reference/real-arm64-nv/nv-hypercall.dat" ]; then
			skip "README: $c" "no ../shared/reference/real-arm64-nv/nv-hypercall.dat"
		else
			(cd "$CO" && sh -c "$c") > "$TMP/out" 2>&1
			eq "README: $c exits 0" "$?" 0
			check "README: the output quoted under '$c' is real" in_order "$TMP/exp.$i" "$TMP/out"
		fi ;;
	*)
		(cd "$CO" && sh -c "$c") > "$TMP/out" 2>&1
		eq "README: $c exits 0" "$?" 0
		check "README: the output quoted under '$c' is real" in_order "$TMP/exp.$i" "$TMP/out" ;;
	esac
	i=$((i + 1))
done
done_testing
