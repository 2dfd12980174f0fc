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
eq "CSV header" "$(echo "$csv" | head -1)" "bench,arch,traps,cycles,ratio_to_vm"
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
done_testing
