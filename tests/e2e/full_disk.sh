# Import on a full disk (issue 13): a real 1 MB tmpfs, traces whose database does not
# fit.  One line naming the file and "disk full", exit 1, no temporary left, an
# existing output untouched.  Record's finish on a full disk: tests/unit/test_record_db.c.
. "$ROOT/tests/lib.sh"
D="$TMP/small"
mkdir -p "$D"
if [ "$(id -u)" -ne 0 ] || ! mount -t tmpfs -o size=1m tmpfs "$D" 2> /dev/null; then
	skip "import on a full disk" "cannot mount a tmpfs here (not root?)"
	done_testing
	exit 0
fi
trap 'umount "$D"; rm -rf "$TMP"' EXIT
RUNS="$REF/real-arm64-nv"
left() { ls -A "$D" | tr '\n' ' '; }
# name, trace (bigger than the disk once imported), where it runs out: while writing the
# events (trace.dat: 4.3 MB) or while finishing (sorting, indexes: the text trace)
for c in "dat:$RUNS/nv-hypercall.dat:write" "text:$RUNS/runs/hvc-nohz.trace.txt.xz:finish"; do
	name=${c%%:*}; rest=${c#*:}; trace=${rest%:*}; stage=${rest##*:}
	if [ ! -f "$trace" ]; then
		skip "import of a $name trace on a full disk" "no $trace here"
		continue
	fi
	"$NVTRACE" import "$trace" -o "$D/x.db" > /dev/null 2> "$TMP/err"
	eq "$name: exit 1" "$?" 1
	eq "$name: one line naming the file and a full disk" "$(cat "$TMP/err")" \
		"nvtrace import: $D/x.db: cannot $stage the database: disk full (no space left on device)"
	eq "$name: nothing left on the disk (no temporary, no database)" "$(left)" ""
done
# an existing database is untouched by a --force import that does not fit
"$NVTRACE" import "$ROOT/tests/fixtures/arm64-handwritten.txt" -o "$D/keep.db" > /dev/null 2>&1
sum=$(md5sum < "$D/keep.db")
if [ -f "$RUNS/runs/hvc-nohz.trace.txt.xz" ]; then
	"$NVTRACE" import "$RUNS/runs/hvc-nohz.trace.txt.xz" -o "$D/keep.db" --force > /dev/null 2> "$TMP/err"
	eq "--force onto an existing run on a full disk: exit 1" "$?" 1
	eq "--force: the existing run is untouched" "$(md5sum < "$D/keep.db")" "$sum"
	eq "--force: only the existing run is left" "$(left)" "keep.db "
	eq "--force: it still reads" "$("$NVTRACE" info "$D/keep.db" > /dev/null 2>&1; echo $?)" 0
else
	skip "--force onto an existing run on a full disk" "no real trace here"
fi
done_testing
