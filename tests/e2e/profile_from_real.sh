# profile from on every real NV2 recording in ../shared (issue 14), then
# validate --guest with the learned profile on the same run: per kind and per
# learned variant the observed and predicted traps agree exactly (modal,
# mean, no exit off); the exits of the groups left out are reported as
# unlearned with their count and mean.  Exact values; each recording is
# skipped, with the reason, where ../shared does not have it.  Then the
# loader: the learned file parses (explain), and a malformed one is one
# line naming file:line.
. "$ROOT/tests/lib.sh"
RR="$REF/real-arm64-nv"

# learn NAME SRC [KALLSYMS]: import SRC (a .dat, or .trace.txt.xz), attach
# symbols, profile from, validate --guest with the result
learn() {
	name=$1 src=$2 syms=$3
	case "$src" in
	*.xz) xz -dc "$src" > "$TMP/$name.txt" && src="$TMP/$name.txt" ;;
	esac
	"$NVTRACE" import "$src" -o "$TMP/$name.db" > /dev/null 2>&1 || return 1
	if [ -n "$syms" ]; then
		"$NVTRACE" symbols "$TMP/$name.db" "$syms" > /dev/null || return 1
	fi
	"$NVTRACE" profile from "$TMP/$name.db" -o "$TMP/$name.prof" > "$TMP/$name.learn" || return 1
	"$NVTRACE" validate "$TMP/$name.db" --guest "$TMP/$name.prof" > "$TMP/$name.val"
}
run() {
	name=$1 file=$2
	if [ ! -f "$file" ]; then
		skip "$name: profile from + validate --guest" "no $file"
		return 1
	fi
	learn "$@"
	eq "$name: import, profile from, validate exit 0" "$?" 0
}
# learned NAME LINE: profile from printed exactly this row (kind, variant, traps, exits)
learned() { check "$1: learned: $2" grep -qxF -- "$2" "$TMP/$1.learn"; }
# has NAME LINE: validate --guest printed exactly this line
has() { check "$1: $2" grep -qxF -- "$2" "$TMP/$1.val"; }
# zero NAME: every kind and variant row with figures has error +0.0%, modal o = p, off 0
zero() {
	bad=$(sed -n '/^kind /,/^$/p' "$TMP/$1.val" | awk '$NF ~ /^[0-9]+$/ && NF >= 7 {
		split($(NF-1), m, "/"); if ($(NF-2) != "+0.0%" || m[1] != m[2] || $NF != 0) print }')
	eq "$1: 0 error on every learned kind and variant" "$bad" ""
}
pass() { has "$1" "verdict: PASS (every kind has a path; modal traps equal per kind and variant; means within 5%; nothing unmodelled)"; }

if run nv-hypercall "$RR/nv-hypercall.dat"; then
	learned nv-hypercall "wrote $TMP/nv-hypercall.prof: profile nv-hypercall, observed on v8.4, 5 learned sequences (variants)"
	learned nv-hypercall "  hvc      seq5              5     939"
	learned nv-hypercall "  hvc      seq8              8      31"
	learned nv-hypercall "  hvc      seq23            23      19"
	learned nv-hypercall "  hvc      seq26b           26       9"
	learned nv-hypercall "  hvc      (unlearned)       -       2   matched no learned variant (2 groups)"
	learned nv-hypercall "  s2fault  seq26            26       1"
	learned nv-hypercall "  irq      seq5              5     168"
	learned nv-hypercall "  irq      (unlearned)       -       1   matched no learned variant (1 group)"
	has nv-hypercall "hvc      (all)                          998      5.63      5.63    +0.0%     5/5          0"
	has nv-hypercall "           seq5                         939      5.00      5.00    +0.0%     5/5          0"
	has nv-hypercall "           seq8                          31      8.00      8.00    +0.0%     8/8          0"
	has nv-hypercall "           seq23                         19     23.00     23.00    +0.0%    23/23         0"
	has nv-hypercall "           seq26b                         9     26.00     26.00    +0.0%    26/26         0"
	has nv-hypercall "           (unlearned)                    2     24.50         -   matched no learned variant"
	has nv-hypercall "s2fault  (all)                            1     26.00     26.00    +0.0%    26/26         0"
	has nv-hypercall "irq      (all)                          191      7.29      7.29    +0.0%     5/5          0"
	has nv-hypercall "           seq23                         15     23.00     23.00    +0.0%    23/23         0"
	has nv-hypercall "           seq26b                         8     26.00     26.00    +0.0%    26/26         0"
	# the one irq exit with an IABT (the format has no op for it) is left out, not hidden
	has nv-hypercall "           (unlearned)                    1      6.00         -   matched no learned variant"
	check "nv-hypercall: the IABT group is named as not expressible" \
		grep -qxF "#   6 traps: 1 exit (a trap the format cannot express)" "$TMP/nv-hypercall.prof"
	has nv-hypercall "unlearned: 3 of 1193 nested exits (0.3%), 55 of 7088 observed traps (0.8%): no learned variant matches them (not in the figures above)"
	zero nv-hypercall
	pass nv-hypercall
