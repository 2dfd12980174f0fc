# One option vocabulary (cli/opts.c), one default guest, one vCPU naming, usage errors
# in one line, exports that replay, size limits, no files left behind (issue 16).
. "$ROOT/tests/lib.sh"
FIX="$ROOT/tests/fixtures"
cmds=$("$NVTRACE" --help | awk '/^commands:/{f=1;next} f && /^  [a-z]/{print $1}')

# --- one meaning per flag -------------------------------------------------------------
# every "-X, --long" pair of every command's --help: a short letter means one long option
for c in $cmds; do "$NVTRACE" "$c" --help; done 2>/dev/null |
	sed -n 's/^ *-\([a-zA-Z]\), --\([a-z0-9-]*\).*/\1 \2/p' | sort -u > "$TMP/pairs"
eq "no short option letter has two long names across commands" \
	"$(awk '{print $1}' "$TMP/pairs" | uniq -d | tr '\n' ' ')" ""
eq "-o is --output, -v --verbose, -s --set, -n --max-exits (where they exist)" \
	"$(grep -E '^[ovsn] ' "$TMP/pairs" | grep -vE '^(o output|v verbose|s set|n max-exits)$' | tr '\n' ' ')" ""
eq "explain's --options is --list-options now (no -o)" \
	"$("$NVTRACE" explain --help | grep -c -- '-o, --options')" 0
check "explain --list-options works" sh -c "'$NVTRACE' explain --list-options --guest kvm-2017-nvhe | grep -q '^  live-lrs '"
check "explain --help lists virtual-timer" sh -c "'$NVTRACE' explain --help | grep -q virtual-timer"
for c in info stat compare validate explain regs replay; do
	check "$c has --csv and --json" sh -c "'$NVTRACE' $c --help | grep -q -- '--csv' && '$NVTRACE' $c --help | grep -q -- '--json'"
done
check "explain --json: the seed's 126 traps, 163 operations" python3 -c "
import json, subprocess, sys
d = json.loads(subprocess.run(['$NVTRACE', 'explain', 'hvc', '--guest', 'kvm-2017-nvhe', '--arch', 'v8.3', '--json'],
    capture_output=True).stdout)
sys.exit(not (d['traps'] == 126 and len(d['ops']) == 163 and d['ops'][0]['op'] == 'EXC'))"
check "regs --json: HCR_EL2 traps to trap_el2_reg on v8.3" python3 -c "
import json, subprocess, sys
d = json.loads(subprocess.run(['$NVTRACE', 'regs', '--find', 'HCR_EL2', '--json'], capture_output=True).stdout)
sys.exit(d['registers'] != [{'name': 'HCR_EL2', 'encoding': [3, 4, 1, 1, 0], 'el': 'EL2', 'class': 'hyp',
    'fate': 'trap', 'detail': 'trap:trap_el2_reg'}])"
check "export --csv-dir is the directory form; --csv takes no value" \
	sh -c "'$NVTRACE' export --help | grep -q -- '--csv-dir DIR' && '$NVTRACE' export --help | grep -q -- '--csv  '"

# --- help ----------------------------------------------------------------------------
for c in $cmds; do
	"$NVTRACE" help "$c" > "$TMP/h1" 2>&1; rc=$?
	"$NVTRACE" "$c" --help > "$TMP/h2" 2>&1
	eq "nvtrace help $c = nvtrace $c --help" "$rc:$(md5sum < "$TMP/h1")" "0:$(md5sum < "$TMP/h2")"
done
"$NVTRACE" help frob 2> "$TMP/err"; eq "help of an unknown command exits 2" "$?" 2

# --- usage errors: one line naming the problem, then where the help is ---------------
usage_err() { # NAME WANT-SUBSTRING ARGS...
	n=$1; want=$2; shift 2
	"$NVTRACE" "$@" > "$TMP/out" 2> "$TMP/err"; rc=$?
	eq "$n: exit 2, one line, nothing on stdout" "$rc $(wc -l < "$TMP/err" | tr -d ' ') $(wc -c < "$TMP/out" | tr -d ' ')" "2 1 0"
	check "$n: says '$want'" grep -qF -- "$want" "$TMP/err"
}
for c in $cmds; do
	"$NVTRACE" "$c" --no-such-option x.db > "$TMP/out" 2> "$TMP/err"; rc=$?
	eq "$c --no-such-option: exit 2, one line 'nvtrace $c: ...', nothing on stdout" \
		"$rc $(wc -l < "$TMP/err" | tr -d ' ') $(cut -d: -f1 "$TMP/err") $(wc -c < "$TMP/out" | tr -d ' ')" "2 1 nvtrace $c 0"
