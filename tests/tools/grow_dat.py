#!/usr/bin/env python3
"""Grow a trace.dat N times, for import memory and speed tests.

usage: grow_dat.py IN.dat N OUT.dat [--compress]

IN is converted to version 6 uncompressed (trace-cmd convert), then each
CPU's event pages are repeated N times, copy k with every page's timestamp
shifted by k * (the span of its events + 1 s), so the grown trace stays in time
order and holds exactly N times the events.  With --compress the result is
converted back to version 7, zstd-compressed (as trace-cmd records by
default).  Only the top buffer is grown; a file with buffer instances is
refused (their offsets would move).
"""
import os
import struct
import subprocess
import sys
import tempfile


def convert(src, dst, version, compression):
    """trace-cmd convert, failing loudly."""
    subprocess.run(["trace-cmd", "convert", "-i", src, "-o", dst,
                    "--file-version", str(version), "--compression", compression],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def span_of(path):
    """The trace's span in ns (last event - first, as trace-cmd report reads them) + 1 s."""
    out = subprocess.run(["trace-cmd", "report", "-t", "-i", path], check=True,
                         capture_output=True, text=True).stdout
    ts = [line.split(": ", 1)[0].split()[-1] for line in out.splitlines()
          if not line.startswith("cpus=") and ": " in line]
    ts = [int(t.replace(".", "")) for t in ts if t.replace(".", "").isdigit()]
    return max(ts) - min(ts) + 1_000_000_000


def shift_page(pg, shift):
    """Shift a ring-buffer page's time: its header, and its absolute time stamps
    (TIME_STAMP records, type 31; the others are deltas)."""
    struct.pack_into("<Q", pg, 0, struct.unpack_from("<Q", pg, 0)[0] + shift)
    end = 16 + min(struct.unpack_from("<Q", pg, 8)[0] & 0x3fffffff, len(pg) - 16)
    at = 16
    while at + 4 <= end:
        word, = struct.unpack_from("<I", pg, at)
        kind, delta = word & 31, word >> 5
        if kind == 29:		# padding: length in the next word
            if delta == 0:
                break
            at += 4 + struct.unpack_from("<I", pg, at + 4)[0]
        elif kind in (30, 31):	# time extend / absolute time stamp: 8 bytes
            if kind == 31 and at + 8 <= end:
                ts = (struct.unpack_from("<I", pg, at + 4)[0] << 27 | delta) + shift
                struct.pack_into("<II", pg, at, (ts & (1 << 27) - 1) << 5 | 31, ts >> 27)
            at += 8
        elif kind == 0:		# data, length in the next word
            at += 4 + struct.unpack_from("<I", pg, at + 4)[0]
        else:
            at += 4 + 4 * kind
    return pg


def grow(data, n, span):
    """The grown version-6 file's bytes."""
    opt = data.find(b"options  \0")
    fly = data.find(b"flyrecord\0")
    if opt < 4 or fly < 0:
        sys.exit("grow_dat: not a version-6 trace.dat")
    cpus = struct.unpack_from("<I", data, opt - 4)[0]
    at = opt + 10
    while True:	# the options: id 3 (BUFFER) is an instance
        oid, = struct.unpack_from("<H", data, at)
        if oid == 0:
            break
        if oid == 3:
            sys.exit("grow_dat: buffer instances are not supported")
        at += 6 + struct.unpack_from("<I", data, at + 2)[0]
    table = fly + 10
    cpu = [struct.unpack_from("<QQ", data, table + 16 * i) for i in range(cpus)]
    page = 4096
    head = bytearray(data[:table + 16 * cpus])
    body = bytearray()
    start = cpu[0][0] if cpus else len(head)
    pad = start - len(head)
    for i, (off, size) in enumerate(cpu):
        at = start + len(body)
        for k in range(n):
            for p in range(0, size, page):
                pg = bytearray(data[off + p:off + min(p + page, size)])
                body += shift_page(pg, k * span) if k else pg
        struct.pack_into("<QQ", head, table + 16 * i, at, size * n)
        body += b"\0" * (-len(body) % page)
    return bytes(head) + b"\0" * pad + bytes(body)


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    src, n, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    with tempfile.TemporaryDirectory() as tmp:
        v6 = os.path.join(tmp, "in6.dat")
        convert(src, v6, 6, "none")
        with open(v6, "rb") as f:
            grown = grow(f.read(), n, span_of(v6))
        target = os.path.join(tmp, "grown6.dat") if "--compress" in sys.argv else out
        with open(target, "wb") as f:
            f.write(grown)
        if "--compress" in sys.argv:
            convert(target, out, 7, "zstd")


if __name__ == "__main__":
    main()
