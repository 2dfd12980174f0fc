# nvtrace ui driven in tmux (send-keys, capture-pane): open, sort, drill down,
# switch architecture, help, flame view, resize, quit; no colours on a
# terminal without them.  The run is the real arm64 nested trace (L2 made
# 1,000 hypercalls); the numbers the UI must show come from compare --json
# and the stored results, and the microbenchmark's 126 traps on v8.3 from issue 4.
. "$ROOT/tests/lib.sh"
if ! command -v tmux >/dev/null 2>&1; then
	skip "terminal UI in tmux" "tmux not installed (scripts/deps.sh)"
	done_testing
	exit 0
fi
S="nvtrace-ui-test-$$"
export TMUX_TMPDIR="$TMP"	# a tmux server of our own
trap 'tmux kill-server 2>/dev/null; rm -rf "$TMP"' EXIT

screen() { tmux capture-pane -p -t "$S"; }
# wait_for TEXT: poll the screen (the sanitizer build starts slowly).
wait_for() {
	for _ in $(seq 1 50); do
		screen | grep -qF -- "$1" && return 0
		sleep 0.1
	done
	return 1
}
keys() { tmux send-keys -t "$S" "$@"; }

RUN="$TMP/nv.db"
if [ ! -f "$REF/real-arm64-nv/nv-hypercall.dat" ]; then	# the shared reference folder
	skip "the ui on the real nested trace" "no $REF/real-arm64-nv/nv-hypercall.dat"
	done_testing
	exit 0
fi
# The fixture: import's own leak checks are import's tests, not these.
ASAN_OPTIONS=detect_leaks=0 "$NVTRACE" import "$REF/real-arm64-nv/nv-hypercall.dat" -o "$RUN" >/dev/null 2>&1 &&
	"$NVTRACE" replay "$RUN" >/dev/null 2>&1
check "import and replay the real nested trace" [ -s "$RUN" ]
exits=$(sql "$RUN" "SELECT count(*) FROM nested_exits")
exits_fmt=$(echo "$exits" | sed ':a;s/\B[0-9]\{3\}\>/,&/;ta')	# 1,193

tmux new-session -d -s "$S" -x 120 -y 32 "TERM=xterm-256color '$NVTRACE' ui '$RUN' 2>'$TMP/ui.err'; echo \$? > '$TMP/ui.rc'"
"$NVTRACE" compare vm v8.3 neve v8.4 "$RUN" --json > "$TMP/cmp.json" 2>/dev/null
js() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print($1)" "$TMP/cmp.json"; }
comma() { echo "$1" | sed ':a;s/\B[0-9]\{3\}\>/,&/;ta'; }
v83_traps=$(comma "$(js "d['totals']['v8.3']['traps']")")
hvc_tpe=$(js "'%.1f' % [k for k in d['kinds'] if k['kind'] == 'hvc'][0]['archs']['v8.3']['traps_per_exit']")
# the first hvc exit's own traps under v8.3 and neve (columns by replay_archs index)
first_traps() { sql "$RUN" "SELECT c.traps FROM exit_costs_named c WHERE c.kind = 'hvc' AND c.arch = '$1' ORDER BY c.seq LIMIT 1"; }
check "opens on the overview" wait_for "nested exits: $exits_fmt in 3 kinds"
check "overview: v8.3 traps as compare totals them ($v83_traps)" sh -c "tmux capture-pane -p -t '$S' | grep -q 'v8.3  *$v83_traps '"
check "keys are shown on screen" sh -c "tmux capture-pane -p -t '$S' | tail -1 | grep -q '? help  q quit'"
keys 2
check "2: the exit table" wait_for "Analyze nested exits under v8.3, sorted by count"
check "exit table: hvc first, 1,000 samples, $hvc_tpe traps/exit" \
	sh -c "tmux capture-pane -p -t '$S' | sed -n 5p | grep -Eq '^ hvc +1,000 .* $hvc_tpe '"
