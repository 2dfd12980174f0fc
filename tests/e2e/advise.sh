# Trap attribution (symbols), advise, what-if edits and profile from, on the real NV2
# recordings of ../shared/reference/real-arm64-nv/runs: device-io-nohz.dat with the
# guest hypervisor's own kallsyms (same boot), hvc-nohz (tracefs text, xz).
. "$ROOT/tests/lib.sh"
RUNS="$REF/real-arm64-nv/runs"
DIO="$RUNS/device-io-nohz.dat"
KSYMS="$RUNS/device-io-nohz.l1.kallsyms.xz"
HVC="$RUNS/hvc-nohz.trace.txt.xz"

# --- bad input, no real data needed ----------------------------------------
printf 'hello world\nthis is not kallsyms\n' > "$TMP/bad.syms"
"$NVTRACE" synth --workload hypercall --seconds 0.01 --arch-host v8.4 -o "$TMP/s.db" > /dev/null
"$NVTRACE" symbols "$TMP/s.db" "$TMP/bad.syms" > "$TMP/out" 2> "$TMP/err"
eq "symbols: a file that is not kallsyms exits 1" "$?" 1
eq "symbols: ... with one line naming the file and line" "$(cat "$TMP/err")" \
	"nvtrace symbols: $TMP/bad.syms:1: not a kallsyms or System.map line (want 'ADDRESS TYPE NAME')"
