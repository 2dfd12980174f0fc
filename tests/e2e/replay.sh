# replay / compare / validate / synth end to end: the real arm64 trace, synthetic
# nested runs (validated against the model, then edited), replay == explain.
. "$ROOT/tests/lib.sh"
NVH="$REF/real-arm64-nv/nv-hypercall.dat"
# kvm-vhe is the guest of the real trace; fall back while the model lacks it
GUEST=kvm-vhe
"$NVTRACE" explain hvc --guest kvm-vhe > /dev/null 2>&1 || GUEST=kvm-2017-nvhe

# --- the real arm64 nested trace ---------------------------------------------
if [ ! -f "$NVH" ]; then
	skip "real trace cut into nested exits" "no $NVH"
else
	"$NVTRACE" import "$NVH" -o "$TMP/nvh.db" > /dev/null 2>&1
	"$NVTRACE" replay "$TMP/nvh.db" --guest "$GUEST" > "$TMP/out" 2>&1
	eq "replay of the real trace exits 0" "$?" 0
	R="(SELECT id FROM replays WHERE guest = '$GUEST')"
	# README: 1,194 nested exits (injections); the trace ends inside the last one
	eq "real: complete + cut at the end = the README's 1,194" \
		"$(sql "$TMP/nvh.db" "SELECT exits + incomplete_end FROM replays WHERE id = $R")" 1194
	eq "real: the trace ends inside one nested exit" \
		"$(sql "$TMP/nvh.db" "SELECT incomplete_end FROM replays WHERE id = $R")" 1
	eq "real: the trace starts inside one (an ERET first)" \
		"$(sql "$TMP/nvh.db" "SELECT incomplete_start FROM replays WHERE id = $R")" 1
	eq "real: L2's 1,000 hvc are hvc nested exits" \
		"$(sql "$TMP/nvh.db" "SELECT count(*) FROM nested_exits WHERE replay_id = $R AND kind = 0")" 1000
	if command -v trace-cmd > /dev/null; then
		trace-cmd report -i "$NVH" 2>/dev/null > "$TMP/nvh.txt"
		# independent count from trace-cmd's text: TRAP kvm_exits inside hvc spans,
		# and IRQ injections (all preceded by INTID 28, the hyp virtual timer)
		want=$(awk '/kvm_inject_nested_exception: 0x0: esr_el2 0x5a/ {o=1; next}
			/kvm_inject_nested_exception/ {o=0; next}
			/kvm_nested_eret/ {if (o) s += c; o=0; c=0; next}
			o && /kvm_exit: .*TRAP:/ {c++} END {print s}' "$TMP/nvh.txt")
		eq "real: hvc nested exits' observed traps = trace-cmd's count" \
			"$(sql "$TMP/nvh.db" "SELECT sum(observed_traps) FROM nested_exits WHERE replay_id = $R AND kind = 0")" "$want"
		want=$(grep -c 'kvm_inject_nested_exception: 0x80' "$TMP/nvh.txt")
		eq "real: forwarded IRQs after INTID 28 are timer exits" \
			"$(sql "$TMP/nvh.db" "SELECT count(*) FROM nested_exits WHERE replay_id = $R AND kind = 5")" "$want"
	else
		skip "real: observed traps against trace-cmd" "trace-cmd not installed"
	fi
	"$NVTRACE" validate "$TMP/nvh.db" --guest "$GUEST" --csv > "$TMP/v.csv" 2>&1
	eq "validate of the real trace exits 0" "$?" 0
	eq "validate CSV header" "$(head -1 "$TMP/v.csv")" "kind,count,observed_traps,predicted_traps,error"
	eq "validate: the real hvc observed traps per exit" \
		"$(awk -F, '$1 == "hvc" {print $2, $3}' "$TMP/v.csv")" \
		"1000 $(awk -v s="$(sql "$TMP/nvh.db" "SELECT sum(observed_traps) FROM nested_exits WHERE replay_id = $R AND kind = 0")" 'BEGIN {printf "%.4f", s / 1000}')"
fi

# --- synthetic nested run: validate reports zero error ---------------------
# a mix of kinds: those the profile has no path for are counted at 0 and 0
printf '%s\n' "name test-mix" "source assumption: a test mix" "rate 20000" \
	"mix hvc 0.5" "mix sysreg 0.2" "mix wfi 0.1" "mix mmio 0.1" "mix ipi 0.1" > "$TMP/mix.txt"
"$NVTRACE" synth -w "$TMP/mix.txt" --vcpus 2 -d 0.05 --arch-host v8.4 --guest "$GUEST" -o "$TMP/s.db" > /dev/null
eq "synth --arch-host exits 0" "$?" 0
eq "synth marks the run synthetic" "$(sql "$TMP/s.db" "SELECT value FROM meta WHERE key = 'synthetic'")" 1
"$NVTRACE" validate "$TMP/s.db" --csv > "$TMP/s.csv"
eq "validate of a synthetic v8.4 run exits 0" "$?" 0
check "synthetic: at least one kind validated" [ "$(wc -l < "$TMP/s.csv")" -ge 2 ]
check "synthetic: the model predicts traps for hvc" \
	[ "$(awk -F, '$1 == "hvc" && $4 > 0' "$TMP/s.csv" | wc -l | tr -d ' ')" -eq 1 ]
eq "synthetic: observed = predicted for hvc" "$(awk -F, '$1 == "hvc" {print ($3 == $4)}' "$TMP/s.csv")" 1
eq "synthetic: zero error in every kind" \
	"$(awk -F, 'NR > 1 && $5 != "0.0000"' "$TMP/s.csv" | wc -l | tr -d ' ')" 0
"$NVTRACE" validate "$TMP/s.db" > "$TMP/s.txt"
check "synthetic: no operation differs" grep -q '^  none$' "$TMP/s.txt"

# --- the same run with traps edited: validate reports exactly those ---------
cp "$TMP/s.db" "$TMP/e.db"
# remove one sysreg trap: its kvm_exit, kvm_handle_sys_reg, kvm_sys_access, kvm_entry
sa=$(sql "$TMP/e.db" "SELECT id FROM events WHERE type = 32 AND ts > (SELECT min(ts) FROM events WHERE type = 27) ORDER BY id LIMIT 1 OFFSET 7")
reg=$(sql "$TMP/e.db" "SELECT sysreg || ',' || dir FROM events WHERE id = $sa")
sql "$TMP/e.db" "DELETE FROM events WHERE id BETWEEN $sa - 2 AND $sa + 1"
# add one trap nobody predicts (TTBR0_EL1 write = S3_0_C2_C0_0) inside the last nested exit
last=$(sql "$TMP/e.db" "SELECT max(ts) FROM events WHERE type = 26")
pid=$(sql "$TMP/e.db" "SELECT pid FROM events WHERE type = 26 AND ts = $last")
sql "$TMP/e.db" "INSERT INTO events (ts, pid, type, name_id, reason, ec) SELECT $last - 1, $pid, 1, name_id, 2, 24 FROM events WHERE type = 1 LIMIT 1;
	INSERT INTO events (ts, pid, type, name_id, sysreg, dir) SELECT $last - 1, $pid, 32, name_id, $((0x30200)), 1 FROM events WHERE type = 32 LIMIT 1"
"$NVTRACE" validate "$TMP/e.db" > "$TMP/e.txt"
eq "validate of the edited run exits 0" "$?" 0
sed -n '/^operations that differ/,$p' "$TMP/e.txt" | grep '^  ' > "$TMP/diff"
eq "edited: exactly two operations differ" "$(wc -l < "$TMP/diff" | tr -d ' ')" 2
check "edited: the added TTBR0_EL1 write, +1" grep -q 'TTBR0_EL1 write .*(+1)$' "$TMP/diff"
enc=$(echo "$reg" | cut -d, -f1)
dir=$(echo "$reg" | cut -d, -f2)
want=$("$NVTRACE" regs --csv | awk -F, -v e="$enc" 'NR > 1 && $2 * 65536 + $3 * 4096 + $4 * 256 + $5 * 16 + $6 == e {print $1; exit}')
[ "$dir" = 1 ] && want="$want write" || want="$want read"
eq "edited: the other is the deleted register, -1" \
	"$(grep -v TTBR0_EL1 "$TMP/diff" | sed -n 's/^  [a-z0-9]* *\(.*[a-z]\) *observed.*(\(-1\))$/\1 \2/p')" "$want -1"

# --- replay results equal the sum of explain for the run's exits -------------
# explain costs one exit on its own; --stateless replays every exit that way
# (by default sub-model state, e.g. vGIC list registers, carries between exits)
"$NVTRACE" replay "$TMP/s.db" --arch v8.3,v8.4 --guest kvm-2017-nvhe --stateless > /dev/null
eq "replay of the synthetic run exits 0" "$?" 0
RS="(SELECT id FROM replays WHERE archs = 'v8.3,v8.4' AND stateless = 1)"
# the exit_kinds rows are made from model/exit_kinds.def at build time
eq "exit_kinds rows, in number order (model/exit_kinds.def)" \
	"$(sql "$TMP/s.db" "SELECT group_concat(id || '=' || name, ' ') FROM (SELECT * FROM exit_kinds ORDER BY id)")" \
	"0=hvc 1=sysreg 2=mmio 3=s2fault 4=irq 5=timer 6=ipi 7=eoi 8=wfi 9=other"
bad=0
for kind in $(sql "$TMP/s.db" "SELECT DISTINCT k.name FROM nested_exits x JOIN exit_kinds k ON k.id = x.kind WHERE replay_id = $RS"); do
	n=$(sql "$TMP/s.db" "SELECT count(*) FROM nested_exits x JOIN exit_kinds k ON k.id = x.kind WHERE replay_id = $RS AND k.name = '$kind'")
	for arch in v8.3 v8.4; do
		"$NVTRACE" explain "$kind" --arch $arch --guest kvm-2017-nvhe --csv > "$TMP/x.csv" 2>/dev/null || continue
		want=$(awk -F, -v n="$n" 'NR > 1 { if ($5 ~ /^trap/) t++; c += $6 } END {print t * n, c * n}' "$TMP/x.csv")
		got=$(sql "$TMP/s.db" "SELECT traps || ' ' || cycles FROM kind_totals k JOIN exit_kinds e ON e.id = k.kind WHERE replay_id = $RS AND arch = '$arch' AND e.name = '$kind'")
		[ "$got" = "$want" ] || { bad=$((bad + 1)); echo "# $kind $arch: got $got want $want"; }
	done
done
eq "replay totals = count x explain, every kind and arch" "$bad" 0
# with state carried: a run of one kind only is explain's exit over and over
printf '%s\n' "name one-kind" "source assumption: a test" "rate 20000" "mix hvc 1" > "$TMP/hvc.txt"
"$NVTRACE" synth -w "$TMP/hvc.txt" --vcpus 2 -d 0.02 -o "$TMP/h.db" > /dev/null
"$NVTRACE" replay "$TMP/h.db" --arch v8.3 --guest kvm-2017-nvhe > /dev/null
n=$(sql "$TMP/h.db" "SELECT exits FROM replays")
want=$("$NVTRACE" explain hvc --arch v8.3 --guest kvm-2017-nvhe --csv | awk -F, -v n="$n" 'NR > 1 { if ($5 ~ /^trap/) t++; c += $6 } END {print t * n, c * n}')
eq "stateful replay of a one-kind run = count x explain" \
	"$(sql "$TMP/h.db" "SELECT traps || ' ' || cycles FROM kind_totals")" "$want"

# --- compare --------------------------------------------------------------
"$NVTRACE" compare v8.3 neve "$TMP/s.db" --guest kvm-2017-nvhe --csv > "$TMP/c.csv"
eq "compare on a run exits 0" "$?" 0
eq "compare CSV header" "$(head -1 "$TMP/c.csv")" "kind,count,arch,traps,cycles"
n=$(sql "$TMP/s.db" "SELECT count(*) FROM nested_exits WHERE replay_id = (SELECT id FROM replays WHERE archs = 'vm,v8.3,neve,v8.4' AND guest = 'kvm-2017-nvhe')")
eq "compare total count = nested exits replayed" "$(awk -F, '$1 == "total" && $3 == "v8.3" {print $2}' "$TMP/c.csv")" "$n"
"$NVTRACE" compare v8.3 neve "$TMP/s.db" --guest kvm-2017-nvhe --json > "$TMP/c.json"
check "compare --json parses" python3 -c "import json,sys; json.load(open('$TMP/c.json'))"
# a run path with a quote, a backslash and a tab is escaped in the JSON (was printed raw)
qdir="$TMP/q\"b\\s	t"
mkdir -p "$qdir" && cp "$TMP/s.db" "$qdir/s.db"
"$NVTRACE" compare v8.3 "$qdir/s.db" --guest kvm-2017-nvhe --json > "$TMP/cq.json"
eq "compare --json: the run path round-trips through JSON" \
	"$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['run'])" "$TMP/cq.json")" "$qdir/s.db"
