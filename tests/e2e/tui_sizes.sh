# nvtrace ui at 80x24, 100x30 and 200x60 in tmux: on every screen no row wraps
# and no table column is cut mid-value (every cell of a narrow screen is a cell
# of the same row at 200 columns, where every column fits); tables wider than
# the screen scroll sideways (screen 3 shows every architecture's column);
# kind names like virtual-timer fit their column; the flame view's cursor
# only lands on frames it draws.  Sources: the model's microbenchmarks (always)
# and the real arm64 nested trace when ../shared has it.
. "$ROOT/tests/lib.sh"
TOOLS="$ROOT/tests/tools"
if ! command -v tmux >/dev/null 2>&1; then
	skip "terminal UI sizes in tmux" "tmux not installed (scripts/deps.sh)"
	done_testing
	exit 0
fi
S="nvtrace-tui-sizes-$$"
export TMUX_TMPDIR="$TMP"
trap 'tmux kill-server 2>/dev/null; rm -rf "$TMP"' EXIT

screen() { tmux capture-pane -p -t "$S"; }
keys() { tmux send-keys -t "$S" "$@"; }
# wait_for TEXT: poll the screen (the sanitizer build starts slowly), then let it settle.
wait_for() {
	for _ in $(seq 1 80); do
		if screen | grep -qF -- "$1"; then
			sleep 0.15
			return 0
		fi
		sleep 0.1
	done
	return 1
}

# capture NAME W H ARGS...: every screen of `nvtrace ui ARGS` at W x H into $TMP/NAME-W-SCREEN.
capture() {
	name=$1 w=$2 h=$3
	shift 3
	tmux new-session -d -s "$S" -x "$w" -y "$h" "TERM=xterm-256color '$NVTRACE' ui $* 2>'$TMP/err-$name-$w'"
	wait_for "1 Overview" && screen > "$TMP/$name-$w-1"
	keys 2; wait_for "Analyze nested exits" && screen > "$TMP/$name-$w-2"
	keys 3; wait_for "Per nested exit" && screen > "$TMP/$name-$w-3"
	# (the first one a while longer: docs/ui.md quotes it)
	for i in 1 2 3 4 5 6; do keys Right; sleep 0.1; [ $i -gt 1 ] || sleep 0.4; screen > "$TMP/$name-$w-3r$i"; done
	keys 4; wait_for "(cycles)" && screen > "$TMP/$name-$w-4"
	keys Down Down; sleep 0.2
	: > "$TMP/$name-$w-4nav"
	for i in 1 2 3 4 5 6 7 8 9 10 11 12; do
		keys Right; sleep 0.1
		screen | sed -n "3,$((h - 2))p" | grep -c '>' >> "$TMP/$name-$w-4nav"
	done
	keys Down; sleep 0.1; screen | sed -n "3,$((h - 2))p" | grep -c '>' >> "$TMP/$name-$w-4nav"
	keys 2 Enter; wait_for "nested exits of kind" && screen > "$TMP/$name-$w-kind"
	keys Enter; wait_for "operations," && screen > "$TMP/$name-$w-ops"
	keys q
	for _ in $(seq 1 30); do tmux has-session -t "$S" 2>/dev/null || break; sleep 0.1; done
	tmux kill-session -t "$S" 2>/dev/null
}