"$NVTRACE" import "$TMP/x.dat" --symbols "$TMP/bad.syms" -o "$TMP/x.db" 2> "$TMP/err"
eq "import --symbols: a bad symbols file exits 1 before importing" "$?" 1
check "import --symbols: nothing written" [ ! -e "$TMP/x.db" ]
"$NVTRACE" advise "$TMP/missing.db" 2> "$TMP/err"
eq "advise: missing run exits 1" "$?" 1
eq "advise: missing run, one line" "$(cat "$TMP/err")" "nvtrace advise: $TMP/missing.db: No such file or directory"
"$NVTRACE" advise "$TMP/s.db" --set nope=1 2> "$TMP/err"
eq "advise --set with an unknown option exits 1" "$?" 1
check "advise: one line naming the option and the known ones" \
	[ "$(wc -l < "$TMP/err")" -eq 1 -a -n "$(grep "unknown option 'nope' in --set (profile kvm-vhe has: .*tda" "$TMP/err")" ]
"$NVTRACE" compare v8.4 "$TMP/s.db" --guest kvm-vhe --vncr NOPE_EL2 2> "$TMP/err"
eq "compare --vncr with an unknown register exits 1" "$?" 1
check "compare: one line naming the register and the profile's registers" \
	[ "$(wc -l < "$TMP/err")" -eq 1 -a -n "$(grep "unknown register 'NOPE_EL2' in --vncr (profile kvm-vhe uses: .*MDSCR_EL1" "$TMP/err")" ]
"$NVTRACE" replay "$TMP/s.db" --set tda 2> "$TMP/err"
eq "replay --set without a value exits 2" "$?" 2
eq "replay: the syntax in one line" "$(cat "$TMP/err")" \
	"nvtrace replay: --set wants OPTION=VALUE (on, off or 0..64), not 'tda'"
# symbols whose addresses match no trap PC (synth's PCs are elsewhere): stored, with a warning
printf 'ffff800080000000 T _text\nffff800080000100 t f\n' > "$TMP/k.syms"
"$NVTRACE" symbols "$TMP/s.db" "$TMP/k.syms" > "$TMP/out" 2> "$TMP/err"
eq "symbols matching no trap PC exits 0" "$?" 0
npc=$(sed -n 's/.*: 0 of \([0-9]*\) trap PCs resolved$/\1/p' "$TMP/out")
check "symbols: 2 code symbols, 0 of the run's trap PCs resolved" \
	grep -q "^stored 2 code symbols from $TMP/k.syms in $TMP/s.db: 0 of [1-9][0-9]* trap PCs resolved$" "$TMP/out"
eq "symbols: one warning line saying how many did not resolve" "$(cat "$TMP/err")" \
	"nvtrace symbols: warning: $TMP/k.syms: $npc of $npc trap PCs fall in none of its symbols (kallsyms of another boot? KASLR moves the kernel every boot)"
eq "symbols: the table holds them" "$(sql "$TMP/s.db" "SELECT count(*) || ' ' || min(name) FROM symbols")" "2 _text"

# --- device-io-nohz with the guest hypervisor's kallsyms -------------------
if [ -f "$DIO" ] && [ -f "$KSYMS" ]; then
	"$NVTRACE" import "$DIO" --symbols "$KSYMS" -o "$TMP/dio.db" > "$TMP/out" 2> "$TMP/err"
	eq "import --symbols exits 0" "$?" 0
	eq "import --symbols: every trap PC resolves" "$(tail -1 "$TMP/out")" \
		"stored 65908 code symbols from $KSYMS in $TMP/dio.db: 25 of 25 trap PCs resolved"
	eq "no warning when all resolve" "$(cat "$TMP/err")" ""
	eq "symbol_source row" "$(sql "$TMP/dio.db" "SELECT symbols || ' ' || trap_pcs || ' ' || resolved || ' ' || printf('%x', text_end) FROM symbol_source")" \
		"65908 25 25 ffffad91ce0c0000"
	# the same kallsyms shifted by 2 MB (another boot's KASLR): a warning, not an error
	xz -dc "$KSYMS" | sed 's/^ffffad91cc/ffffad91ca/; s/^ffffad91cd/ffffad91cb/; s/^ffffad91ce/ffffad91cc/' > "$TMP/other.syms"
	cp "$TMP/dio.db" "$TMP/dio2.db"
	"$NVTRACE" symbols "$TMP/dio2.db" "$TMP/other.syms" > "$TMP/out" 2> "$TMP/err"
	eq "symbols of another boot: exits 0" "$?" 0
	check "symbols of another boot: one warning line with how many resolved" \
		grep -q "^nvtrace symbols: warning: $TMP/other.syms: [0-9]* of 25 trap PCs fall in none of its symbols" "$TMP/err"

	# validate names the functions
	"$NVTRACE" validate "$TMP/dio.db" > "$TMP/v.txt"
	eq "validate exits 0" "$?" 0
	check "validate: HPFAR_EL2 comes from kvm_hyp_handle_dabt_low" \
		grep -q '^  mmio     HPFAR_EL2 read               kvm_hyp_handle_dabt_low+0x58 (500)$' "$TMP/v.txt"
	check "validate: the MDSCR_EL1 writes, two functions" \
		grep -q '^  mmio     MDSCR_EL1 write              sysreg_restore_host_state_vhe+0x50 (500), sysreg_restore_guest_state_vhe+0x5c (500)$' "$TMP/v.txt"
	check "validate: L1's own stage-2 aborts from gic_poke_irq" \
		grep -q '^  mmio     DABT_LOW                     gic_poke_irq+0x74 (1008)$' "$TMP/v.txt"

	# flame --observed: kind; function; operation; trap
	"$NVTRACE" flame "$TMP/dio.db" --observed --folded --weight traps > "$TMP/f.txt"
	eq "flame --observed exits 0" "$?" 0
	eq "flame --observed: all the observed traps" "$(awk '{ s += $NF } END { print s }' "$TMP/f.txt")" 12082
	check "flame --observed: the timer's vcpu_put writes" grep -qx 'mmio;timer_save_state;CNTV_CTL_EL02 write;trap 504' "$TMP/f.txt"
	check "flame --observed: the ERET" grep -qx 'mmio;__guest_enter;ERET;trap 500' "$TMP/f.txt"

	# advise: the vcpu_put/vcpu_load accesses as one group, their share of the MMIO exit's traps
	"$NVTRACE" advise "$TMP/dio.db" > "$TMP/a.txt"
	eq "advise exits 0" "$?" 0
	check "advise: 12082 observed traps, 24.16 per nested exit" \
		grep -q '^observed: 12082 guest-hypervisor traps (24.16 per nested exit' "$TMP/a.txt"
	check "advise: vcpu_put/vcpu_load: 9072 traps, 18.14 per mmio exit, 75.1% of its traps" \
		grep -q '^  vcpu_put/vcpu_load            9072 traps; mmio 18.14 per exit (75.1% of its traps)$' "$TMP/a.txt"
	check "advise: the world switch: 3006 traps, 6.01 per exit, 24.9%" \
		grep -q '^  world switch (every exit)     3006 traps; mmio 6.01 per exit (24.9% of its traps)$' "$TMP/a.txt"
	fns=$(awk '/^  vcpu_put\/vcpu_load/ { getline; print }' "$TMP/a.txt")
	for fn in kvm_vcpu_put_debug kvm_vcpu_load_debug kvm_arm_setup_mdcr_el2 timer_save_state \
		  timer_restore_state kvm_timer_vcpu_load __sysreg_save_el1_state __sysreg_restore_el1_state \
		  __vgic_v3_save_aprs __vgic_v3_restore_vmcr_aprs kvm_vcpu_load_vhe kvm_vcpu_put_vhe gic_poke_irq; do
		check "advise: vcpu_put/vcpu_load names $fn" sh -c "echo '$fns' | grep -q '[ ,]$fn\(,\|\$\)'"
	done
	check "advise: MDCR_EL2 first (1512 traps, 3.02 per exit)" \
		grep -q '^   1 MDCR_EL2              1512    3.02  12.5%' "$TMP/a.txt"

	# profile from, with functions; validate with it: the learned operations match
	"$NVTRACE" profile from "$TMP/dio.db" -o "$TMP/dio.prof" > "$TMP/p.txt"
	eq "profile from exits 0" "$?" 0
	check "profile from: mmio, variant seq24 (24 traps) of 489 exits" \
		grep -qx '  mmio     seq24            24     489' "$TMP/p.txt"
	check "the profile is marked as observed on v8.4" grep -q '^describe observed on v8.4 from ' "$TMP/dio.prof"
	check "the profile names the functions" grep -qx '  fn kvm_hyp_handle_dabt_low observed:v8.4' "$TMP/dio.prof"
	"$NVTRACE" validate "$TMP/dio.db" --guest "$TMP/dio.prof" --csv > "$TMP/pv.csv"
	eq "validate --guest learned.prof: 498 learned exits, predicted = observed = 24.1265" \
		"$(awk -F, '$1 == "mmio" { print $2, $3, $4 }' "$TMP/pv.csv")" "498 24.1265 24.1265"
	"$NVTRACE" validate "$TMP/dio.db" --guest "$TMP/dio.prof" > "$TMP/pv.txt"
	for op in "HPFAR_EL2 read" "ICH_MISR_EL2 read" "MDSCR_EL1 write" "ERET"; do
		check "validate --guest learned.prof: $op does not differ" \
			sh -c "sed -n '/^operations that differ/,\$p' '$TMP/pv.txt' | grep -vq '  mmio     $op '"
	done
	# and advise with the learned profile can recompute the MMIO exit's remedies
	"$NVTRACE" advise "$TMP/dio.db" --guest "$TMP/dio.prof" --csv > "$TMP/ac.csv"
	"$NVTRACE" advise "$TMP/dio.db" --guest "$TMP/dio.prof" > "$TMP/al.txt"
	eq "advise --guest learned.prof: the top line is MDCR_EL2 in the VNCR page (as with kvm-vhe), not an architecture switch" \
		"$(head -1 "$TMP/al.txt" | cut -d' ' -f4,5)" "vncr MDCR_EL2"
	eq "advise --guest learned.prof: set tda=0 removes 3.012 traps per MMIO exit (the 6 exits of seq25 re-read MDSCR_EL1)" \
		"$(awk -F, '$10 == "set tda=0" { print ($13 - $14) / 500 }' "$TMP/ac.csv" | head -1)" 3.012
else
	skip "device-io-nohz with kallsyms" "$DIO or $KSYMS not present"
fi

# --- hvc-nohz: the acceptance figures --------------------------------------
if [ -f "$HVC" ]; then
	xz -dc "$HVC" > "$TMP/hvc.txt"
	"$NVTRACE" import "$TMP/hvc.txt" -o "$TMP/hvc.db" > /dev/null
	eq "hvc-nohz imports" "$?" 0
	"$NVTRACE" advise "$TMP/hvc.db" > "$TMP/a.txt"
	eq "advise exits 0" "$?" 0
	# what-if replays (advise's remedies) are stored too; unasked, views pick the plain model
	cp "$TMP/hvc.db" "$TMP/hvc2.db"
	"$NVTRACE" replay "$TMP/hvc2.db" --guest kvm-vhe > "$TMP/rp.txt"
	"$NVTRACE" replay "$TMP/hvc2.db" --guest kvm-vhe --set tda=0 > "$TMP/rt.txt"
	plain=$(awk '$1 == "v8.4" { print $2 }' "$TMP/rp.txt")
	check "the plain and the TDA-off replays differ" [ "$plain" != "$(awk '$1 == "v8.4" { print $2 }' "$TMP/rt.txt")" ]
	"$NVTRACE" flame "$TMP/hvc2.db" --arch v8.4 --folded --weight traps > "$TMP/fp.txt"
	eq "after a what-if replay, flame without edits draws the plain model (its v8.4 traps)" \
		"$(awk '{ s += $NF } END { print s }' "$TMP/fp.txt")" "$plain"
	check "advise: MDSCR_EL1 ranks first: 1506 traps, 3.00 per nested exit" \
		grep -q '^   1 MDSCR_EL1             1506    3.00' "$TMP/a.txt"
	check "advise: ... because of MDCR_EL2.TDA" \
		grep -q '^   1 MDSCR_EL1 .*MDCR_EL2.TDA: L0 traps the debug registers' "$TMP/a.txt"
	eq "advise: MDSCR_EL1 is a read and two writes per exit (PCs: no symbols)" \
		"$(awk '/^   1 MDSCR_EL1/ { f = 1; next } f && /^   2 / { f = 0 } f && /^       (read|write) / { print $1, $3 }' "$TMP/a.txt" | sort | tr '\n' ' ')" \
		"read 1.00 write 1.00 write 1.00 "
	check "advise: the sites are PCs without symbols" \
		sh -c "awk '/^   1 MDSCR_EL1/ { getline; print }' '$TMP/a.txt' | grep -q ' 0xffff[0-9a-f]*'"
	check "advise: the top line is TDA off" grep -q '^best single change: set tda=0 ' "$TMP/a.txt"
	check "advise: TDA off leaves 2 guest-hypervisor traps per plain hypercall, 3 as compare counts (2.04/3.04: one of 500 exits takes the put/load variant)" \
		grep -q '^       set tda=0 .* hvc [0-9.]* -> 3.04 | [0-9.]* -> 2.04$' "$TMP/a.txt"
	# every figure equals what compare/replay print with the same edit
	"$NVTRACE" advise "$TMP/hvc.db" --csv > "$TMP/a.csv"
	after=$(awk -F, '$10 == "set tda=0" { print $14, $16; exit }' "$TMP/a.csv")
	before=$(awk -F, '$10 == "set tda=0" { print $13, $15; exit }' "$TMP/a.csv")
	"$NVTRACE" replay "$TMP/hvc.db" --guest kvm-vhe --set tda=0 > "$TMP/r.txt"
	eq "advise's TDA-off totals = replay --set tda=0's" "$after" "$(awk '$1 == "v8.4" { print $2, $3 }' "$TMP/r.txt")"
	"$NVTRACE" replay "$TMP/hvc.db" --guest kvm-vhe > "$TMP/r0.txt"
	eq "advise's baseline totals = replay's" "$before" "$(awk '$1 == "v8.4" { print $2, $3 }' "$TMP/r0.txt")"
	eq "advise --csv header" "$(head -1 "$TMP/a.csv")" \
		"rank,access,traps,per_exit,trap_share,cycle_share,kinds,why,sites,remedy,remedy_kind,arch,model_traps_before,model_traps_after,model_cycles_before,model_cycles_after"
	"$NVTRACE" advise "$TMP/hvc.db" --json > "$TMP/a.json"
	eq "advise --json: valid, best = set tda=0, first group MDSCR_EL1 with 1506 traps" \
		"$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); g=d["groups"][0]; print(d["best"], g["access"], g["traps"])' "$TMP/a.json")" \
		"set tda=0 MDSCR_EL1 1506"
	eq "advise --json: TDA off leaves 2.04 guest-hypervisor traps per hypercall (2 on the 499 plain ones)" \
		"$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); r=[r for r in d["remedies"] if r["remedy"]=="set tda=0"][0]; print("%.2f %.2f" % (r["guest_hyp_per_exit_after"]["hvc"], r["per_exit_after"]["hvc"]))' "$TMP/a.json")" \
		"2.04 3.04"
	"$NVTRACE" compare v8.4 "$TMP/hvc.db" --guest kvm-vhe --set tda=0 --csv > "$TMP/c.csv"
	eq "compare --set tda=0: 3.04 traps per nested hypercall" "$(awk -F, '$1 == "hvc" { print $4 }' "$TMP/c.csv")" "3.04"
	"$NVTRACE" compare v8.4 "$TMP/hvc.db" --guest kvm-vhe --set tda=0 > "$TMP/c.txt"
	check "compare names the edit with the guest" grep -q 'guest kvm-vhe \[set tda=0\] (given), cost xgene' "$TMP/c.txt"
	# an edited model's replay is stored apart from the plain one
	eq "replays stored under 'GUEST [EDITS]'" \
		"$(sql "$TMP/hvc.db" "SELECT count(*) FROM replays WHERE guest = 'kvm-vhe [set tda=0]'")" 1
	"$NVTRACE" flame "$TMP/hvc.db" --guest kvm-vhe --set tda=0 --arch v8.4 --folded > "$TMP/ff.txt"
	eq "flame --set tda=0 exits 0" "$?" 0
	check "flame --set tda=0: MDSCR_EL1 in memory" grep -q '^hvc;sysreg_save_guest_state_vhe;MRS MDSCR_EL1;(memory) ' "$TMP/ff.txt"

	# profile from: 5 traps per hypercall; validate with it: the learned five do not differ
	"$NVTRACE" profile from "$TMP/hvc.db" -o "$TMP/mine.prof" > "$TMP/p.txt"
	eq "profile from exits 0" "$?" 0
	check "profile from: hvc, variant seq5 (5 traps) of 499 exits" \
		grep -qx '  hvc      seq5              5     499' "$TMP/p.txt"
	"$NVTRACE" validate "$TMP/hvc.db" --guest "$TMP/mine.prof" --csv > "$TMP/pv.csv"
	eq "validate --guest mine.prof: 5 predicted per hypercall" \
		"$(awk -F, '$1 == "hvc" { print $4 }' "$TMP/pv.csv")" "5.0000"
	eq "validate --guest mine.prof: irq (L1's own tick, 2 exits): the 5-trap one is in group seq5, the 24-trap one unlearned" \
		"$(awk -F, '$1 == "irq" { print $2, $3, $4 }' "$TMP/pv.csv")" "1 5.0000 5.0000"
	"$NVTRACE" validate "$TMP/hvc.db" --guest "$TMP/mine.prof" > "$TMP/pv.txt"
	eq "validate --guest mine.prof: none of the learned operations differ" \
		"$(sed -n '/^operations that differ/,$p' "$TMP/pv.txt" | grep -c '^  hvc      \(MDSCR_EL1\|ICH_MISR_EL2\|ERET\)')" 0
else
	skip "hvc-nohz acceptance" "$HVC not present"
fi
done_testing
