# The source tree's layout: includes run down the layers only, model/ includes
# nothing outside itself, and no generated source is committed.
. "$ROOT/tests/lib.sh"

# layer: the folders whose headers it may include (itself and those below)
allowed() {
	case $1 in
	schema) echo "schema" ;;
	collector) echo "schema collector" ;;
	model) echo "model" ;;
	replay) echo "schema collector model replay" ;;
	view) echo "schema collector model replay view" ;;
	tui) echo "schema collector model replay view tui" ;;
	cli) echo "schema collector model replay view tui cli" ;;
	esac
}
for layer in schema collector model replay view tui cli; do
	ok_dirs=$(allowed "$layer")
	bad=$(cd "$ROOT" && grep -hoE '^[[:space:]]*#[[:space:]]*include[[:space:]]*"[a-z_]+/' \
		"$layer"/*.c "$layer"/*.h 2>/dev/null | sed -E 's/.*"([a-z_]+)\//\1/' | sort -u |
		while read -r d; do case " $ok_dirs " in *" $d "*) ;; *) echo "$d" ;; esac; done | tr '\n' ' ')
	eq "$layer/ includes only from: $ok_dirs" "$bad" ""
done
# (generated headers in $(BUILD)/gen excepted: the BPF skeleton, vmlinux.h)
n=$(cd "$ROOT" && grep -hE '^[[:space:]]*#[[:space:]]*include[[:space:]]*"[^/"]+"' \
	schema/*.[ch] collector/*.[ch] model/*.[ch] replay/*.[ch] view/*.[ch] tui/*.[ch] cli/*.[ch] 2>/dev/null |
	grep -vE '"(vmlinux\.h|[a-z_]+\.skel\.h)"' | wc -l | tr -d ' ')
eq "every include of ours names its folder" "$n" 0

sh "$ROOT/scripts/check_model_includes.sh" "$ROOT/model"
eq "model/ includes only model/ (check_model_includes.sh)" "$?" 0
mkdir -p "$TMP/model" && cp "$ROOT"/model/*.c "$ROOT"/model/*.h "$TMP/model/"
echo '#include "schema/db.h"' >> "$TMP/model/arch.c"
sh "$ROOT/scripts/check_model_includes.sh" "$TMP/model" 2> "$TMP/mc.err"
eq "a model/ file including schema/db.h fails the check" "$?" 1
check "the check names the line" grep -q 'arch.c:[0-9]*:#include "schema/db.h"' "$TMP/mc.err"

if command -v git > /dev/null && git -C "$ROOT" rev-parse --git-dir > /dev/null 2>&1; then
	gen=$(git -C "$ROOT" ls-files | grep -E '(profiles_data|schema_sql)\.c$|\.skel\.h$|vmlinux\.h$' | tr '\n' ' ')
	eq "no generated source is committed" "$gen" ""
else
	skip "no generated source is committed" "$ROOT is not a git checkout"
fi
done_testing
