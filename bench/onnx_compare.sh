#!/usr/bin/env bash
# Set wiggle's inference beside ONNX Runtime's on this machine, in one
# process, alternating rounds, and print the medians and their ratios.
#
#   bench/onnx_compare.sh [ROUNDS]        (default 3)
#
# Needs Go with cgo (gcc) and ONNX Runtime's library from npm, where the tests
# find it:
#   npm install --ignore-scripts --prefix ~/.cache/wiggle/npm onnxruntime-node@1.30.0
# (or set WIGGLE_NODE_MODULES to another node_modules folder holding it).
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3}
modules=${WIGGLE_NODE_MODULES:-${XDG_CACHE_HOME:-$HOME/.cache}/wiggle/npm/node_modules}
lib=$(ls "$modules"/onnxruntime-node/bin/napi-v*/linux/x64/libonnxruntime.so.1 2>/dev/null | head -1 || true)
if [ -z "$lib" ]; then
	echo "onnx_compare.sh: no libonnxruntime.so.1 under $modules/onnxruntime-node;" >&2
	echo "  npm install --ignore-scripts --prefix ${modules%/node_modules} onnxruntime-node@1.30.0" >&2
	exit 2
fi
grep -m1 'model name' /proc/cpuinfo || true
CGO_ENABLED=1 go run -C bench/ortgo . --lib "$lib" --rounds "$rounds"
