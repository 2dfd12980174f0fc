# A short run of every libFuzzer target (make fuzz runs them longer): built with clang
# -fsanitize=fuzzer,address,undefined, seeded from tests/fixtures, a few seconds each.
. "$ROOT/tests/lib.sh"
FS=${FUZZ_SMOKE_SECONDS:-4}
if ! command -v clang > /dev/null || ! clang -fsanitize=fuzzer -x c /dev/null -o /dev/null 2>&1 \
	| grep -q "undefined reference to .LLVMFuzzerTestOneInput"; then
	skip "fuzz targets" "clang with libFuzzer is not installed"
	done_testing; exit
fi
cd "$ROOT" || exit 1
make -s -j2 fuzz-bin > "$TMP/build.log" 2>&1
eq "fuzz targets build" "$?" 0
NVTRACE=$NVTRACE sh tests/fuzz/seeds.sh build/fuzz/seeds > /dev/null 2>&1
for t in text dat profile db; do
	to=1
	[ "$t" = dat ] && to=20	# one import of the 138 KB seed: ~1 s of CPU under ASan, more on a loaded machine
	FUZZ_CORPUS="$TMP/corpus" sh tests/fuzz/run.sh build/fuzz $t "$FS" $to > "$TMP/$t.out" 2>&1
	rc=$?
	eq "fuzz_$t: ${FS}s without a crash, a sanitizer report or a hang" "$rc" 0
	[ "$rc" -eq 0 ] || sed 's/^/#   /' "$TMP/$t.out"
	grep "^fuzz_$t:" "$TMP/$t.out" | sed 's/^/# /'
done
done_testing
