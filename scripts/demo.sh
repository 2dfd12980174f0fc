#!/bin/sh
# make demo: the main job on the bundled example.
set -e
NV=${1:-build/nvtrace}
echo "no demo yet"
