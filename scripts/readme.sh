#!/bin/sh
# Rebuild README.md: the front part (docs/readme-front.md) then each area's usage
# (docs/usage-*.md, in the order a user meets them), headings moved one level down.
cd "$(dirname "$0")/.."
{
	cat docs/readme-front.md
	for a in import record model submodels replay viz; do
		f=docs/usage-$a.md
		[ -f "$f" ] || continue
		echo
		sed -e '/^```/,/^```/!s/^#/##/' "$f"
	done
} > README.md