done
usage_err "stat a.db b.db" "nvtrace stat: wants one RUN.db, not 2 arguments (see 'nvtrace stat --help')" stat a.db b.db
usage_err "synth -w hypercall without -o" "nvtrace synth: where to? (-o RUN.db)" synth -w hypercall
usage_err "compare v9 run.db" "nvtrace compare: unknown architecture 'v9' (known: vm, v8.3, neve, v8.4)" compare v9 run.db
usage_err "plot --what bogus" "nvtrace plot: --what is cycles, traps, timeline or kinds, not 'bogus'" plot x.db --what bogus
usage_err "an unknown option" "nvtrace stat: unknown option '--bogus'" stat --bogus x.db
usage_err "a missing value" "nvtrace stat: option '--sort' needs a value (KEY)" stat x.db --sort
usage_err "a flag given a value" "nvtrace info: option '--csv' takes no value" info --csv=1 x.db
usage_err "an unknown short option" "nvtrace replay: unknown option '-x'" replay -x x.db

# --- one default guest, printed, from the run ----------------------------------------
"$NVTRACE" import "$FIX/arm64-handwritten.txt" -o "$TMP/a.db" > /dev/null
check "compare RUN.db: the guest from the trace's HCR_EL2.E2H=1 (kvm-vhe), in the header" \
	sh -c "'$NVTRACE' compare '$TMP/a.db' | head -1 | grep -q \"guest kvm-vhe (the trace's guest HCR_EL2.E2H=1)\""
check "validate: the same guest" \
	sh -c "'$NVTRACE' validate '$TMP/a.db' | head -1 | grep -q \"guest kvm-vhe (the trace's guest HCR_EL2.E2H=1)\""
sed 's/hcr_el2: 2403c807d223f/hcr_el2: 2403807d223f/' "$FIX/arm64-handwritten.txt" > "$TMP/nvhe.txt"
"$NVTRACE" import "$TMP/nvhe.txt" -o "$TMP/n.db" > /dev/null
check "a guest hypervisor with E2H=0: kvm-nvhe" \
	sh -c "'$NVTRACE' replay '$TMP/n.db' | head -1 | grep -q \"^guest kvm-nvhe (the trace's guest HCR_EL2.E2H=0)\""
check "compare RUN.db without ARCH: every architecture" \
	sh -c "'$NVTRACE' compare '$TMP/a.db' --csv | awk -F, '\$1 == \"total\" {print \$3}' | tr '\n' ' ' | grep -qx 'vm v8.3 neve v8.4 '"
check "microbenchmarks: the same default guest" sh -c "'$NVTRACE' compare 2>/dev/null | head -1 | grep -q '^guest kvm-vhe,'"
check "explain: the same default guest" sh -c "'$NVTRACE' explain hvc | head -1 | grep -q 'guest kvm-vhe,'"
check "the seed's 126 v8.3 traps stay reachable with --guest kvm-2017-nvhe" \
	sh -c "'$NVTRACE' compare v8.3 --guest kvm-2017-nvhe --csv | grep -q '^hypercall,v8.3,126,'"
"$NVTRACE" synth -w hypercall -d 0.01 --arch-host v8.4 -o "$TMP/s.db" > /dev/null 2> "$TMP/err"
check "synth --arch-host: the synthetic run's own guest is the default after" \
	sh -c "'$NVTRACE' compare '$TMP/s.db' | head -1 | grep -q 'guest kvm-vhe (the synthetic run.s)'"
"$NVTRACE" replay "$TMP/s.db" --csv > "$TMP/r.csv"
last="(SELECT max(id) FROM replays)"
eq "replay --csv: per architecture; vm traps once per nested exit, cycles as stored" \
	"$(head -2 "$TMP/r.csv" | tr '\n' ' ')" \
	"arch,traps,cycles,traps_per_exit vm,$(sql "$TMP/s.db" "SELECT count(*) FROM nested_exits WHERE replay_id = $last"),$(sql "$TMP/s.db" "SELECT sum(cycles) FROM exit_costs_named WHERE arch = 'vm' AND replay_id = $last"),1.00 "
