# import of real-world text forms (issue 13): QEMU thread names with spaces, both text
# forms and the latency columns, stdin / pipes / FIFOs read once, compressed input,
# lines that cannot be read counted, long lines in linear time, integer overflows.
. "$ROOT/tests/lib.sh"
FIX="$ROOT/tests/fixtures"
NVH="$REF/real-arm64-nv/nv-hypercall.dat"
L1="$REF/real-arm64-nv/l1-at-vel2.trace.txt.xz"
# every column but ts; text timestamps are rounded to the us
cols="pid, name_id, cpu, type, reason, ec, sysreg, dir, mode, pc, addr, value, aux, vcpu"
# the x86 texts do not give kvm_emulate_insn's mode (aux of the trace.dat; trace-cmd report
# does not print it, nvtrace does not read tracefs' "(prot32)"): every column but aux
rcols="pid, name_id, cpu, type, reason, ec, sysreg, dir, mode, pc, addr, value, vcpu"
rows() { sql "$1" "SELECT (ts + 500) / 1000, $rcols FROM events ORDER BY id" | md5sum; }
count() { sql "$1" "SELECT count(*) FROM events"; }
threads() { sql "$1" "SELECT t.comm || '=' || count(*) FROM events e JOIN threads t USING (pid)
	GROUP BY t.comm ORDER BY t.comm" | tr '\n' ';'; }
# QEMU names its vCPU threads "CPU N/KVM" and its main thread "qemu-system-aar" (15 bytes)
qemu() { sed -e 's/^ *guest-14979 /CPU 0\/KVM-14979 /' -e 's/\([ :]\) *guest-14979 /\1 CPU 0\/KVM-14979 /' -e 's/ *nvguest-10440 / qemu-system-aar-10440 /' "$@"; }
QT="CPU 0/KVM=1805;qemu-system-aar=1691;"

"$NVTRACE" import "$FIX/x86-pio-mmio.dat" -o "$TMP/dat.db" > /dev/null
eq "x86 fixture trace.dat: 3496 events" "$(count "$TMP/dat.db")" 3496

# --- the tracefs `trace` text, thread names rewritten the QEMU way -------------------------
qemu "$FIX/x86-pio-mmio.trace.txt" > "$TMP/q.trace.txt"
eq "QEMU-style tracefs text: the vCPU lines have the space" \
	"$(grep -c 'CPU 0/KVM-14979 *\[000\]' "$TMP/q.trace.txt")" 1805
"$NVTRACE" import "$TMP/q.trace.txt" -o "$TMP/q1.db" > "$TMP/out" 2> "$TMP/err"
eq "QEMU-style tracefs text: exit 0" "$?" 0
eq "QEMU-style tracefs text: 3496 events" "$(count "$TMP/q1.db")" 3496
eq "QEMU-style tracefs text: threads 'CPU 0/KVM' 1805, 'qemu-system-aar' 1691" "$(threads "$TMP/q1.db")" "$QT"
eq "QEMU-style tracefs text: same rows as the trace.dat" "$(rows "$TMP/q1.db")" "$(rows "$TMP/dat.db")"
eq "QEMU-style tracefs text: nothing on stderr" "$(cat "$TMP/err")" ""

# --- trace-cmd report, with and without the latency columns --------------------------------
if command -v trace-cmd > /dev/null; then
	for form in "" "-l"; do
		trace-cmd report $form -i "$FIX/x86-pio-mmio.dat" 2> /dev/null | sed "s/^nvtrace-import-fixture-14969: *//" | qemu > "$TMP/q.report.txt"
		"$NVTRACE" import "$TMP/q.report.txt" -o "$TMP/q2$form.db" > /dev/null 2> "$TMP/err"
		eq "QEMU-style trace-cmd report $form: exit 0" "$?" 0
		eq "QEMU-style trace-cmd report $form: 3496 events" "$(count "$TMP/q2$form.db")" 3496
		eq "QEMU-style trace-cmd report $form: threads" "$(threads "$TMP/q2$form.db")" "$QT"
		eq "QEMU-style trace-cmd report $form: same rows as the trace.dat (ts in us)" \
			"$(sql "$TMP/q2$form.db" "SELECT (ts + 500) / 1000, $rcols FROM events ORDER BY id" | md5sum)" \
			"$(sql "$TMP/dat.db" "SELECT (ts + 500) / 1000, $rcols FROM events ORDER BY id" | md5sum)"
	done
	trace-cmd report -t -i "$FIX/x86-pio-mmio.dat" 2> /dev/null | qemu > "$TMP/q.report-t.txt"
	"$NVTRACE" import "$TMP/q.report-t.txt" -o "$TMP/q3.db" > /dev/null
	eq "QEMU-style trace-cmd report -t (ns): same rows as the trace.dat, ts to the ns" \
		"$(sql "$TMP/q3.db" "SELECT ts, $rcols FROM events ORDER BY id" | md5sum)" \
		"$(sql "$TMP/dat.db" "SELECT ts, $rcols FROM events ORDER BY id" | md5sum)"
else
	skip "QEMU-style trace-cmd report" "trace-cmd is not installed"
fi

# --- the real arm64 run: its vmm thread renamed "CPU 0/KVM" in trace-cmd's own report -------
if [ -f "$NVH" ] && command -v trace-cmd > /dev/null; then
	"$NVTRACE" import "$NVH" -o "$TMP/nvh.db" > /dev/null
	trace-cmd report -t -i "$NVH" 2> /dev/null | sed 's/^\( *\)vmm-108 /CPU 0\/KVM-108 /' > "$TMP/nvh.txt"
	eq "arm64 report: vCPU lines renamed" "$(grep -c '^CPU 0/KVM-108 ' "$TMP/nvh.txt")" 113418
	"$NVTRACE" import "$TMP/nvh.txt" -o "$TMP/nvh-text.db" > /dev/null 2> "$TMP/err"
	eq "arm64 QEMU-style report: 113527 events" "$(count "$TMP/nvh-text.db")" 113527
	eq "arm64 QEMU-style report: thread 'CPU 0/KVM' has 113418" \
		"$(sql "$TMP/nvh-text.db" "SELECT comm FROM threads WHERE pid = 108")" "CPU 0/KVM"
	eq "arm64 QEMU-style report: host arm64" "$(sql "$TMP/nvh-text.db" "SELECT value FROM meta WHERE key = 'host_arch'")" arm64
	eq "arm64 QEMU-style report: same rows as the trace.dat, ts to the ns" \
		"$(sql "$TMP/nvh-text.db" "SELECT ts, $cols FROM events ORDER BY id" | md5sum)" \
		"$(sql "$TMP/nvh.db" "SELECT ts, $cols FROM events ORDER BY id" | md5sum)"
else
	skip "arm64 QEMU-style report" "reference file or trace-cmd absent"
fi

# --- stdin, a pipe, a FIFO: read once, nothing lost -----------------------------------------
qemu "$FIX/x86-pio-mmio.trace.txt" | "$NVTRACE" import - -o "$TMP/stdin.db" > /dev/null
eq "text from stdin (-): 3496 events" "$(count "$TMP/stdin.db")" 3496
eq "text from stdin (-): same rows as the trace.dat" "$(rows "$TMP/stdin.db")" "$(rows "$TMP/dat.db")"
mkfifo "$TMP/fifo"
qemu "$FIX/x86-pio-mmio.trace.txt" > "$TMP/fifo" &
"$NVTRACE" import "$TMP/fifo" -o "$TMP/fifo.db" > /dev/null
wait
eq "text through a FIFO: 3496 events (the first 4 KB not lost)" "$(count "$TMP/fifo.db")" 3496
cat "$FIX/x86-pio-mmio.dat" > "$TMP/fifo" &
"$NVTRACE" import "$TMP/fifo" -o "$TMP/fifo-dat.db" > /dev/null
wait
eq "trace.dat through a FIFO: same rows as from the file" "$(rows "$TMP/fifo-dat.db")" "$(rows "$TMP/dat.db")"
cat "$FIX/x86-pio-mmio.dat" | "$NVTRACE" import - -o "$TMP/stdin-dat.db" > /dev/null
eq "trace.dat from stdin: same rows" "$(rows "$TMP/stdin-dat.db")" "$(rows "$TMP/dat.db")"
cat "$TMP/q.trace.txt" | "$NVTRACE" import - > /dev/null 2> "$TMP/err"
eq "stdin without -o: exit 1" "$?" 1
check "stdin without -o: asks for -o" grep -q '^nvtrace import: -: not a regular file: name the database with -o' "$TMP/err"

# --- compressed input, decompressed on the fly ------------------------------------------------
for z in gzip xz zstd; do
	if command -v $z > /dev/null; then
		$z -c < "$TMP/q.trace.txt" > "$TMP/q.trace.txt.$z"
		"$NVTRACE" import "$TMP/q.trace.txt.$z" -o "$TMP/z-$z.db" > /dev/null
		eq "$z text: same rows as the trace.dat" "$(rows "$TMP/z-$z.db")" "$(rows "$TMP/dat.db")"
		$z -c < "$FIX/x86-pio-mmio.dat" | "$NVTRACE" import - -o "$TMP/zd-$z.db" > /dev/null
		eq "$z trace.dat through a pipe: same rows" "$(rows "$TMP/zd-$z.db")" "$(rows "$TMP/dat.db")"
	else
		skip "$z input" "$z is not installed"
	fi
done
(gzip -c < "$FIX/x86-handwritten.txt"; gzip -c < "$FIX/x86-handwritten.txt") > "$TMP/two.gz"
"$NVTRACE" import "$TMP/two.gz" -o "$TMP/two.db" > /dev/null
eq "two gzip members: both read (10 + 10 events)" "$(count "$TMP/two.db")" 20
cp "$TMP/q.trace.txt.xz" "$TMP/default.trace.txt.xz"
"$NVTRACE" import "$TMP/default.trace.txt.xz" > /dev/null
check "default output of X.trace.txt.xz is X.trace.db" test -f "$TMP/default.trace.db"
if [ -f "$L1" ]; then
	"$NVTRACE" import "$L1" -o "$TMP/l1.db" > /dev/null
	eq "real arm64 l1-at-vel2.trace.txt.xz imports as it is: 60,000 events" "$(count "$TMP/l1.db")" 60000
else
	skip "l1-at-vel2.trace.txt.xz" "reference file absent"
fi
head -c 4000 "$TMP/q.trace.txt.xz" > "$TMP/cut.txt.xz"
"$NVTRACE" import "$TMP/cut.txt.xz" -o "$TMP/cut.db" > /dev/null 2> "$TMP/err"
eq "truncated xz: exit 1" "$?" 1
eq "truncated xz: one line saying so" "$(cat "$TMP/err")" "nvtrace import: $TMP/cut.txt.xz: truncated xz data"
check "truncated xz: no database" sh -c "! ls '$TMP'/cut.db* > /dev/null 2>&1"
printf '\037\213\010\000\000\000\000\000\000\003garbage-garbage-garbage' > "$TMP/bad.gz"
"$NVTRACE" import "$TMP/bad.gz" -o "$TMP/bad.db" > /dev/null 2> "$TMP/err"
eq "corrupt gzip: exit 1, one line" "$?|$(wc -l < "$TMP/err")" "1|1"
check "corrupt gzip: says corrupt gzip data" grep -q "bad.gz: corrupt gzip data" "$TMP/err"
# fuzz_dat's find: 4 bytes of the fixture's compressed metadata changed, and its
# printk-format text ends in lines libtraceevent's parser read past (ASan stopped import)
cp "$FIX/x86-pio-mmio.dat" "$TMP/printk.dat"
printf '\041\150\003\234' | dd of="$TMP/printk.dat" bs=1 seek=125048 conv=notrunc 2> /dev/null
"$NVTRACE" import "$TMP/printk.dat" -o "$TMP/printk.db" > /dev/null 2> "$TMP/err"
eq "bad printk-format lines: exit 0, nothing said" "$?|$(cat "$TMP/err")" "0|"
eq "bad printk-format lines: every event" "$(count "$TMP/printk.db")" 3496

# --- lines that look like events but cannot be read: counted, reported, never silent --------
{ cat "$FIX/x86-handwritten.txt"; sed -n '20,219p' "$FIX/x86-pio-mmio.trace.txt"
  echo "           guest-14979   [000] .....  2276.672949 kvm_pio pio_write at 0x3f8"; } > "$TMP/onebad.txt"
nl=$(wc -l < "$TMP/onebad.txt")
"$NVTRACE" import "$TMP/onebad.txt" -o "$TMP/onebad.db" > /dev/null 2> "$TMP/err"
eq "one unreadable event line in 211: exit 0" "$?" 0
eq "one unreadable event line: the events around it" "$(count "$TMP/onebad.db")" 210
eq "one unreadable event line: a warning naming the line" "$(cat "$TMP/err")" \
	"nvtrace import: $TMP/onebad.txt: warning: 1 lines look like events but could not be read (the first is line $nl); they are not imported"
{ sed -n '20,219p' "$FIX/x86-pio-mmio.trace.txt"; sed -n '20,24p' "$FIX/x86-pio-mmio.trace.txt" | sed 's/: kvm/ kvm/'; } > "$TMP/bad5.txt"
"$NVTRACE" import "$TMP/bad5.txt" -o "$TMP/bad5.db" > /dev/null 2> "$TMP/err"
eq "5 unreadable event lines in 205 (over 1%): exit 1" "$?" 1
eq "5 unreadable event lines: one error line with the counts" "$(cat "$TMP/err")" \
	"nvtrace import: $TMP/bad5.txt: 5 of 205 lines that look like events could not be read (the first is line 201)"
check "5 unreadable event lines: no database" sh -c "! ls '$TMP'/bad5.db* > /dev/null 2>&1"
printf 'CPU 0/KVM-4101 [002] 1000.000003: kvm_exit: TRAP: HSR_EC: 0x0016 (HVC64), PC: 0x0000000040001000\nCPU 0/KVM-4101 [002] 1000.000004: kvm_entry: PC: 0x0000000040001004\n' > "$TMP/cpu0.txt"
"$NVTRACE" import "$TMP/cpu0.txt" -o "$TMP/cpu0.db" > /dev/null 2> "$TMP/err"
eq "the issue's 'CPU 0/KVM-4101' line: both events, pid 4101, cpu 2, HVC64" \
	"$(sql "$TMP/cpu0.db" "SELECT count(*), min(pid), min(cpu), max(ec), min(ts) FROM events")" "2|4101|2|22|1000000003000"
eq "the issue's line: host arm64" "$(sql "$TMP/cpu0.db" "SELECT value FROM meta WHERE key = 'host_arch'")" arm64
printf 'inst: CPU 1/KVM-77 (-------) [003] d..1. 5.000000001: kvm_entry: PC: 0x10\n' > "$TMP/tgid.txt"
"$NVTRACE" import "$TMP/tgid.txt" -o "$TMP/tgid.db" > /dev/null
eq "instance prefix, tgid and flags columns with a spaced name" \
	"$(sql "$TMP/tgid.db" "SELECT t.comm, e.pid, e.cpu, e.ts FROM events e JOIN threads t USING (pid)")" "CPU 1/KVM|77|3|5000000001"

# --- linear time in line length -----------------------------------------------------------
awk 'BEGIN { s = "x"; while (length(s) < 1048576) s = s s;
	print "vmm-1 [000] 1.000000: kvm_exit: TRAP: HSR_EC: 0x0016 (" s ", PC: 0x1";
	print "vmm-1 [000] 1.000001: kvm_sys_access: PC: 1 " s " (3,0,1,0,0) read" }' > "$TMP/long.txt"
