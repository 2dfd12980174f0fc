# nvtrace import / info / stat on real and hand-written traces, and bad input.
. "$ROOT/tests/lib.sh"
FIX="$ROOT/tests/fixtures"
NVH="$REF/real-arm64-nv/nv-hypercall.dat"
L1="$REF/real-arm64-nv/l1-at-vel2.trace.txt.xz"

# "name count" lines of a run database, sorted
db_counts() { sql "$1" "SELECT n.name || ' ' || count(*) FROM events e JOIN event_names n
	ON n.id = e.name_id GROUP BY n.name ORDER BY n.name"; }
# the same from text: the word after the "SECONDS.FRACTION:" column is the event name
text_counts() { awk '!/^#/ { for (i = 1; i < NF; i++) if ($i ~ /^[0-9]+\.[0-9]+:$/) {
	n = $(i + 1); sub(/:$/, "", n); c[n]++; break } }
	END { for (n in c) print n " " c[n] }' "$1" | sort; }

# --- trace.dat recorded on this machine: counts equal trace-cmd report's --------------
if command -v trace-cmd > /dev/null; then
	trace-cmd report -i "$FIX/x86-pio-mmio.dat" > "$TMP/fix.report" 2>/dev/null
	"$NVTRACE" import "$FIX/x86-pio-mmio.dat" -o "$TMP/fix.db" > /dev/null
	eq "fixture trace.dat imports" "$?" 0
	eq "fixture trace.dat: counts per event = trace-cmd report" \
		"$(db_counts "$TMP/fix.db")" "$(text_counts "$TMP/fix.report")"
	eq "fixture trace.dat: status complete" "$(sql "$TMP/fix.db" "SELECT value FROM meta WHERE key='status'")" complete
	eq "fixture trace.dat: host x86_64" "$(sql "$TMP/fix.db" "SELECT value FROM meta WHERE key='host_arch'")" x86_64
else
	skip "fixture trace.dat vs trace-cmd report" "trace-cmd is not installed"
fi
for f in report trace; do
	"$NVTRACE" import "$FIX/x86-pio-mmio.$f.txt" -o "$TMP/fix-$f.db" > /dev/null
	eq "fixture $f text: counts per event = the text's" \
		"$(db_counts "$TMP/fix-$f.db")" "$(text_counts "$FIX/x86-pio-mmio.$f.txt")"
done
eq "fixture: the tracefs text and the trace.dat decode to the same rows" \
	"$(sql "$TMP/fix-trace.db" "SELECT count(*), sum(pid), sum(type), sum(coalesce(reason,7)), sum(coalesce(addr,3)), sum(coalesce(value,5)) FROM events")" \
	"$(sql "$TMP/fix.db" "SELECT count(*), sum(pid), sum(type), sum(coalesce(reason,7)), sum(coalesce(addr,3)), sum(coalesce(value,5)) FROM events")"

# events nvtrace does not decode keep their fields: the trace.dat's raw fields carry the
# values the tracefs text printed for the same event
next=$(sed -n 's/.*kvm_write_tsc_offset: vcpu=0 prev=0 next=\([0-9]*\).*/\1/p' "$FIX/x86-pio-mmio.trace.txt")
eq "undecoded event kept with raw fields (kvm_write_tsc_offset)" \
	"$(sql "$TMP/fix.db" "SELECT r.fields FROM event_raw r JOIN events e ON e.id = r.event_id
		JOIN event_names n ON n.id = e.name_id WHERE n.name = 'kvm_write_tsc_offset'")" \
	"vcpu_id=0 previous_tsc_offset=0 next_tsc_offset=$next"

# stat on the fixture: the guest (pio_mmio_guest.c) made N/2 port writes to 0x3f8 and
# N/2 one-byte stores to 0x8000 (MMIO); between them the inc and jmp are emulated alone.
gpid=$(sql "$TMP/fix.db" "SELECT pid FROM threads WHERE comm = 'guest'")
gv=$("$NVTRACE" stat "$TMP/fix.db" | sed -n "s/^vCPU \([0-9]*\) (tid $gpid).*/\1/p")
"$NVTRACE" stat "$TMP/fix.db" --vcpu "$gv" --csv > "$TMP/fix.csv"
eq "stat --csv header" "$(head -1 "$TMP/fix.csv")" "vcpu,tid,reason,count,percent,total_ns,min_ns,max_ns,mean_ns,stddev_ns"
eq "stat --vcpu N --csv: only that vCPU's rows, named by index and tid" \
	"$(awk -F, 'NR > 1 {print $1 "," $2}' "$TMP/fix.csv" | sort -u)" "$gv,$gpid"