keys s
check "s: sorted by cycles" wait_for "sorted by cycles"
keys s s r
check "s s r: sorted by kind, reversed" wait_for "sorted by kind, reversed"
check "reversed kind order puts timer first" sh -c "tmux capture-pane -p -t '$S' | sed -n 5p | grep -q '^ timer '"
keys r
wait_for "sorted by kind (s" >/dev/null
keys Enter
check "Enter drills into the kind (hvc first by name)" wait_for "1000 nested exits of kind hvc under v8.3"
keys Enter
check "Enter shows the first hvc exit's operations and its $(first_traps v8.3) traps" wait_for "$(first_traps v8.3) traps to L0"
check "the operations list names fates and L0 handlers" \
	sh -c "tmux capture-pane -p -t '$S' | grep -Eq 'ERET|EXC +trap +kvm_inject_nested_sync'"
keys a
check "a: the same exit under neve" wait_for "under neve:"
check "neve: its $(first_traps neve) traps to L0" wait_for "$(first_traps neve) traps to L0"
keys '?'
check "?: help" wait_for "nvtrace ui: keys"
keys x 4
check "4: the flame view of the selected architecture" wait_for "nv.db: neve (cycles)"
check "flame view: the hvc frame and the selection's details" \
	sh -c "tmux capture-pane -p -t '$S' | grep -q '^[|>]hvc' && tmux capture-pane -p -t '$S' | grep -q ' hvc: [0-9,]* cycles'"
keys 3
check "3: architectures side by side" wait_for "slowdown vs vm"
tmux resize-window -t "$S" -x 70 -y 20 2>/dev/null
sleep 0.3
check "after a resize the screen is redrawn at the new size" \
	sh -c "tmux capture-pane -p -t '$S' | head -1 | grep -q '1 Overview' && [ \$(tmux capture-pane -p -t '$S' | wc -l) -eq 20 ]"
keys q
sleep 0.5
for _ in $(seq 1 30); do tmux has-session -t "$S" 2>/dev/null || break; sleep 0.1; done
check "q quits" sh -c "! tmux has-session -t '$S' 2>/dev/null"
eq "q: exit status 0" "$(cat "$TMP/ui.rc" 2>/dev/null)" 0
check "nothing on stderr (no sanitizer report)" [ ! -s "$TMP/ui.err" ]

# colours only when the terminal has them
tmux new-session -d -s "$S" -x 100 -y 24 "TERM=xterm-256color '$NVTRACE' ui '$RUN'"
wait_for "1 Overview" >/dev/null
check "colour terminal: colour escapes used" sh -c "tmux capture-pane -e -p -t '$S' | grep -Eq '\[([0-9;]*;)?(3[0-7]|4[0-7]|38;5|48;5)[;m]'"
keys q
sleep 0.3
tmux kill-session -t "$S" 2>/dev/null
tmux new-session -d -s "$S" -x 100 -y 24 "TERM=vt100 '$NVTRACE' ui '$RUN'"
check "vt100 (no colours): the UI opens" wait_for "1 Overview"
keys 2 Enter Enter
wait_for "traps to L0" >/dev/null
check "vt100: no colour escapes" sh -c "! tmux capture-pane -e -p -t '$S' | grep -Eq '\[([0-9;]*;)?(3[0-7]|4[0-7]|38;5|48;5)[;m]'"
keys q
sleep 0.3
tmux kill-session -t "$S" 2>/dev/null

# no database: the microbenchmarks
tmux new-session -d -s "$S" -x 120 -y 30 "TERM=xterm-256color '$NVTRACE' ui --guest kvm-2017-nvhe"
check "ui without a run shows the microbenchmarks" wait_for "microbenchmarks"
keys 2
check "the hypercall microbenchmark: 126 traps under v8.3" \
	sh -c "sleep 0.3; tmux capture-pane -p -t '$S' | grep -Eq '^ hypercall +1 .* 126\.0 '"
keys q
"$NVTRACE" ui "$RUN" < /dev/null > "$TMP/out" 2> "$TMP/err"
eq "ui without a terminal exits 1" "$?" 1
check "ui without a terminal: one error line" [ "$(wc -l < "$TMP/err")" -eq 1 ]
done_testing
