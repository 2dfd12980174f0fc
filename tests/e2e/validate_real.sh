# validate's report card on every real NV2 recording in ../shared (issue 12):
# the kinds reconstruction finds, and per kind and path variant the observed
# and predicted traps of the kvm-vhe profile, with exact values.  Each
# recording is skipped, with the reason, where ../shared does not have it.
. "$ROOT/tests/lib.sh"
RR="$REF/real-arm64-nv"

# rows RUN: import RUN (a .dat, or .trace.txt.xz decompressed), validate it
card() {
	src=$1 name=$2
	case "$src" in
	*.xz) xz -dc "$src" > "$TMP/$name.txt" && src="$TMP/$name.txt" ;;
	esac
	"$NVTRACE" import "$src" -o "$TMP/$name.db" > /dev/null 2>&1 &&
		"$NVTRACE" validate "$TMP/$name.db" > "$TMP/$name.val" 2> "$TMP/$name.err"
}
# has NAME LINE: the report card prints exactly this line
has() { check "$1: $2" grep -qxF -- "$2" "$TMP/$1.val"; }
pass() { has "$1" "verdict: PASS (every kind has a path; modal traps equal per kind and variant; means within 5%; nothing unmodelled)"; }

run() {
	name=$1 file=$2
	if [ ! -f "$file" ]; then
		skip "$name: report card" "no $file"
		return 1
	fi
	card "$file" "$name"
	eq "$name: import and validate exit 0" "$?" 0
}

if run nv-hypercall "$RR/nv-hypercall.dat"; then
	has nv-hypercall "hvc      (all)                         1000      5.66      5.66    -0.0%     5/5          1"
	has nv-hypercall "           plain                        939      5.00      5.00    +0.0%     5/5          0"
	has nv-hypercall "           retry                         31      8.00      8.00    +0.0%     8/8          0"
	has nv-hypercall "           putload                       20     23.10     23.00    -0.4%    23/23         1"
	has nv-hypercall "s2fault  (all)                            1     26.00     26.00    +0.0%    26/26         0"
	# L1's own EL2 virtual timer (INTID 28) interrupting L2: irq, not timer
	has nv-hypercall "irq      (all)                          192      7.29      7.28    -0.1%     5/5          1"
	has nv-hypercall "unmodelled: 0 of 1193 nested exits (0.0%), 0 of 7088 observed traps (0.0%)"
	pass nv-hypercall
fi
if run device-io-nohz "$RR/runs/device-io-nohz.dat"; then
	# KVM_EXIT_MMIO: every exit does a vcpu_put/vcpu_load (24 traps)
	has device-io-nohz "mmio     (all)                          500     24.16     24.16    +0.0%    24/24         0"
	has device-io-nohz "           putload                      489     24.00     24.00    +0.0%    24/24         0"
	has device-io-nohz "           putload*2+kick                 3     43.00     43.00    +0.0%    43/43         0"
	pass device-io-nohz
	# flame lists each exit on the variant replay costed: its totals are replay's
	"$NVTRACE" replay "$TMP/device-io-nohz.db" --guest kvm-vhe --arch v8.4 > "$TMP/dio.rep"
	"$NVTRACE" flame "$TMP/device-io-nohz.db" --guest kvm-vhe --arch v8.4 -o "$TMP/dio.svg"
	check "device-io: replay v8.4 totals" grep -q '^v8.4 *12582 *50003974 ' "$TMP/dio.rep"
	check "device-io: flame's ops add up to replay's totals (variants found)" \
		grep -q '500 nested exits, 50003974 cycles, 12582 traps to L0' "$TMP/dio.svg"
fi
if run ipi-nohz "$RR/runs/ipi-nohz.dat"; then
	# the sender's SGI (kick: L1's ICC_SGI1R_EL1 write) and the receiver's IRQ (live LR)
	has ipi-nohz "ipi      (all)                          402      6.87      6.87    +0.0%     6/6          0"
	has ipi-nohz "           kick                         192      6.00      6.00    +0.0%     6/6          0"
	has ipi-nohz "           live-lr                      184      6.00      6.00    +0.0%     6/6          0"
	has ipi-nohz "           putload+kick*2                 1     25.00     25.00    +0.0%    25/25         0"
	pass ipi-nohz
fi
if run hvc-nohz "$RR/runs/hvc-nohz.trace.txt.xz"; then
	has hvc-nohz "hvc      (all)                          500      5.04      5.04    +0.0%     5/5          0"
	has hvc-nohz "           plain                        499      5.00      5.00    +0.0%     5/5          0"
	has hvc-nohz "irq      (all)                            2     14.50     14.50    +0.0%     5/5          0"
	pass hvc-nohz
fi
if run vtimer "$RR/runs/vtimer-10ms-nohz.trace.txt.xz"; then
	has vtimer "timer    (all)                          202      6.64      6.64    +0.0%     6/6          0"
	has vtimer "           live-lr                      194      6.00      6.00    +0.0%     6/6          0"
	has vtimer "irq      (all)                            2      6.00      6.00    +0.0%     6/6          0"
	pass vtimer
fi
if run wfi "$RR/runs/wfi-1ms.trace.txt.xz"; then
	# a WFI that blocks: kvm_vcpu_wfi puts and loads the vGIC (two ICH_VTR_EL2 reads)
	has wfi "wfi      (all)                          199     10.97     10.96    -0.1%     8/8          1"
	has wfi "           live-lr+block                157      8.00      8.00    +0.0%     8/8          0"
	has wfi "irq      (all)                          120     10.68     10.68    +0.0%     6/6          0"
	pass wfi
fi

# a profile whose variant signature is bad: one line naming file:line, exit 1
if [ -f "$TMP/hvc-nohz.db" ]; then
	printf 'profile bad\nvariant v when NOPE_EL2:r\npath hvc\n  exc\n  eret\nend\n' > "$TMP/bad.prof"
	"$NVTRACE" validate "$TMP/hvc-nohz.db" --guest "$TMP/bad.prof" > /dev/null 2> "$TMP/err"
	eq "bad variant signature: exit 1" "$?" 1
	eq "bad variant signature: one line, file:line" "$(cat "$TMP/err")" \
		"nvtrace validate: $TMP/bad.prof:2: bad variant signature: unknown register or EC 'NOPE_EL2'"
	# a profile without the irq path: those exits are UNMODELLED, counted and shown
	printf 'profile hvconly\npath hvc\n  exc\n  eret\nend\n' > "$TMP/hvconly.prof"
	"$NVTRACE" validate "$TMP/hvc-nohz.db" --guest "$TMP/hvconly.prof" > "$TMP/h.val"
	check "unmodelled kind shown as such" grep -q '^irq  .*UNMODELLED: the profile has no path$' "$TMP/h.val"
	check "unmodelled share: 2 of 502 exits, 29 of 2547 traps" \
		grep -qxF "unmodelled: 2 of 502 nested exits (0.4%), 29 of 2547 observed traps (1.1%)" "$TMP/h.val"
	check "verdict FAIL names the kind without a path" grep -q '^verdict: FAIL (1 kinds without a path' "$TMP/h.val"
else
	skip "bad variant signature" "no hvc-nohz recording"
fi
done_testing