eq "synth piped: no progress output" "$(wc -c < "$TMP/err" | tr -d ' ')" 0
if command -v script > /dev/null; then
	script -qc "'$NVTRACE' synth -w hypercall -d 0.05 --arch-host v8.4 -o '$TMP/tty.db'" /dev/null < /dev/null |
		tr '\r' '\n' > "$TMP/tty.out"
	check "synth on a terminal: a progress bar over the run's time" grep -q '^synth (ms of the run) \[.*\] *[0-9]*%' "$TMP/tty.out"
	check "... and while it builds the indexes" grep -q 'synth: building indexes' "$TMP/tty.out"
else
	skip "synth progress on a terminal" "no script(1)"
fi

# --- a single-level run is not "nested exits" ----------------------------------------
"$NVTRACE" import "$FIX/x86-pio-mmio.dat" -o "$TMP/x.db" > /dev/null
check "x86 single-level: 'exits of a single-level VM', not 'nested exits'" \
	sh -c "'$NVTRACE' compare '$TMP/x.db' | head -1 | grep -q ' 300 exits of a single-level VM'"

# --- synthetic time ------------------------------------------------------------------
"$NVTRACE" stat "$TMP/s.db" --csv > "$TMP/s.csv"
eq "synthetic trap exits last their modelled cycles (SYS64 min > 100 ns, not 3)" \
	"$(awk -F, '$1 == "all" && $3 == "TRAP SYS64" { print ($7 > 100) }' "$TMP/s.csv")" 1
eq "the nested VM's HVC exit is timed (L0 enters the guest hypervisor)" \
	"$(awk -F, '$1 == "all" && $3 == "TRAP HVC64" { print ($7 > 1000) }' "$TMP/s.csv")" 1

# --- vCPU naming ----------------------------------------------------------------------
check "stat names vCPUs 'vCPU N (tid T)'" sh -c "'$NVTRACE' stat '$TMP/s.db' | grep -q '^vCPU 0 (tid 1000): '"
"$NVTRACE" stat "$TMP/s.db" --vcpu 7 2> "$TMP/err"; eq "stat --vcpu of no vCPU exits 1" "$?" 1
eq "... and lists the vCPUs by both names" "$(cat "$TMP/err")" \
	"nvtrace stat: $TMP/s.db: no vCPU 7 (the run has 1: vCPU 0 (tid 1000))"

# --- exports replay a run that has none; Perfetto size limit; no files left ---------
"$NVTRACE" synth -w hypercall -d 0.02 --arch-host v8.4 -o "$TMP/e.db" > /dev/null
"$NVTRACE" export "$TMP/e.db" -o "$TMP/e.json" 2> "$TMP/err"
eq "export of a run without results replays it and writes" "$?:$(tail -1 "$TMP/err")" "0:nvtrace export: wrote $TMP/e.json (v8.3, guest kvm-vhe, cost xgene)"
check "Perfetto tracks are named 'vCPU 0 (tid 1000)'" grep -q '"name":"vCPU 0 (tid 1000)"' "$TMP/e.json"
check "Perfetto trap slices have a length" python3 -c "
import json,sys; d=json.load(open('$TMP/e.json'))['traceEvents']
sys.exit(not all(e['dur'] > 0 for e in d if e.get('cat') == 'trap'))"
"$NVTRACE" export "$TMP/e.db" -o "$TMP/big.json" --limit 0.1 < /dev/null > /dev/null 2> "$TMP/err"
eq "an export over --limit is refused without a terminal (exit 1)" "$?" 1
check "... with the estimate and what to do" grep -q 'the Perfetto file would be about [0-9]* MB (over --limit 0.1); use --max-exits N, or --force' "$TMP/err"
check "... and no file" [ ! -e "$TMP/big.json" ]
"$NVTRACE" export "$TMP/e.db" -o "$TMP/big.json" --limit 0.1 --force 2> /dev/null
eq "--force writes it" "$?" 0
est=$(sed -n 's/.*about \([0-9]*\) MB.*/\1/p' "$TMP/err")
check "the estimate is within 25% of the real size ($est MB)" \
	awk -v e="$est" -v r="$(wc -c < "$TMP/big.json")" 'BEGIN { r /= 1e6; exit !(e >= 0.75 * r - 1 && e <= 1.25 * r + 1) }'
