#!/usr/bin/env python3
"""Check screens of `nvtrace ui` captured with `tmux capture-pane -p`.

  tui_check.py geom W H FILE [flame]
      FILE has H lines of at most W characters; no wrapped row: outside the tab
      bar and the key line every line starts with a space (the screens draw
      from column 1; a row printed past the edge continues in column 0 of the
      next line), except on the flame view, which draws from column 0.
  tui_check.py cells HEAD FULL SMALL
      The table whose header's first cell is HEAD, in SMALL (a narrow screen)
      and FULL (a screen wide enough for every column): every cell of a row of
      SMALL (cells are separated by two or more spaces) is a cell of the row of
      FULL with the same first cell, so no value is cut or shifted.
  tui_check.py headers HEAD WANT FILE...
      Across the FILEs (one table scrolled sideways), the header cells seen
      include every name in WANT (comma-separated).
Exit 0 when the check holds, 1 with a message otherwise."""
import re
import sys


def fail(msg):
    print("tui_check: " + msg)
    sys.exit(1)


def lines(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        return f.read().split("\n")[:-1]


def cells(line):
    return [c for c in re.split(r"\s{2,}", line.strip()) if c]


def table(path, head):
    """Header cells and {first cell: cells} of the table whose header starts with head."""
    ls = lines(path)
    for i, l in enumerate(ls):
        c = cells(l)
        if c and c[0] == head and l.startswith(" "):
            rows = {}
            for r in ls[i + 1:-1]:
                if not r.strip():
                    break
                rc = cells(r)
                rows[rc[0]] = rc
            return c, rows
    fail("%s: no table headed %r" % (path, head))


def geom(w, h, path, flame):
    ls = lines(path)
    if len(ls) != h:
        fail("%s: %d lines, want %d" % (path, len(ls), h))
    for n, l in enumerate(ls):
        if len(l) > w:
            fail("%s: line %d has %d characters" % (path, n + 1, len(l)))
        if not flame and 0 < n < h - 1 and l and l[0] != " ":
            fail("%s: line %d starts in column 0 (a wrapped row?): %r" % (path, n + 1, l))


def main():
    mode = sys.argv[1]
    if mode == "geom":
        geom(int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], len(sys.argv) > 5)
    elif mode == "cells":
        head, full, small = sys.argv[2:5]
        fh, frows = table(full, head)
        sh, srows = table(small, head)
        if not set(sh) <= set(fh):
            fail("header %r not within %r" % (sh, fh))
        if not srows:
            fail("%s: an empty table" % small)
        for key, rc in srows.items():
            if key not in frows:
                fail("%s: row %r (%r) not in the full table" % (small, key, rc))
            extra = [c for c in rc if c not in frows[key]]
            if extra:
                fail("%s: row %r: %r are not values of the full row %r" % (small, key, extra, frows[key]))
    elif mode == "headers":
        head, want = sys.argv[2], sys.argv[3].split(",")
        seen = set()
        for p in sys.argv[4:]:
            seen |= set(table(p, head)[0])
        missing = [w for w in want if w not in seen]
        if missing:
            fail("columns never shown: %r (seen %r)" % (missing, sorted(seen)))
    else:
        fail("unknown mode " + mode)


main()