eq "stat --vcpu TID = --vcpu INDEX" "$("$NVTRACE" stat "$TMP/fix.db" --vcpu "$gpid" --csv | md5sum)" \
	"$(md5sum < "$TMP/fix.csv")"
eq "stat --csv: per-vCPU rows after the 'all' rows" \
	"$("$NVTRACE" stat "$TMP/fix.db" --csv | awk -F, -v t="$gpid" '$2 == t && $3 == "MMIO_WRITE" {print $1 "," $4}')" "$gv,150"
eq "stat: guest PIO writes to 0x3f8" "$(awk -F, '$3 == "PIO_WRITE 0x3f8" {print $4 "," $5}' "$TMP/fix.csv")" "150,25.00"
eq "stat: guest MMIO writes" "$(awk -F, '$3 == "MMIO_WRITE" {print $4}' "$TMP/fix.csv")" 150
eq "stat: guest lone emulated instructions" "$(awk -F, '$3 == "EMULATE_INSN" {print $4}' "$TMP/fix.csv")" 300
# a PIO exit lasts from the emulated OUT to the kvm_fpu load of the next KVM_RUN
pio_total=$(sql "$TMP/fix.db" "WITH r AS (SELECT e.type, e.ts, e.value, row_number() OVER (ORDER BY ts, id) AS k
	FROM events e WHERE pid = $gpid),
	p AS (SELECT r.k, (SELECT ts FROM r AS o WHERE o.k = r.k - 1) AS start,
	(SELECT min(ts) FROM r AS f WHERE f.k > r.k AND f.type = (SELECT type FROM event_names WHERE name = 'kvm_fpu') AND f.value = 1) AS fin
	FROM r WHERE r.type = (SELECT type FROM event_names WHERE name = 'kvm_pio'))
	SELECT sum(fin - start) FROM p WHERE fin IS NOT NULL")
eq "stat: PIO total_ns = sum(OUT emulation -> next kvm_fpu load)" \
	"$(awk -F, '$3 == "PIO_WRITE 0x3f8" {print $6}' "$TMP/fix.csv")" "$pio_total"

# --- the real arm64 trace.dat (v7, zstd) ----------------------------------------------
if [ -f "$NVH" ] && command -v trace-cmd > /dev/null; then
	trace-cmd report -i "$NVH" > "$TMP/nvh.report" 2>/dev/null
	"$NVTRACE" import "$NVH" -o "$TMP/nvh.db" > /dev/null
	eq "nv-hypercall.dat: counts per event = trace-cmd report" \
		"$(db_counts "$TMP/nvh.db")" "$(text_counts "$TMP/nvh.report")"
	eq "nv-hypercall.dat: host arm64" "$(sql "$TMP/nvh.db" "SELECT value FROM meta WHERE key='host_arch'")" arm64
	eq "nv-hypercall.dat: no undecoded kvm events" "$(sql "$TMP/nvh.db" "SELECT count(*) FROM event_raw")" 0
	eq "nv-hypercall.dat: kvm_sys_access of the first TLBI (1,0,8,3,2), write" \
		"$(sql "$TMP/nvh.db" "SELECT printf('%x', sysreg), dir, printf('%x', pc) FROM events e JOIN event_names n
		ON n.id = e.name_id WHERE n.name = 'kvm_sys_access' ORDER BY ts LIMIT 1")" \
		"10832|1|ffffadb761ca0210"
	"$NVTRACE" import "$TMP/nvh.report" -o "$TMP/nvh-text.db" > /dev/null
	cols="pid, name_id, cpu, reason, ec, sysreg, dir, mode, pc, addr, value, aux, vcpu"
	eq "nv-hypercall: its trace-cmd report text decodes to the same rows as the .dat" \
		"$(sql "$TMP/nvh-text.db" "SELECT $cols FROM events ORDER BY id" | md5sum)" \
		"$(sql "$TMP/nvh.db" "SELECT $cols FROM events ORDER BY id" | md5sum)"
	# stat: L2 made 1000 hvc (README); each SYS64 trap is handled by kvm_handle_sys_reg
	"$NVTRACE" stat "$TMP/nvh.db" --csv > "$TMP/nvh.csv"
	eq "stat: TRAP HVC64 = 1000 hvc of L2" "$(awk -F, '$1 == "all" && $3 == "TRAP HVC64" {print $4}' "$TMP/nvh.csv")" \
		"$(grep -c ' kvm_hvc_arm64:' "$TMP/nvh.report")"
	eq "stat: TRAP SYS64 = kvm_handle_sys_reg count" "$(awk -F, '$1 == "all" && $3 == "TRAP SYS64" {print $4}' "$TMP/nvh.csv")" \
		"$(grep -c ' kvm_handle_sys_reg:' "$TMP/nvh.report")"
	eq "stat: TRAP ERET = kvm_nested_eret count" "$(awk -F, '$1 == "all" && $3 == "TRAP ERET" {print $4}' "$TMP/nvh.csv")" \
		"$(grep -c ' kvm_nested_eret:' "$TMP/nvh.report")"
	total=$(sql "$TMP/nvh.db" "SELECT sum(nts - ts) FROM (SELECT type, ts, lead(type) OVER w AS nt,
		lead(ts) OVER w AS nts FROM events WHERE type IN (1, 2) WINDOW w AS (PARTITION BY pid ORDER BY ts, id))
		WHERE type = 1 AND nt = 2")
	eq "stat: total time = sum over kvm_exit of (next kvm_entry - exit)" \
		"$(awk -F, '$1 == "all" {s += $6} END {print s}' "$TMP/nvh.csv")" "$total"
	"$NVTRACE" info "$TMP/nvh.db" --json > "$TMP/info.json"
	check "info --json has the kvm_exit count" grep -q '"kvm_exit": 8821' "$TMP/info.json"
	check "info shows status complete" sh -c "'$NVTRACE' info '$TMP/nvh.db' | grep -q '^status  *complete$'"
