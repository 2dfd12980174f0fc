#!/bin/sh
# make demo: the main job on a bundled example.  The example databases are made
# here by nvtrace itself from committed sources (examples/workloads/*.txt): a
# synthetic nested run recorded as an ARMv8.4 host would, then the question
# nvtrace answers: what would its nested exits cost on ARMv8.3 and with NEVE?
set -e
NV=${1:-build/nvtrace}
OUT=${DEMO_DIR:-build/demo}
mkdir -p "$OUT"
host_guest=kvm-vhe
"$NV" explain hvc --guest kvm-vhe > /dev/null 2>&1 || host_guest=kvm-2017-nvhe
for w in hypercall netperf-rr; do
	echo "== nvtrace synth --workload $w --arch-host v8.4 -o $OUT/$w.db"
	"$NV" synth --workload $w --duration 0.05 --vcpus 2 --arch-host v8.4 \
		--guest $host_guest -o "$OUT/$w.db"
	echo
	echo "== nvtrace compare v8.3 neve $OUT/$w.db"
	"$NV" compare v8.3 neve "$OUT/$w.db"
	echo
done
