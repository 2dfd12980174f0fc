# nvtrace record and top in a bad environment: one line, exit 1, no database.
. "$ROOT/tests/lib.sh"
export LSAN_OPTIONS="suppressions=$ROOT/tests/lsan.supp:print_suppressions=0${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
. "$ROOT/tests/record_lib.sh"
need_record "record errors"
one_line() { [ "$(wc -l < "$1")" -eq 1 ]; }

"$NVTRACE" record -o "$TMP/e.db" -e nonexistent_event -- "$NVGUEST" --pio 1 > /dev/null 2> "$TMP/err"
eq "-e nonexistent_event exits 1" "$?" 1
check "-e nonexistent_event: one line" one_line "$TMP/err"
check "-e nonexistent_event: names it" grep -q 'nonexistent_event' "$TMP/err"
check "-e nonexistent_event: no database" [ ! -e "$TMP/e.db" ]

"$NVTRACE" record -o "$TMP/e.db" -- /nonexistent/command > /dev/null 2> "$TMP/err"
eq "missing COMMAND exits 1" "$?" 1
check "missing COMMAND: one line" one_line "$TMP/err"
check "missing COMMAND: says why" grep -q '/nonexistent/command: No such file' "$TMP/err"
check "missing COMMAND: no database" [ ! -e "$TMP/e.db" ]

"$NVTRACE" record -o "$TMP/e.db" -p 999999999 > /dev/null 2> "$TMP/err"
eq "-p of no process exits 1" "$?" 1
check "-p of no process: one line" one_line "$TMP/err"

"$NVTRACE" record --backend foo > /dev/null 2> "$TMP/err"
eq "--backend foo is a usage error" "$?" 2
"$NVTRACE" top -o x.db > /dev/null 2> "$TMP/err"
eq "top -o is a usage error" "$?" 2

if command -v setpriv > /dev/null; then
	chmod 755 "$TMP"
	setpriv --reuid=65534 --regid=65534 --clear-groups \
		"$NVTRACE" record -o "$TMP/e.db" -d 1 > /dev/null 2> "$TMP/err"
	eq "not root: exits 1" "$?" 1
	check "not root: one line" one_line "$TMP/err"
	check "not root: says so" grep -q 'needs root' "$TMP/err"
	check "not root: no database" [ ! -e "$TMP/e.db" ]
	setpriv --reuid=65534 --regid=65534 --clear-groups \
		"$NVTRACE" top --once > /dev/null 2> "$TMP/err"
	eq "top not root: exits 1" "$?" 1
	check "top not root: one line" one_line "$TMP/err"
else
	skip "not root" "no setpriv"
fi

# nvguest without /dev/kvm: a private mount namespace with an empty /dev
if command -v unshare > /dev/null && unshare -m true 2> /dev/null; then
	unshare -m sh -c "mount -t tmpfs none /dev && exec '$NVGUEST' --pio 1" > /dev/null 2> "$TMP/err"
	eq "nvguest without /dev/kvm exits 1" "$?" 1
	check "nvguest without /dev/kvm: one line" one_line "$TMP/err"
	check "nvguest without /dev/kvm: says so" grep -q '/dev/kvm' "$TMP/err"
else
	skip "nvguest without /dev/kvm" "no unshare -m"
fi
# tracefs not mounted cannot be produced here: libtracefs mounts it itself
# when it is missing and we are root.
done_testing