start=$(date +%s)
"$NVTRACE" import "$TMP/long.txt" -o "$TMP/long.db" > /dev/null 2>&1
eq "two 1 MB lines: imported" "$(count "$TMP/long.db")" 2
check "two 1 MB lines: in under 10 s (was minutes: %{-} backtracked)" test $(($(date +%s) - start)) -lt 10
eq "1 MB lines: the kvm_exit kept raw (no ', PC:' after its '('), kvm_sys_access decoded past 1 MB" \
	"$(sql "$TMP/long.db" "SELECT count(*) FROM event_raw")|$(sql "$TMP/long.db" "SELECT printf('%x', sysreg) FROM events WHERE sysreg IS NOT NULL")" "1|30100"

# --- integers: overflow refused, never wrapped (the test build runs under UBSan) -----------
{ sed -n '20,419p' "$FIX/x86-pio-mmio.trace.txt"
  echo "           guest-14979   [000] .....  99999999999999999999.000000: kvm_fpu: load"
  echo "           guest-14979   [4294967297] .....  2276.9: kvm_fpu: load"
  echo "           guest-99999999999   [000] .....  2276.9: kvm_fpu: load"
  echo "CPU:1 [LOST 99999999999999999999999 EVENTS]"
  echo "CPU:0 [LOST 5 EVENTS]"; } > "$TMP/big.txt"