else
	skip "nv-hypercall.dat" "reference file or trace-cmd absent"
fi

# --- the real arm64 tracefs text (60,002 lines) ------------------------------------
if [ -f "$L1" ]; then
	xz -dc "$L1" > "$TMP/l1.txt"
	"$NVTRACE" import "$TMP/l1.txt" -o "$TMP/l1.db" > /dev/null
	eq "l1-at-vel2 text: counts per event = awk's" "$(db_counts "$TMP/l1.db")" "$(text_counts "$TMP/l1.txt")"
	eq "l1-at-vel2 text: 60,000 events" "$(sql "$TMP/l1.db" "SELECT count(*) FROM events")" 60000
	eq "l1-at-vel2 text: every event decoded" "$(sql "$TMP/l1.db" "SELECT count(*) FROM event_raw")" 0
else
	skip "l1-at-vel2 text" "reference file absent"
fi

# --- hand-written arm64 lines: every field (values as printed in the line) ------------
"$NVTRACE" import "$FIX/arm64-handwritten.txt" -o "$TMP/a.db" > /dev/null
row() { sql "$TMP/a.db" "SELECT coalesce(reason,'-'), coalesce(ec,'-'), iif(sysreg IS NULL,'-',printf('%x',sysreg)),
	coalesce(dir,'-'), coalesce(mode,'-'), iif(pc IS NULL,'-',printf('%x',pc)), iif(addr IS NULL,'-',printf('%x',addr)),
	iif(value IS NULL,'-',printf('%x',value)), iif(aux IS NULL,'-',printf('%x',aux)), pid, cpu, ts FROM events WHERE id = $1"; }
eq "arm64 kvm_exit TRAP SYS64"      "$(row 1)"  "2|24|-|-|-|ffff800080012340|-|-|-|200|1|100000001000"
eq "arm64 kvm_handle_sys_reg"       "$(row 2)"  "-|24|-|-|-|-|-|62142006|-|200|1|100000002000"
eq "arm64 kvm_sys_access HCR_EL2 write" "$(row 3)" "-|-|34110|1|-|ffff800080012340|-|-|-|200|1|100000003000"
eq "arm64 kvm_entry"                "$(row 4)"  "-|-|-|-|-|ffff800080012344|-|-|-|200|1|100000004000"
eq "arm64 kvm_exit TRAP HVC64"      "$(row 5)"  "2|22|-|-|-|40001000|-|-|-|200|1|100000010000"
eq "arm64 kvm_hvc_arm64"            "$(row 6)"  "-|-|-|-|-|40001000|-|84000000|0|200|1|100000011000"
eq "arm64 kvm_inject_nested_exception SYNC (EC from esr_el2)" "$(row 7)" \
	"0|22|-|-|5|40001004|3c5|5a000000|2403c807d223f|200|1|100000012000"
eq "arm64 kvm_exit TRAP ERET"       "$(row 9)"  "2|26|-|-|-|ffff8000800107f0|-|-|-|200|1|100000020000"
eq "arm64 kvm_nested_eret"          "$(row 10)" "-|-|-|-|5|40001008|3c5|-|2403c807d223f|200|1|100000021000"
eq "arm64 kvm_exit TRAP DABT_LOW"   "$(row 12)" "2|36|-|-|-|ffffaa51526b7bac|-|-|-|200|1|100000030000"
eq "arm64 kvm_guest_fault"          "$(row 13)" "-|36|-|-|-|ffffaa51526b7bac|9000000|93820005|ffffffffff5fd018|200|1|100000031000"
eq "arm64 kvm_mmio_emulate"         "$(row 14)" "-|-|-|-|-|ffffaa51526b7bac|-|b9000020|600003c5|200|1|100000032000"
eq "arm64 kvm_exit TRAP WFx"        "$(row 16)" "2|1|-|-|-|ffff800080020000|-|-|-|200|1|100000040000"
eq "arm64 kvm_wfx_arm64 wfi"        "$(row 17)" "0|-|-|-|-|ffff800080020000|-|-|-|200|1|100000041000"
eq "arm64 kvm_exit IRQ"             "$(row 19)" "0|0|-|-|-|ffff800080020004|-|-|-|200|1|100000050000"
eq "arm64 kvm_inject_nested_exception IRQ from EL2h" "$(row 20)" \
	"128|0|-|-|9|ffff800080020004|3c9|0|2403c807d223f|200|1|100000051000"
eq "arm64 kvm_sys_access (3,0,14,3,1) read" "$(row 23)" "-|-|30e31|0|-|ffff800080012350|-|-|-|200|1|100000061000"
eq "arm64 kvm_wfx_arm64 wfe"        "$(row 25)" "1|-|-|-|-|ffff800080020010|-|-|-|200|1|100000070000"
"$NVTRACE" stat "$TMP/a.db" --csv > "$TMP/a.csv"
eq "arm64 stat: 7 exits; reasons, counts and times (exit -> next entry)" "$(grep '^all,' "$TMP/a.csv" | sort | cut -d, -f3-8 | tr '\n' ';')" \
"IRQ,1,14.29,2000,2000,2000;TRAP DABT_LOW,1,14.29,3000,3000,3000;TRAP ERET,1,14.29,2000,2000,2000;TRAP HVC64,1,14.29,3000,3000,3000;TRAP SYS64,2,28.57,5000,2000,3000;TRAP WFx,1,14.29,2000,2000,2000;"

# --- hand-written x86 lines --------------------------------------------------------
"$NVTRACE" import "$FIX/x86-handwritten.txt" -o "$TMP/b.db" > /dev/null
xrow() { sql "$TMP/b.db" "SELECT coalesce(reason,'-'), coalesce(ec,'-'), coalesce(vcpu,'-'), coalesce(dir,'-'),
	iif(pc IS NULL,'-',printf('%x',pc)), iif(addr IS NULL,'-',printf('%x',addr)), iif(value IS NULL,'-',printf('%x',value)),
	iif(aux IS NULL,'-',printf('%x',aux)) FROM events WHERE id = $1"; }
eq "x86 kvm_exit IO_INSTRUCTION (VMX 30)" "$(xrow 1)" "30|1|0|-|fff0|-|3f80000|0"
eq "x86 kvm_pio write 0x3f8"      "$(xrow 2)" "-|-|-|1|-|3f8|41|1"
eq "x86 kvm_entry"                "$(xrow 3)" "-|-|0|-|fff1|-|-|-"
eq "x86 kvm_exit npf (SVM 0x400)" "$(xrow 4)" "1024|2|1|-|1000|-|6|fee00000"
eq "x86 kvm_mmio write"           "$(xrow 5)" "2|-|-|-|-|fee00000|0|4"
eq "x86 kvm_msr write 0x1b"       "$(xrow 6)" "0|-|-|1|-|1b|fee00900|-"
eq "x86 kvm_msr read #GP"         "$(xrow 7)" "1|-|-|0|-|c0000080|500|-"
eq "x86 kvm_nested_vmexit_inject EPT_VIOLATION" "$(xrow 8)" "48|1|-|-|-|-|181|0"
eq "x86 kvm_nested_vmenter"       "$(xrow 9)" "-|1|-|-|401000|12345000|-|2000"
eq "x86 stat names exit reasons" "$("$NVTRACE" stat "$TMP/b.db" --csv | grep '^all,' | cut -d, -f3,4,6 | sort | tr '\n' ';')" \
	"IO_INSTRUCTION,1,2000;npf,1,6000;"

# --- several files into one run --------------------------------------------------------
"$NVTRACE" import "$FIX/x86-pio-mmio.report.txt" "$FIX/x86-handwritten.txt" -o "$TMP/two.db" > /dev/null
eq "two files: events add up" "$(sql "$TMP/two.db" "SELECT count(*) FROM events")" \
	"$(($(sql "$TMP/fix.db" "SELECT count(*) FROM events") + 10))"
"$NVTRACE" import "$FIX/x86-handwritten.txt" "$FIX/arm64-handwritten.txt" -o "$TMP/mixed.db" \
	> /dev/null 2> "$TMP/err"
eq "x86 and arm64 traces in one run: exit 1" "$?" 1
check "x86 and arm64 traces in one run: one line naming the arm64 file" \
	sh -c "[ \$(wc -l < '$TMP/err') -eq 1 ] && grep -q 'arm64-handwritten.txt' '$TMP/err'"
check "x86 and arm64 traces in one run: no database" sh -c "! ls '$TMP'/mixed.db* > /dev/null 2>&1"

# --- bad input: one clear line naming the file, exit 1, no complete database -----------
bad() { # name file [import options]
	name=$1; f=$2; shift 2
	rm -f "$TMP/out.db"
	"$NVTRACE" import "$f" -o "$TMP/out.db" "$@" > "$TMP/out" 2> "$TMP/err"
	rc=$?
	eq "bad input ($name): exit 1" "$rc" 1
	check "bad input ($name): one error line naming the file" \
		sh -c "[ \$(wc -l < '$TMP/err') -eq 1 ] && grep -q '^nvtrace import: .*$(basename "$f")' '$TMP/err'"
	check "bad input ($name): no database left" sh -c "! ls '$TMP'/out.db* > /dev/null 2>&1"
}
: > "$TMP/empty.dat"
bad "empty file" "$TMP/empty.dat"
head -c 60000 "$FIX/x86-pio-mmio.dat" > "$TMP/truncated.dat"
bad "truncated trace.dat" "$TMP/truncated.dat"
if command -v trace-cmd > /dev/null; then
	# version 6, uncompressed: the same events; truncated, libtracecmd would crash
	trace-cmd convert -i "$FIX/x86-pio-mmio.dat" -o "$TMP/v6.dat" --file-version 6 \
		--compression none > /dev/null 2>&1
	"$NVTRACE" import "$TMP/v6.dat" -o "$TMP/v6.db" > /dev/null
	eq "trace.dat version 6 (uncompressed): same counts as the v7 file" \
		"$(db_counts "$TMP/v6.db")" "$(db_counts "$TMP/fix.db")"
	head -c $(($(stat -c %s "$TMP/v6.dat") - 60000)) "$TMP/v6.dat" > "$TMP/truncated-v6.dat"
	bad "truncated v6 trace.dat" "$TMP/truncated-v6.dat"
fi
head -c 8192 /dev/urandom > "$TMP/random.bin"
bad "random binary" "$TMP/random.bin"
printf '\211PNG\r\n\032\n\000\000\000\rIHDR' > "$TMP/image.png"
bad "PNG" "$TMP/image.png"
printf 'Dear list,\nthe guest hangs at boot.\nThanks\n' > "$TMP/letter.txt"
bad "text that is not a trace" "$TMP/letter.txt"
mkdir -p "$TMP/adir"
bad "directory" "$TMP/adir"
bad "missing file" "$TMP/no-such-file.dat"
rm -f "$TMP/out.db"
"$NVTRACE" import "$FIX/x86-handwritten.txt" -o /proc/nvtrace-cannot/out.db > /dev/null 2> "$TMP/err"
eq "bad output path: exit 1" "$?" 1
check "bad output path: one line naming it" sh -c "[ \$(wc -l < '$TMP/err') -eq 1 ] && grep -q 'nvtrace import: /proc/nvtrace-cannot/out.db' '$TMP/err'"
"$NVTRACE" import "$FIX/x86-handwritten.txt" --format text -o "$TMP/f.db" > /dev/null
eq "--format text on a text trace" "$(sql "$TMP/f.db" "SELECT count(*) FROM events")" 10
"$NVTRACE" import "$FIX/x86-handwritten.txt" --format dat -o "$TMP/f.db" 2> "$TMP/err"
eq "--format dat on a text trace: exit 1" "$?" 1
check "--format dat on a text trace: says so, naming the file" grep -q 'x86-handwritten.txt: not a trace.dat' "$TMP/err"
"$NVTRACE" import "$FIX/x86-handwritten.txt" --format xml 2> /dev/null; eq "--format xml: usage error" "$?" 2
"$NVTRACE" import 2> /dev/null; eq "import without a file: usage error" "$?" 2
"$NVTRACE" info "$TMP/letter.txt" 2> "$TMP/err"; eq "info on a non-database: exit 1" "$?" 1
"$NVTRACE" stat "$TMP/a.db" --sort bogus 2> /dev/null; eq "stat --sort bogus: usage error" "$?" 2
done_testing