eq "compare reuses the stored replay (one per settings)" \
	"$(sql "$TMP/s.db" "SELECT count(*) FROM replays WHERE guest = 'kvm-2017-nvhe' AND archs = 'vm,v8.3,neve,v8.4'")" 1

# --- synth is deterministic ------------------------------------------------
"$NVTRACE" synth -w netperf-rr --vcpus 3 -d 0.02 -o "$TMP/d1.db" > /dev/null
"$NVTRACE" synth -w netperf-rr --vcpus 3 -d 0.02 -o "$TMP/d2.db" > /dev/null
eq "synth: same options, same events" \
	"$(sqlite3 "$TMP/d1.db" 'SELECT * FROM events' | md5sum)" \
	"$(sqlite3 "$TMP/d2.db" 'SELECT * FROM events' | md5sum)"
"$NVTRACE" replay "$TMP/d1.db" > /dev/null
eq "single-level synth: one nested exit per kvm_exit" \
	"$(sql "$TMP/d1.db" "SELECT exits FROM replays")" \
	"$(sql "$TMP/d1.db" "SELECT count(*) FROM events WHERE type = 1")"
for w in "$ROOT"/examples/workloads/*.txt; do
	name=$(basename "$w" .txt)
	"$NVTRACE" synth -w "$name" -d 0.001 -o "$TMP/w.db" > /dev/null 2>&1
	eq "synth workload $name" "$?" 0
done

# --- a run recorded on this machine from the guest example ------------------
# with nvtrace record when it is built, else tracefs (an instance of our own) +
# trace-cmd extract + nvtrace import, as tracing-here.md says works here
GUEST_ARGS="--pio 200 --mmio 50 --hlt 3 --cpuid 11 --msr 13 --quiet"
recorded=""
if [ ! -x "$NVGUEST" ]; then
	why="no $NVGUEST (examples/guest not built here)"
elif [ ! -w /dev/kvm ] || [ ! -d /sys/kernel/tracing/events/kvm ]; then
	why="needs root, /dev/kvm and kvm tracepoints"
elif "$NVTRACE" record --help > /dev/null 2>&1; then
	timeout 120 "$NVTRACE" record -o "$TMP/r.db" -- "$NVGUEST" $GUEST_ARGS > /dev/null 2>&1 &&
		recorded="nvtrace record"
	why="nvtrace record failed"
elif command -v trace-cmd > /dev/null; then
	inst=nvtrace-replay-test-$$
	T=/sys/kernel/tracing/instances/$inst
	if mkdir "$T" 2> /dev/null; then
		echo 1 > "$T/events/kvm/enable" && echo 1 > "$T/tracing_on" &&
			timeout 60 "$NVGUEST" $GUEST_ARGS > /dev/null 2>&1
		echo 0 > "$T/tracing_on"
		echo 0 > "$T/events/kvm/enable"
		trace-cmd extract -B "$inst" -o "$TMP/r.dat" > /dev/null 2>&1
		[ -d "$T" ] && rmdir "$T"
		"$NVTRACE" import "$TMP/r.dat" -o "$TMP/r.db" > /dev/null 2>&1 &&
			recorded="tracefs + trace-cmd extract"
	fi
	why="tracefs recording failed"
else
	why="neither nvtrace record nor trace-cmd"
fi
if [ -z "$recorded" ]; then
	skip "recorded guest run replays and compares" "$why"
else
	"$NVTRACE" replay "$TMP/r.db" > "$TMP/r.out" 2>&1
	eq "replay of the guest run recorded with $recorded exits 0" "$?" 0
	# what the guest did, one VM exit each: 200 OUT + 50 MMIO stores (device I/O),
	# 3 HLT, 11 CPUID + 13 RDMSR (trapped ID/system register reads), 1 shutdown
	eq "recorded: 250 device-I/O exits are mmio" \
		"$(sql "$TMP/r.db" "SELECT count(*) FROM nested_exits WHERE kind = 2")" 250
	eq "recorded: 3 HLT exits are wfi" \
		"$(sql "$TMP/r.db" "SELECT count(*) FROM nested_exits WHERE kind = 8")" 3
	eq "recorded: 24 CPUID/RDMSR exits are sysreg" \
		"$(sql "$TMP/r.db" "SELECT count(*) FROM nested_exits WHERE kind = 1")" 24
	"$NVTRACE" compare v8.3 neve "$TMP/r.db" --csv > "$TMP/r.csv"
	eq "compare of the recorded run exits 0" "$?" 0
	eq "recorded: compare counts the 3 wfi" "$(awk -F, '$1 == "wfi" && $3 == "v8.3" {print $2}' "$TMP/r.csv")" 3
fi

# --- bad input -------------------------------------------------------------
"$NVTRACE" replay "$TMP/missing.db" 2> "$TMP/err"; eq "replay of a missing file exits 1" "$?" 1
eq "replay of a missing file: one line" "$(wc -l < "$TMP/err" | tr -d ' ')" 1
echo "not a db" > "$TMP/bad.db"
"$NVTRACE" compare v8.3 "$TMP/bad.db" 2> "$TMP/err"; eq "compare of a non-database exits 1" "$?" 1
"$NVTRACE" validate "$TMP/d1.db" 2> "$TMP/err"; eq "validate of a single-level run exits 1" "$?" 1
"$NVTRACE" synth -w nosuch -o "$TMP/x.db" 2> "$TMP/err"; eq "synth of an unknown workload exits 1" "$?" 1
check "synth of an unknown workload leaves no database" [ ! -e "$TMP/x.db" ]
"$NVTRACE" replay "$TMP/d1.db" --arch v9.9 2> "$TMP/err"; eq "replay of an unknown arch exits 1" "$?" 1
done_testing
