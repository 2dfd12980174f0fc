#!/usr/bin/env python3
"""Check a speedscope JSON file against the rules of speedscope's file format
schema (https://www.speedscope.app/file-format-schema.json) that matter:
required keys, frame indices in range, evented profiles whose open/close
events are balanced, properly nested and in non-decreasing time, within
startValue..endValue.  With TOTAL, the profiles' endValues must add up to it.
Exit 0 when valid, 1 with a message otherwise."""
import json
import sys


def fail(msg):
    print("speedscope_check: " + msg)
    sys.exit(1)


def main():
    doc = json.load(open(sys.argv[1]))
    total = int(sys.argv[2]) if len(sys.argv) > 2 else None
    scale = float(sys.argv[3]) if len(sys.argv) > 3 else 1.0
    unit = sys.argv[4] if len(sys.argv) > 4 else None
    if doc.get("$schema") != "https://www.speedscope.app/file-format-schema.json":
        fail("missing $schema")
    frames = doc["shared"]["frames"]
    if not all(isinstance(f.get("name"), str) for f in frames):
        fail("a frame without a name")
    ends = 0
    for p in doc["profiles"]:
        if p["type"] != "evented":
            fail("profile type %r" % p["type"])
        for k in ("name", "unit", "startValue", "endValue", "events"):
            if k not in p:
                fail("profile without " + k)
        if unit is not None and p["unit"] != unit:
            fail("profile unit %r, want %r" % (p["unit"], unit))
        stack, last, opened = [], p["startValue"], None
        for e in p["events"]:
            if not 0 <= e["frame"] < len(frames):
                fail("frame index %d out of range" % e["frame"])
            if e["at"] < last or e["at"] > p["endValue"]:
                fail("event at %s out of order" % e["at"])
            last = e["at"]
            if e["type"] == "O":
                if not stack:
                    opened = e["at"]
                stack.append(e["frame"])
            elif e["type"] == "C":
                if not stack or stack.pop() != e["frame"]:
                    fail("close of frame %d does not match the open one" % e["frame"])
                if not stack:
                    ends += e["at"] - opened
            else:
                fail("event type %r" % e["type"])
        if stack:
            fail("%d frames left open" % len(stack))
    if total is not None and abs(ends * scale - total) > total * 1e-6:
        fail("profiles add up to %s, want %d" % (ends * scale, total))


main()
