# nvtrace costs: provenance listing, the leave-one-out check as printed, a
# cost table as a file (dump, edit, use, bad input).
. "$ROOT/tests/lib.sh"
"$NVTRACE" costs > "$TMP/list"
eq "costs exits 0" "$?" 0
eq "header names the host" "$(sed -n 2p "$TMP/list" | cut -c1-20)" "host: APM X-Gene (AR"
eq "v8.4 with xgene is hypothetical" "$(grep -c '^hypothetical: v8.4' "$TMP/list")" 1
eq "the fitted constants" "$(awk '$4 == "fitted" { print $2 "=" $3 }' "$TMP/list" | grep -v '^trap_el2_reg\|^access\|^handle_\|^undef\|^el2_\|^trap_debug' | tr '\n' ' ')" \
	"vcpu_put_load=12224 kvm_handle_hvc=1155 "
eq "placeholders: two, both named" "$(awk '$4 == "placeholder" { print $2 }' "$TMP/list" | tr '\n' ' ')" \
	"native_block_default vmm_mmio_round_trip "
"$NVTRACE" costs --cost vhe-nv2 > "$TMP/vhe"
eq "vhe-nv2: v8.3 and neve are what-ifs there, v8.4 is not" "$(grep '^hypothetical' "$TMP/vhe" | cut -d' ' -f2 | tr '\n' ' ')" "v8.3 neve "
eq "vhe-nv2: l0_switch derived, 244" "$(awk '$2 == "l0_switch" { print $3, $4 }' "$TMP/vhe")" "244 derived"
"$NVTRACE" costs --loo > "$TMP/loo"
eq "leave-one-out: vcpu_put_load fitted on vm and v8.3" "$(grep -o 'vcpu_put_load = [0-9,]*' "$TMP/loo")" "vcpu_put_load = 18,699"
eq "leave-one-out: NEVE predicted and its error" "$(grep 'predicted neve' "$TMP/loo" | tr -s ' ')" \
	" predicted neve: 115,951 cycles, published 92,385: error +25.5%"
"$NVTRACE" costs --csv > "$TMP/c.csv"
eq "CSV header" "$(head -1 "$TMP/c.csv")" "group,name,cycles,provenance,source"
"$NVTRACE" costs --dump > "$TMP/x.cost"
"$NVTRACE" compare neve --guest kvm-2017-nvhe --cost "$TMP/x.cost" --csv > "$TMP/file.csv" 2>/dev/null
eq "a dumped table used from its file: the same hypercall" "$(grep '^hypercall,' "$TMP/file.csv" | cut -d, -f3,4)" "15,92383"
grep -v '^block kvm_handle_hvc ' "$TMP/x.cost" > "$TMP/bad.cost"
"$NVTRACE" compare neve --guest kvm-2017-nvhe --cost "$TMP/bad.cost" > /dev/null 2> "$TMP/err"
eq "a table missing a block: exit 1" "$?" 1
eq "... one line naming the file and the block" "$(cat "$TMP/err")" \
	"nvtrace compare: $TMP/bad.cost: cost table 'xgene' has no block kvm_handle_hvc (the built-in profiles use it)"
# replay of a run takes the same files
"$NVTRACE" synth -w hypercall --vcpus 1 -d 0.01 --arch-host v8.4 --guest kvm-2017-nvhe -o "$TMP/run.db" > /dev/null
"$NVTRACE" costs --cost vhe-nv2 --dump > "$TMP/v.cost"
"$NVTRACE" replay "$TMP/run.db" --arch v8.4 --cost vhe-nv2 | tail -1 > "$TMP/builtin.out"
"$NVTRACE" replay "$TMP/run.db" --arch v8.4 --cost "$TMP/v.cost" > "$TMP/file.out"
eq "replay with the dumped vhe-nv2 file: the same totals" "$(tail -1 "$TMP/file.out")" "$(cat "$TMP/builtin.out")"
eq "replay says which table it used" "$(grep -c "^guest kvm-2017-nvhe (.*), cost $TMP/v.cost$" "$TMP/file.out")" 1
"$NVTRACE" replay "$TMP/run.db" --cost "$TMP/bad.cost" > /dev/null 2> "$TMP/err"
eq "replay with a table missing a block: exit 1" "$?" 1
eq "... one line naming the file" "$(cat "$TMP/err")" \
	"nvtrace replay: $TMP/bad.cost: cost table 'xgene' has no block kvm_handle_hvc (the built-in profiles use it)"
"$NVTRACE" compare neve --guest kvm-2017-nvhe 2> "$TMP/warn" > /dev/null
eq "placeholder blocks are warned about" "$(grep -c "warning: cost xgene: block 'vmm_mmio_round_trip' has no calibrated cost" "$TMP/warn")" 1
"$NVTRACE" costs --cost nope 2> "$TMP/err"; eq "unknown table: exit 2" "$?" 2
done_testing
