#!/bin/sh
# The model's part 2 through the command: the four microbenchmarks on the
# four architectures (kvm-2017-nvhe, xgene), and explain's sub-model column.
# Expected trap counts follow from KVM's code paths, relative to the
# hypercall's 126 (v8.3) that part 1 establishes:
#  - device-io: the same round trip, plus __populate_fault_info's FAR_EL2 and
#    HPFAR_EL2 reads for a data abort (both trap on v8.3): 126 + 2;
#  - virtual-eoi: the nested VM's EOI goes to the GIC virtual CPU interface
#    and never traps, on every architecture;
#  - virtual-ipi on vm: the sender's exit and the receiver's exit: 2 traps.
. "$(dirname "$0")/../lib.sh"
csv=$("$NVTRACE" compare vm v8.3 neve v8.4 --guest kvm-2017-nvhe --cost xgene --csv 2>"$TMP/err")
eq "compare exits 0" "$?" 0
eq "CSV header" "$(echo "$csv" | head -1)" "bench,arch,traps,cycles,ratio_to_vm,cost,hypothetical"
eq "5 benchmarks x 4 architectures" "$(echo "$csv" | tail -n +2 | wc -l | tr -d ' ')" 20
traps() { echo "$csv" | awk -F, -v b="$1" -v a="$2" '$1 == b && $2 == a { print $3 }'; }
eq "hypercall v8.3: 126 traps" "$(traps hypercall v8.3)" 126
eq "device-io v8.3: hypercall + FAR_EL2 + HPFAR_EL2" "$(traps device-io v8.3)" 128
for a in vm v8.3 neve v8.4; do
	eq "virtual-eoi $a: no trap" "$(traps virtual-eoi $a)" 0
done
eq "virtual-ipi vm: sender exit + receiver exit" "$(traps virtual-ipi vm)" 2
eq "virtual-timer vm: the VM's one timer exit" "$(traps virtual-timer vm)" 1
out=$("$NVTRACE" explain virtual-timer --arch v8.3 --guest kvm-2017-nvhe)
check "virtual-timer: the vtimer fires and is forwarded, from the timer sub-model" \
	sh -c "echo \"\$1\" | grep -q ' timer .*vtimer PPI 27 fired'" _ "$out"
check "virtual-timer: L0 keeps the HW bit in the shadow LR" \
	sh -c "echo \"\$1\" | grep -q ' gic .*HW bit kept'" _ "$out"
out=$("$NVTRACE" explain device-io --arch v8.3 --guest kvm-2017-nvhe)
eq "explain device-io exits 0" "$?" 0
check "explain lists the L0 stage-2 walk from the mmu sub-model" \
	sh -c "echo \"\$1\" | grep -q ' mmu .*s2_walk_level'" _ "$out"
check "explain lists the timer switch from the timer sub-model" \
	sh -c "echo \"\$1\" | grep -q ' timer .*CNTV_CTL_EL0'" _ "$out"
out=$("$NVTRACE" explain virtual-ipi --arch neve --guest kvm-2017-nvhe)
check "virtual-ipi: the guest hypervisor's GICH_LR0 write traps (GICv2 MMIO), from gic" \
	sh -c "echo \"\$1\" | grep -q ' gic .*GICH_LR0 .*trap:vgic_v2_gich_mmio'" _ "$out"
check "virtual-ipi: the nested VM's EOI is native, from gic" \
	sh -c "echo \"\$1\" | grep -q ' gic .*gic_cpuif_access *native .*GICV_EOIR'" _ "$out"
"$NVTRACE" explain no-such-bench >/dev/null 2>&1
eq "unknown kind or benchmark: usage error" "$?" 2

# --- kvm-vhe's sub-model steps through replay and validate ------------------
# A synthetic kernbench run (nested, v8.4 host): every stage-2 fault exit is
# forwarded (mmu.s2_fault), mapped by the guest (mmu.guest_map) and retried
# by the nested VM after the ERET: one trap L0 resolves alone (mmu.retry),
# which the trace holds outside the nested exit.  validate compares like
# with like (no error); replay costs the retry with its exit.
"$NVTRACE" synth -w "$ROOT/examples/workloads/kernbench.txt" --vcpus 2 -d 0.05 --arch-host v8.4 \
	--guest kvm-vhe -o "$TMP/kb.db" > /dev/null