# sizes NAME ARGS...: the checks at every size for one source
sizes() {
	name=$1
	shift
	capture "$name" 200 60 "$@"
	for size in 80x24 100x30 200x60; do
		w=${size%x*} h=${size#*x}
		[ "$w" = 200 ] || capture "$name" "$w" "$h" "$@"
		for s in 1 2 3 kind ops; do
			check "$name $size screen $s: $h rows, none wrapped" \
				python3 "$TOOLS/tui_check.py" geom "$w" "$h" "$TMP/$name-$w-$s"
		done
		check "$name $size flame view: $h rows" python3 "$TOOLS/tui_check.py" geom "$w" "$h" "$TMP/$name-$w-4" flame
		for t in 1:arch 2:kind 3:kind kind:exit ops:seq; do
			check "$name $size screen ${t%%:*}: no value cut or shifted (same cells as at 200 columns)" \
				python3 "$TOOLS/tui_check.py" cells "${t#*:}" "$TMP/$name-200-${t%%:*}" "$TMP/$name-$w-${t%%:*}"
		done
		check "$name $size screen 3: scrolling shows every architecture ($archs)" \
			python3 "$TOOLS/tui_check.py" headers kind "$archs" "$TMP/$name-$w-3" "$TMP/$name-$w-3r"*
		eq "$name $size flame view: the cursor is always on a drawn frame (one '>' each time)" \
			"$(sort -u "$TMP/$name-$w-4nav" | tr '\n' ' ')" "1 "
		check "$name $size: nothing on stderr" [ ! -s "$TMP/err-$name-$w" ]
	done
}

archs="vm,v8.3,neve,v8.4"
sizes bench --guest kvm-2017-nvhe	# the guest with a path for all five benchmarks
check "bench 80x24: virtual-timer fits the kind column, its row intact" \
	sh -c "grep -Eq '^ virtual-timer +1 +20\.00% ' '$TMP/bench-80-2'"

RUN="$TMP/nv.db"
if [ -f "$REF/real-arm64-nv/nv-hypercall.dat" ]; then
	ASAN_OPTIONS=detect_leaks=0 "$NVTRACE" import "$REF/real-arm64-nv/nv-hypercall.dat" -o "$RUN" >/dev/null 2>&1 &&
		"$NVTRACE" replay "$RUN" >/dev/null 2>&1
	check "import and replay the real nested trace" [ -s "$RUN" ]
	sizes run "'$RUN'"
	# docs/ui.md's screens are these captures: each block after "<!-- tui_sizes.sh: NAME -->"
	awk -v d="$TMP" '/^<!-- tui_sizes.sh: / { name = $3; next }
		/^```/ { if (name != "" && !inb) { inb = 1; f = d "/doc-" name; printf "" > f; next }
			 if (inb) { inb = 0; name = ""; close(f) } next }
		inb { print >> f }' "$ROOT/docs/ui.md"
	ndoc=$(ls "$TMP"/doc-run-* 2>/dev/null | wc -l | tr -d ' ')
	check "docs/ui.md quotes at least 6 of these screens (has $ndoc)" [ "$ndoc" -ge 6 ]
	for f in "$TMP"/doc-run-*; do
		n=${f##*/doc-}
		check "docs/ui.md's screen $n is what the build shows at 80x24" in_order "$f" "$TMP/$n"
	done
	check "80x24: a title cut for the column marker ends after a whole word, with '..'" \
		grep -q '^ Nested exit [0-9]* (hvc) under v8.3: [0-9]* operations, [0-9]* traps to\.\. \[more columns ->\]$' "$TMP/run-80-ops"
	check "flame view: the selected frame's traps with thousands separators, as its cycles" \
		grep -Eq '^ hvc: [0-9,]+ cycles \([0-9.]+% of all\), [0-9]{1,3}(,[0-9]{3})+ traps$' "$TMP/run-80-4"
	# ui --live on a run that grows while it is shown (no /dev/kvm here: the
	# events come from the imported trace, not from a recording)
	cp "$RUN" "$TMP/grow.db" && sql "$TMP/grow.db" "DELETE FROM events"
	tmux new-session -d -s "$S" -x 80 -y 24 "TERM=xterm-256color '$NVTRACE' ui --live '$TMP/grow.db' 2>'$TMP/live.err'"
	check "ui --live opens on an empty run: 0 events" wait_for "0 events read"
	sql "$TMP/grow.db" "ATTACH '$RUN' AS s; INSERT INTO events SELECT * FROM s.events"
	check "ui --live: the 1,000 hypercalls appear as they are written" \
		sh -c "for i in \$(seq 1 40); do tmux capture-pane -p -t '$S' | grep -Eq '^ hvc +1,000 ' && exit 0; sleep 0.1; done; exit 1"
	screen > "$TMP/live-80"
	check "ui --live 80x24: 24 rows, none wrapped" python3 "$TOOLS/tui_check.py" geom 80 24 "$TMP/live-80"
	keys q
	sleep 0.5
	check "ui --live: nothing on stderr" [ ! -s "$TMP/live.err" ]
	"$NVTRACE" ui --live 2>/dev/null; eq "ui --live without RUN.db is a usage error" "$?" 2
else
	skip "the ui sizes on the real nested trace" "no $REF/real-arm64-nv/nv-hypercall.dat"
fi
done_testing