"$NVTRACE" export "$TMP/e.db" --csv > "$TMP/ec.csv"
eq "export --csv: the exit costs on stdout" "$(head -1 "$TMP/ec.csv")" "replay_id,seq,vcpu,ts_start,ts_end,kind,observed_traps,arch,traps,cycles"
# an export stopped by SIGTERM while writing leaves no temporary
"$NVTRACE" synth -w hypercall -d 0.3 --arch-host v8.4 -o "$TMP/k.db" > /dev/null
"$NVTRACE" replay "$TMP/k.db" > /dev/null
"$NVTRACE" export "$TMP/k.db" -o "$TMP/k.json" --force 2> /dev/null &
pid=$!
i=0; while [ $i -lt 200 ] && ! ls "$TMP"/k.json.tmp.* > /dev/null 2>&1; do sleep 0.05; i=$((i + 1)); done
kill -TERM $pid 2> /dev/null; wait $pid; rc=$?
if [ $i -lt 200 ] && [ $rc -eq 143 ]; then
	eq "SIGTERM during export: no temporary, no output" "$(ls "$TMP" | grep -c '^k\.json')" 0
else
	skip "SIGTERM during export" "the export finished before the signal (rc $rc)"
fi

# --- read-only commands leave no -wal/-shm ------------------------------------------
"$NVTRACE" replay "$TMP/e.db" > /dev/null
"$NVTRACE" stat "$TMP/e.db" > /dev/null
"$NVTRACE" flame "$TMP/e.db" -o "$TMP/f.svg" 2> /dev/null
"$NVTRACE" info "$TMP/e.db" > /dev/null
eq "no -wal/-shm after replay, stat, flame, info (which all ran)" \
	"$(ls "$TMP" | grep -c -- '-wal$\|-shm$'):$(test -s "$TMP/f.svg" && echo drawn)" "0:drawn"

# --- plot ----------------------------------------------------------------------------
if command -v gnuplot > /dev/null; then
	"$NVTRACE" plot "$TMP/s.db" --what kinds -o "$TMP/k.svg" > "$TMP/out" 2>&1
	eq "plot says which file it wrote" "$(cat "$TMP/out")" "nvtrace plot: wrote $TMP/k.svg (kinds, guest kvm-vhe, cost xgene)"
else
	skip "plot says which file it wrote" "no gnuplot"
fi

# --- info --json: valid UTF-8 for a non-UTF-8 thread name --------------------------
cp "$TMP/a.db" "$TMP/u.db"
sql "$TMP/u.db" "UPDATE threads SET comm = CAST(x'766d6dff80' AS TEXT)"
"$NVTRACE" info "$TMP/u.db" --json > "$TMP/u.json"
check "info --json is valid UTF-8 JSON" python3 -c "import json; json.loads(open('$TMP/u.json', 'rb').read().decode('utf-8'))"
check "... the stray bytes written as \\ufffd" grep -qF '"comm": "vmm\ufffd\ufffd"' "$TMP/u.json"
check "info --csv: metadata rows" sh -c "'$NVTRACE' info '$TMP/a.db' --csv | grep -q '^meta,host_arch,arm64,$'"

# --- man pages and completion, generated ---------------------------------------------
for c in $cmds; do
	check "man page of $c" [ -s "$ROOT/$BUILD/share/man1/nvtrace-$c.1" ]
done
if command -v groff > /dev/null; then
	eq "groff -man -ww: no warning on any page" \
		"$(for f in "$ROOT/$BUILD"/share/man1/*.1; do groff -man -ww -z "$f" 2>&1; done | head -3)" ""
else
	skip "groff warnings" "no groff"
fi
if command -v man > /dev/null; then
	check "man -l nvtrace-stat.1 shows --vcpu" sh -c "MANWIDTH=80 man -l '$ROOT/$BUILD/share/man1/nvtrace-stat.1' 2>/dev/null | grep -q -- '--vcpu N'"
else
	skip "man -l" "no man"
fi
comp() { bash -c ". '$ROOT/$BUILD/share/completion/nvtrace'; COMP_WORDS=($1); COMP_CWORD=\$((\${#COMP_WORDS[@]} - 1)); _nvtrace; echo \"\${COMPREPLY[*]}\""; }
eq "completion: commands" "$(comp 'nvtrace ex')" "explain export"
eq "completion: stat's long options" "$(comp 'nvtrace stat --s')" "--sort"
eq "completion: a value list" "$(comp 'nvtrace stat x.db --sort m')" "max mean"
eq "completion: architectures" "$(comp 'nvtrace explain hvc --arch v')" "vm v8.3 v8.4"
done_testing