eq "synth kernbench (nested, kvm-vhe) exits 0" "$?" 0
"$NVTRACE" validate "$TMP/kb.db" --csv > "$TMP/kb.csv"
eq "validate of it exits 0" "$?" 0
nf=$(awk -F, '$1 == "s2fault" {print $2}' "$TMP/kb.csv")
check "kernbench has stage-2 fault exits" [ "${nf:-0}" -gt 0 ]
eq "s2fault: observed = predicted traps before the ERET" "$(awk -F, '$1 == "s2fault" {print ($3 == $4)}' "$TMP/kb.csv")" 1
eq "every kind: zero error" "$(awk -F, 'NR > 1 && $5 != "0.0000"' "$TMP/kb.csv" | wc -l | tr -d ' ')" 0
"$NVTRACE" replay "$TMP/kb.db" > "$TMP/kb.rep"
nx=$(sql "$TMP/kb.db" "SELECT count(*) FROM nested_exits")
obs=$(sql "$TMP/kb.db" "SELECT sum(observed_traps) FROM nested_exits")
# outside nested exits: each exit's own cause (before L0 forwards it), and the retries
eq "replay: one exit outside nested exits per nested exit + one per stage-2 fault" \
	"$(sed -n 's/.*exits outside nested exits \([0-9]*\).*/\1/p' "$TMP/kb.rep")" "$((nx + nf))"
eq "replay v8.4: observed traps + the forwarded exceptions + one retry per stage-2 fault" \
	"$(awk '$1 == "v8.4" {print $2}' "$TMP/kb.rep")" "$((obs + nx + nf))"

# The guest hypervisor's unmap, read from an exit's traps: two TLBIs added
# to the last nested exit select kvm-vhe's unmap variant (mmu.guest_unmap),
# predicted as exactly those two traps on v8.4.
last=$(sql "$TMP/kb.db" "SELECT max(ts) FROM events WHERE type = 26")
pid=$(sql "$TMP/kb.db" "SELECT pid FROM events WHERE type = 26 AND ts = $last")
for enc in $((0x14801)) $((0x10830)); do
	sql "$TMP/kb.db" "INSERT INTO events (ts, pid, type, name_id, reason, ec) SELECT $last - 2, $pid, 1, name_id, 2, 24 FROM events WHERE type = 1 LIMIT 1;
		INSERT INTO events (ts, pid, type, name_id, sysreg, dir) SELECT $last - 1, $pid, 32, name_id, $enc, 1 FROM events WHERE type = 32 LIMIT 1"
done
"$NVTRACE" validate "$TMP/kb.db" > "$TMP/kb.val"
eq "validate of the edited run exits 0" "$?" 0
check "an exit with TLBI IPAS2E1IS takes the unmap variant, predicted as observed" \
	grep -Eq '^ +[a-z+*0-9-]*unmap[a-z+*0-9-]* +1 +([0-9.]+) +\1 +\+0\.0%' "$TMP/kb.val"
check "... the TLBIs are no differing operation" sh -c "! grep -q 'TLBI_IPAS2E1IS.*observed' '$TMP/kb.val'"

# switch-vm (a what-if: each put/load runs another nested VM) on the real
# device-io recording, where every exit does a put/load: mmu.switch_vm and
# the shadow recycling at the nested ERET are L0 work
# inside vcpu_put_load and the guest's VTTBR write is its path's own: the
# totals do not move.
if [ -f "$REF/real-arm64-nv/runs/device-io-nohz.dat" ]; then
	"$NVTRACE" import "$REF/real-arm64-nv/runs/device-io-nohz.dat" -o "$TMP/dio.db" > /dev/null 2>&1
	"$NVTRACE" replay "$TMP/dio.db" --arch v8.3 > "$TMP/dio0.rep"
	"$NVTRACE" replay "$TMP/dio.db" --arch v8.3 --set switch-vm=1 > "$TMP/dio1.rep"
	eq "replay --set switch-vm=1 exits 0" "$?" 0
	eq "switch-vm: the same v8.3 totals" "$(awk '$1 == "v8.3"' "$TMP/dio1.rep")" "$(awk '$1 == "v8.3"' "$TMP/dio0.rep")"
else
	skip "switch-vm on the real device-io recording" "no $REF/real-arm64-nv/runs/device-io-nohz.dat"
fi
done_testing