fi
KSYMS="$RR/runs/device-io-nohz.l1.kallsyms.xz"
[ -f "$KSYMS" ] || KSYMS=
if run device-io-nohz "$RR/runs/device-io-nohz.dat" "$KSYMS"; then
	learned device-io-nohz "  mmio     seq24            24     489"
	learned device-io-nohz "  mmio     seq25            25       6"
	learned device-io-nohz "  mmio     seq43            43       3"
	learned device-io-nohz "  mmio     (unlearned)       -       2   matched no learned variant (2 groups)"
	has device-io-nohz "mmio     (all)                          498     24.13     24.13    +0.0%    24/24         0"
	has device-io-nohz "           seq24                        489     24.00     24.00    +0.0%    24/24         0"
	has device-io-nohz "           seq25                          6     25.00     25.00    +0.0%    25/25         0"
	has device-io-nohz "           seq43                          3     43.00     43.00    +0.0%    43/43         0"
	has device-io-nohz "           (unlearned)                    2     33.50         -   matched no learned variant"
	has device-io-nohz "unlearned: 2 of 500 nested exits (0.4%), 67 of 12082 observed traps (0.6%): no learned variant matches them (not in the figures above)"
	zero device-io-nohz
	pass device-io-nohz
	if [ -n "$KSYMS" ]; then
		# with the guest hypervisor's kallsyms the sequences name their functions
		for fn in kvm_vcpu_put_debug __sysreg_save_el1_state timer_save_state gic_poke_irq \
			  kvm_vcpu_load_vhe kvm_hyp_handle_dabt_low __vgic_v3_save_state; do
			check "device-io-nohz: the learned sequences name $fn" \
				grep -qx "  fn $fn observed:v8.4" "$TMP/device-io-nohz.prof"
		done
		sed -n '/^seq mmio_seq43$/,/^end$/p' "$TMP/device-io-nohz.prof" > "$TMP/s43"
		eq "device-io-nohz: seq43 is two put/loads (2 CNTKCTL_EL12 reads) and a kick (1 ICC_SGI1R_EL1 write)" \
			"$(grep -c '^  mrs CNTKCTL_EL12 ' "$TMP/s43") $(grep -c '^  msr ICC_SGI1R_EL1 ' "$TMP/s43")" "2 1"
	else
		skip "device-io-nohz: function names" "no $RR/runs/device-io-nohz.l1.kallsyms.xz"
	fi
fi
if run ipi-nohz "$RR/runs/ipi-nohz.dat"; then
	# two groups of 6 traps: the sender's kick (ICC_SGI1R_EL1) and the receiver's live LR (ICH_ELRSR_EL2)
	learned ipi-nohz "  ipi      seq6              6     192"
	learned ipi-nohz "  ipi      seq6b             6     184"
	learned ipi-nohz "  ipi      (unlearned)       -       7   matched no learned variant (7 groups)"
	has ipi-nohz "ipi      (all)                          395      6.43      6.43    +0.0%     6/6          0"
	has ipi-nohz "           seq6                         192      6.00      6.00    +0.0%     6/6          0"
	has ipi-nohz "           seq6b                        184      6.00      6.00    +0.0%     6/6          0"
	has ipi-nohz "           seq7                           7      7.00      7.00    +0.0%     7/7          0"
	has ipi-nohz "           seq7b                          3      7.00      7.00    +0.0%     7/7          0"
	has ipi-nohz "           seq24                          5     24.00     24.00    +0.0%    24/24         0"
	has ipi-nohz "           seq24b                         2     24.00     24.00    +0.0%    24/24         0"
	has ipi-nohz "           seq23                          2     23.00     23.00    +0.0%    23/23         0"
	has ipi-nohz "           (unlearned)                    7     31.43         -   matched no learned variant"
	check "ipi-nohz: seq6 is the kick, seq6b the live LR" sh -c \
		"sed -n '/^seq ipi_seq6\$/,/^end\$/p' '$TMP/ipi-nohz.prof' | grep -q '^  msr ICC_SGI1R_EL1 ' &&
		 sed -n '/^seq ipi_seq6b\$/,/^end\$/p' '$TMP/ipi-nohz.prof' | grep -q '^  mrs ICH_ELRSR_EL2 '"
	zero ipi-nohz
	pass ipi-nohz
