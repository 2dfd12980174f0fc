# nvtrace record on the real guest: every exit the guest made is in the db,
# exactly, with both backends; stat shows them.  The expected figures come from
# what nvguest does (examples/guest/README.md): one kvm_pio per port write,
# one kvm_mmio per MMIO write, one kvm_userspace_exit per exit to user space
# (KVM_EXIT_IO = 2, KVM_EXIT_HLT = 5, KVM_EXIT_MMIO = 6, KVM_EXIT_SHUTDOWN = 8
# in linux/kvm.h) plus the final shutdown, one kvm_cpuid / kvm_msr per
# instruction.
. "$ROOT/tests/lib.sh"
export LSAN_OPTIONS="suppressions=$ROOT/tests/lsan.supp:print_suppressions=0${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
. "$ROOT/tests/record_lib.sh"
need_record "record on the real guest"
[ -r /sys/kernel/btf/vmlinux ] || skip "bpf backend" "no BTF (/sys/kernel/btf/vmlinux)"
for be in $(backends); do
	db="$TMP/r-$be.db"
	"$NVTRACE" record -q -b "$be" -o "$db" -- "$NVGUEST" --pio 10000 --mmio 3000 > "$TMP/g" 2> "$TMP/err"
	eq "$be: record exits 0" "$?" 0
	eq "$be: source" "$(meta "$db" source)" "record-$be"
	eq "$be: status" "$(meta "$db" status)" complete
	eq "$be: nothing lost" "$(meta "$db" lost_events)" 0
	eq "$be: kvm_pio" "$(count "$db" kvm_pio)" 10000
	eq "$be: kvm_pio are writes of port 0x10" "$(count "$db" kvm_pio 'addr = 16 AND dir = 1')" 10000
	eq "$be: kvm_mmio" "$(count "$db" kvm_mmio)" 3000
	eq "$be: kvm_mmio are writes of 0x10000000" \
		"$(count "$db" kvm_mmio 'addr = 268435456 AND reason = 2 AND aux = 4')" 3000
	eq "$be: kvm_userspace_exit" "$(count "$db" kvm_userspace_exit)" 13001
	eq "$be: KVM_EXIT_IO exits" "$(count "$db" kvm_userspace_exit 'reason = 2')" 10000
	eq "$be: KVM_EXIT_MMIO exits" "$(count "$db" kvm_userspace_exit 'reason = 6')" 3000
	eq "$be: KVM_EXIT_SHUTDOWN exit" "$(count "$db" kvm_userspace_exit 'reason = 8')" 1
	eq "$be: one thread, the guest's" "$(sql "$db" 'SELECT count(DISTINCT pid) FROM events')" 1
	eq "$be: its name" "$(sql "$db" 'SELECT comm FROM threads')" nvguest
	"$NVTRACE" stat "$db" > "$TMP/stat"
	check "$be: stat shows 10000 port writes" grep -Eq '^PIO_WRITE 0x10 +10000 ' "$TMP/stat"
	check "$be: stat shows 3000 MMIO writes" grep -Eq '^MMIO_WRITE +3000 ' "$TMP/stat"

	# the kinds handled in the kernel, and hlt
	# (a new file each time: record never replaces an existing one)
	db="$TMP/k-$be.db"
	"$NVTRACE" record -q -b "$be" -o "$db" -- "$NVGUEST" --hlt 7 --cpuid 40 --msr 30 > /dev/null 2>&1
	eq "$be: kvm_cpuid" "$(count "$db" kvm_cpuid 'addr = 0')" 40
	eq "$be: kvm_msr (rdmsr 0x174)" "$(count "$db" kvm_msr 'addr = 372 AND dir = 0')" 30
	eq "$be: KVM_EXIT_HLT exits" "$(count "$db" kvm_userspace_exit 'reason = 5')" 7
	eq "$be: no user-space exit for cpuid/msr" "$(count "$db" kvm_userspace_exit)" 8
	eq "$be: no kvm_pio" "$(count "$db" kvm_pio)" 0

	# -p: another process's guest is not recorded, ours is
	"$NVGUEST" --loop > "$TMP/other" 2>&1 &
	other=$!
	db="$TMP/p-$be.db"
	"$NVTRACE" record -b "$be" -o "$db" -p "$other" -d 1 2> "$TMP/err"
	eq "$be: -p exits 0" "$?" 0
	kill -INT "$other"
	n=$(count "$db" kvm_pio)
	check "$be: -p recorded the process's port writes ($n)" [ "$n" -gt 1000 ]
	eq "$be: -p recorded only that process" "$(sql "$db" "SELECT count(*) FROM events WHERE pid != $other")" 0
	wait "$other"
done
done_testing
