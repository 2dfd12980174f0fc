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
        stack, last = [], p["startValue"]
        for e in p["events"]:
            if not 0 <= e["frame"] < len(frames):
                fail("frame index %d out of range" % e["frame"])
            if e["at"] < last or e["at"] > p["endValue"]:
                fail("event at %s out of order" % e["at"])
            last = e["at"]
            if e["type"] == "O":
                stack.append(e["frame"])
            elif e["type"] == "C":
                if not stack or stack.pop() != e["frame"]:
                    fail("close of frame %d does not match the open one" % e["frame"])
            else:
                fail("event type %r" % e["type"])
        if stack:
            fail("%d frames left open" % len(stack))
        ends += p["endValue"] - p["startValue"]
    if total is not None and ends != total:
        fail("profiles add up to %d, want %d" % (ends, total))


main()