"$NVTRACE" import "$TMP/big.txt" -o "$TMP/big.db" > /dev/null 2> "$TMP/err"
eq "overflowing timestamp, cpu, pid: exit 0 (3 of 403 lines)" "$?" 0
eq "overflowing timestamp, cpu, pid: the lines are counted as unreadable, not wrapped" "$(cat "$TMP/err")" \
	"nvtrace import: $TMP/big.txt: warning: 3 lines look like events but could not be read (the first is line 401); they are not imported"
eq "overflowing timestamp, cpu, pid: 400 events, none with a wrapped value" \
	"$(sql "$TMP/big.db" "SELECT count(*), max(ts), max(cpu), max(pid) FROM events")" "400|2276669625000|1|10440"
eq "a lost count beyond int64 saturates" "$(sql "$TMP/big.db" "SELECT value FROM meta WHERE key = 'lost_events'")" 9223372036854775807

# --- smaller ones -----------------------------------------------------------------------------
printf 'vmm-1 [000] 1.000000: kvm_newthing: [FAILED TO PARSE] a=1 b=0x2 c=3\n' > "$TMP/ftp.txt"
"$NVTRACE" import "$TMP/ftp.txt" -o "$TMP/ftp.db" > /dev/null
eq "[FAILED TO PARSE] raw text kept whole (was cut at the first '=')" \
	"$(sql "$TMP/ftp.db" "SELECT fields FROM event_raw")" "[FAILED TO PARSE] a=1 b=0x2 c=3"
long=kvm_an_event_name_of_more_than_sixty_four_characters_made_up_for_this_test
printf 'vmm-1 [000] 1.000000: %s: hello\n' "$long" > "$TMP/longname.txt"
"$NVTRACE" import "$TMP/longname.txt" -o "$TMP/longname.db" > /dev/null 2> "$TMP/err"
eq "an event name of ${#long} characters imports (was 'too many event names')" \
	"$(sql "$TMP/longname.db" "SELECT name FROM event_names")" "$long"
done_testing
