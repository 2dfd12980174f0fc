#!/usr/bin/env python3
"""Check a Chrome trace-event JSON file written by `nvtrace export --perfetto`:
valid JSON with traceEvents; every complete ("X") slice has ts/dur >= 0, pid
and tid; on each track (pid, tid) the nested-exit slices do not overlap and
every trap slice lies inside the nested-exit slice that contains its start;
function slices (the flame graph's guest hypervisor functions) lie inside
their nested exit and every trap or operation slice inside a function slice.
Optional EXITS and TRAPS: the exact counts of nested-exit and trap slices.
Exit 0 when valid, 1 with a message."""
import json
import bisect
import sys
from decimal import Decimal


def fail(msg):
    print("perfetto_check: " + msg)
    sys.exit(1)


def main():
    # Decimal keeps the microsecond values exact (they are integer ns / 1000).
    doc = json.load(open(sys.argv[1]), parse_float=Decimal)
    events = doc["traceEvents"]
    tracks = {}
    n_exit = n_trap = 0
    for e in events:
        if e.get("ph") == "M":
            continue
        if e.get("ph") != "X":
            fail("unexpected phase %r" % e.get("ph"))
        for k in ("name", "ts", "dur", "pid", "tid"):
            if k not in e:
                fail("slice without " + k)
        if e["ts"] < 0 or e["dur"] < 0:
            fail("negative time in %r" % e)
        tracks.setdefault((e["pid"], e["tid"]), []).append(e)
    for key, evs in tracks.items():
        parents = sorted((e for e in evs if e["cat"] == "nested_exit"), key=lambda e: e["ts"])
        n_exit += len(parents)
        for a, b in zip(parents, parents[1:]):
            if a["ts"] + a["dur"] > b["ts"]:
                fail("nested exits overlap on track %r at %s" % (key, b["ts"]))
        starts = [p["ts"] for p in parents]
        import bisect
        for t in (e for e in evs if e["cat"] == "trap"):
            n_trap += 1
            i = bisect.bisect_right(starts, t["ts"]) - 1
            if i < 0:
                fail("trap slice before any nested exit")
            p = parents[i]
            if t["ts"] < p["ts"] or t["ts"] + t["dur"] > p["ts"] + p["dur"]:
                fail("trap slice %s at %s not inside its nested exit [%s, %s]"
                     % (t["name"], t["ts"], p["ts"], p["ts"] + p["dur"]))
    for key, evs in tracks.items():
        fns = sorted((e for e in evs if e["cat"] == "function"), key=lambda e: e["ts"])
        fstarts = [f["ts"] for f in fns]
        for t in (e for e in evs if e["cat"] in ("trap", "op")):
            i = bisect.bisect_right(fstarts, t["ts"]) - 1
            while i >= 0 and not (fns[i]["ts"] <= t["ts"] and t["ts"] + t["dur"] <= fns[i]["ts"] + fns[i]["dur"]):
                if fns[i]["ts"] + fns[i]["dur"] < t["ts"]:
                    i = -1
                    break
                i -= 1
            if i < 0:
                fail("trap slice %s at %s not inside a function slice" % (t["name"], t["ts"]))
    if len(sys.argv) > 2 and n_exit != int(sys.argv[2]):
        fail("%d nested-exit slices, want %s" % (n_exit, sys.argv[2]))
    if len(sys.argv) > 3 and n_trap != int(sys.argv[3]):
        fail("%d trap slices, want %s" % (n_trap, sys.argv[3]))


main()