fi
if run hvc-nohz "$RR/runs/hvc-nohz.trace.txt.xz"; then
	learned hvc-nohz "  hvc      seq5              5     499"
	learned hvc-nohz "  irq      seq5              5       1"
	has hvc-nohz "hvc      (all)                          499      5.00      5.00    +0.0%     5/5          0"
	has hvc-nohz "           (unlearned)                    1     23.00         -   matched no learned variant"
	has hvc-nohz "irq      (all)                            1      5.00      5.00    +0.0%     5/5          0"
	has hvc-nohz "           (unlearned)                    1     24.00         -   matched no learned variant"
	has hvc-nohz "unlearned: 2 of 502 nested exits (0.4%), 47 of 2547 observed traps (1.8%): no learned variant matches them (not in the figures above)"
	zero hvc-nohz
	pass hvc-nohz
	# the learned file parses: explain shows the hypercall's five traps and the ERET
	"$NVTRACE" explain hvc --guest "$TMP/hvc-nohz.prof" --arch v8.4 > "$TMP/ex.txt" 2>&1
	eq "explain --guest learned.prof exits 0" "$?" 0
	check "explain: the learned hvc path is 6 traps (the forwarded hvc, 4 registers, ERET)" \
		grep -q '^total: 6 operations, 6 traps, ' "$TMP/ex.txt"
	# malformed learned files: one line naming file:line, exit 1
	n=$(grep -n '^variant seq5 when ' "$TMP/hvc-nohz.prof" | cut -d: -f1)
	sed 's/^variant seq5 when [^:]*/variant seq5 when NOPE_EL2:r /' "$TMP/hvc-nohz.prof" > "$TMP/bad1.prof"
	"$NVTRACE" validate "$TMP/hvc-nohz.db" --guest "$TMP/bad1.prof" > /dev/null 2> "$TMP/err"
	eq "a learned file with a bad signature: exit 1" "$?" 1
	eq "... one line naming file:line" "$(cat "$TMP/err")" \
		"nvtrace validate: $TMP/bad1.prof:$n: bad variant signature: unknown register or EC 'NOPE_EL2'"
	n=$(grep -n '^variants exhaustive' "$TMP/hvc-nohz.prof" | cut -d: -f1)
	sed 's/^variants exhaustive/variants sometimes/' "$TMP/hvc-nohz.prof" > "$TMP/bad2.prof"
	"$NVTRACE" validate "$TMP/hvc-nohz.db" --guest "$TMP/bad2.prof" > /dev/null 2> "$TMP/err"
	eq "a learned file with a bad 'variants' line: one line naming file:line" "$(cat "$TMP/err")" \
		"nvtrace validate: $TMP/bad2.prof:$n: want 'variants exhaustive', not 'variants sometimes'"
	n=$(grep -n '^  use hvc_seq5 if seq5$' "$TMP/hvc-nohz.prof" | cut -d: -f1)
	sed 's/^  use hvc_seq5 if seq5$/  use hvc_seq9 if seq5/' "$TMP/hvc-nohz.prof" > "$TMP/bad3.prof"
	"$NVTRACE" validate "$TMP/hvc-nohz.db" --guest "$TMP/bad3.prof" > /dev/null 2> "$TMP/err"
	eq "a learned file using a seq it lacks: one line naming file:line" "$(cat "$TMP/err")" \
		"nvtrace validate: $TMP/bad3.prof:$n: use of undefined seq 'hvc_seq9'"
	# without 'variants exhaustive' the same file costs unlearned exits on the plain path
	grep -v '^variants exhaustive' "$TMP/hvc-nohz.prof" > "$TMP/open.prof"
	"$NVTRACE" validate "$TMP/hvc-nohz.db" --guest "$TMP/open.prof" > "$TMP/open.val"
	check "without 'variants exhaustive': the 23-trap hvc exit is costed as plain (5), off 1" \
		grep -qxF "           plain                          1     23.00      5.00   -78.3%    23/5          1" "$TMP/open.val"
fi
if run vtimer "$RR/runs/vtimer-10ms-nohz.trace.txt.xz"; then
	learned vtimer "  irq      seq6              6       2"
	learned vtimer "  timer    seq6              6     194"
	learned vtimer "  timer    seq7              7       3"
	has vtimer "timer    (all)                          197      6.02      6.02    +0.0%     6/6          0"
	has vtimer "           (unlearned)                    5     31.20         -   matched no learned variant"
	has vtimer "irq      (all)                            2      6.00      6.00    +0.0%     6/6          0"
	zero vtimer
	pass vtimer
fi
if run wfi "$RR/runs/wfi-1ms.trace.txt.xz"; then
	# eight variants (the learner's limit: one if/else level each): the rarest groups stay unlearned
	learned wfi "wrote $TMP/wfi.prof: profile wfi, observed on v8.4, 8 learned sequences (variants)"
	learned wfi "  wfi      seq8              8     157"
	learned wfi "  wfi      seq27            27      15"
	learned wfi "  wfi      seq12            12      14"
	learned wfi "  wfi      (unlearned)       -      13   matched no learned variant (10 groups)"
	learned wfi "  irq      seq6              6      84"
	learned wfi "  irq      (unlearned)       -       5   matched no learned variant (4 groups)"
	has wfi "wfi      (all)                          186      9.83      9.83    +0.0%     8/8          0"
	has wfi "           (unlearned)                   13     27.31         -   matched no learned variant"
	has wfi "irq      (all)                          115      9.83      9.83    +0.0%     6/6          0"
	has wfi "           (unlearned)                    5     30.20         -   matched no learned variant"
	has wfi "unlearned: 18 of 319 nested exits (5.6%), 506 of 3466 observed traps (14.6%): no learned variant matches them (not in the figures above)"
	zero wfi
	pass wfi
fi
done_testing
