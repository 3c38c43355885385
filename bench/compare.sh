#!/usr/bin/env bash
# Run PyTorch's baselines and wiggle's measurements side by side on this
# machine, alternating, and print the ratios (medians over the rounds).
#
#   bench/compare.sh [ROUNDS]        (default 3)
#   bench/compare.sh --avx2 [ROUNDS]  both kept to AVX2, as on a CPU without AVX-512
#
# Needs Go and Debian's python3-torch:
#   apt-get update && apt-get install -y python3-torch python3-numpy libopenblas0-pthread
# Machines are shared and noisy: only ratios measured in one run mean much.
# COMPARE_KEEP=DIR keeps every run's raw JSON in DIR (a new or empty
# directory), with the wiggle binary it built and the model it trained,
# to look into a figure afterwards (a single round's point of the scaling
# table, say); without it they are deleted when the run ends.
# PyTorch runs on the fastest of OpenBLAS's kernels for this CPU (see
# blas_cores below), and the report says which.
set -euo pipefail
keep=${COMPARE_KEEP:-}
[ -z "$keep" ] || keep=$(realpath -m -- "$keep") # as the caller names it, before the cd
cd "$(dirname "$0")/.."
usage="usage: bench/compare.sh [--avx2] [ROUNDS]"
avx2=false
if [ "${1:-}" = --avx2 ]; then
	avx2=true
	shift
fi
[ $# -le 1 ] || { echo "compare.sh: too many arguments ($*); $usage" >&2; exit 2; }
rounds=${1:-3}
case "$rounds" in
'' | *[!0-9]*) whole=0 ;;
*) whole=$((10#$rounds)) ;;
esac
[ "$whole" -ge 1 ] || { echo "compare.sh: ROUNDS must be a whole number of at least 1, not \"$rounds\"; $usage" >&2; exit 2; }
rounds=$whole
py=/usr/bin/python3
"$py" -c 'import torch' 2>/dev/null || { echo "compare.sh: $py cannot import torch; install python3-torch (see the top of this script)" >&2; exit 2; }
# Debian's PyTorch takes its BLAS from the alternatives system: without
# OpenBLAS it gets the reference BLAS, 10–30 times slower, and the baseline
# means nothing.
case "$(readlink -f /usr/lib/"$(uname -m)"-linux-gnu/libblas.so.3 2>/dev/null)" in
*openblas*) ;;
*) echo "compare.sh: the system BLAS is not OpenBLAS, so PyTorch would run on the reference BLAS; apt-get install libopenblas0-pthread" >&2; exit 2 ;;
esac

# PyTorch 1.13 runs its AVX2 kernels by default even where the CPU has
# AVX-512; ATEN_CPU_CAPABILITY=avx512 selects the wider ones, which halve
# some activations' time. Its best is the faster of the two, as for threads
# (activations and the MNIST training; the GEMM and the scaling table, bound
# by their products, run its own choice). PyTorch does not check that the
# CPU has what is asked for, so avx512 is asked only of a CPU with every
# AVX-512 subset its kernels use.
caps=native
flags=$(grep -m1 '^flags' /proc/cpuinfo || true)
has() { for f in "$@"; do [[ " $flags " == *" $f "* ]] || return 1; done; }
has avx512f avx512bw avx512vl avx512dq && caps="native avx512"
# OpenBLAS picks its kernels from CPUID and, in some VMs, finds no core it
# knows: on the 2-vCPU Intel Xeon of 2026-11-30 it fell back to "Prescott"
# (OPENBLAS_VERBOSE=2 says so), plain SSE3, 31 GFLOP/s on one core against
# 131 with its SkylakeX kernels. PyTorch's best setting includes the best
# OpenBLAS kernels this CPU runs: each candidate's sgemm 1024^3 on one
# thread is timed and the fastest is kept for every PyTorch run.
blas_cores=default
has avx2 fma && blas_cores="$blas_cores Haswell"
has avx512f avx512bw avx512vl avx512dq && blas_cores="$blas_cores SkylakeX"
# --avx2: what a CPU without AVX-512 would run, on this one. wiggle's CPU
# detection (golang.org/x/sys/cpu) honours GODEBUG; PyTorch runs its AVX2
# kernels (ATEN_CPU_CAPABILITY=avx2), OpenBLAS its Haswell ones and oneDNN
# AVX2.
if $avx2; then
	has avx2 fma || { echo "compare.sh: --avx2 needs a CPU with AVX2 and FMA" >&2; exit 2; }
	caps=avx2
	blas_cores=Haswell
	export GODEBUG=cpu.avx512f=off ONEDNN_MAX_CPU_ISA=AVX2 DNNL_MAX_CPU_ISA=AVX2
fi
export COMPARE_AVX2=$avx2
# torch runs a baseline with PyTorch's own choice of kernels (native) or
# with ATEN_CPU_CAPABILITY=$cap.
torch() {
	local cap=$1
	shift
	if [ "$cap" = native ]; then
		env -u ATEN_CPU_CAPABILITY "$py" bench/torch_baseline.py "$@"
	else
		ATEN_CPU_CAPABILITY=$cap "$py" bench/torch_baseline.py "$@"
	fi
}

if [ -n "$keep" ]; then
	out=$keep
	mkdir -p "$out" || { echo "compare.sh: COMPARE_KEEP: cannot make the directory \"$out\"" >&2; exit 2; }
	[ -z "$(ls -A "$out")" ] || { echo "compare.sh: COMPARE_KEEP: \"$out\" is not empty; name a new or empty directory" >&2; exit 2; }
	echo "the runs' raw JSON stays in $out" >&2
else
	out=$(mktemp -d)
	trap 'rm -rf "$out"' EXIT
fi
go build -o "$out/wiggle" ./cmd/wiggle
mnist=$("$out/wiggle" data fetch mnist)

unset OPENBLAS_CORETYPE
blas_best=default blas_gflops=0 blas_note=
for core in $blas_cores; do
	if [ "$core" = default ]; then
		g=$(OPENBLAS_NUM_THREADS=1 torch "${caps%% *}" gemm 1)
	else
		g=$(OPENBLAS_CORETYPE=$core OPENBLAS_NUM_THREADS=1 torch "${caps%% *}" gemm 1)
	fi
	g=$("$py" -c 'import json, sys; print(round(json.load(sys.stdin)["gflops"], 1))' <<<"$g")
	blas_note="$blas_note $core $g"
	if "$py" -c "import sys; sys.exit(not $g > $blas_gflops)"; then
		blas_best=$core blas_gflops=$g
	fi
done
[ "$blas_best" = default ] || export OPENBLAS_CORETYPE=$blas_best
export COMPARE_BLAS="OpenBLAS kernels for PyTorch: $blas_best (sgemm 1024^3, 1 thread, GFLOP/s:$blas_note)"

# Every activation of the catalogue that PyTorch computes (identity's
# nn.Identity returns its input), in the order the report lists them.
acts=relu,leaky_relu,sigmoid,tanh,elu,gelu,silu,softplus,mish,selu,celu,gelu_tanh,hardtanh,relu6,hardsigmoid,hardswish,softsign,logsigmoid,step,prelu
export ACTS=$acts
export ACT_PAIRS=3 # activation runs a round, each followed by PyTorch's
for r in $(seq 1 "$rounds"); do
	echo "round $r of $rounds" >&2
	OPENBLAS_NUM_THREADS=1 torch "${caps%% *}" gemm 1 > "$out/torch_gemm1.$r"
	OPENBLAS_NUM_THREADS=2 torch "${caps%% *}" gemm 2 > "$out/torch_gemm2.$r"
	"$out/wiggle" bench --json --scaling --acts "$acts" 2>/dev/null > "$out/wiggle_bench.$r"
	OPENBLAS_NUM_THREADS=2 torch "${caps%% *}" scaling 1 > "$out/torch_scaling_blas2.$r"
	OPENBLAS_NUM_THREADS=1 torch "${caps%% *}" scaling 2 > "$out/torch_scaling_intra2.$r"
	# The activations, a few seconds each side, alternate ACT_PAIRS times
	# a round: the machine's load changes over seconds, so each pair is
	# measured under about the same load.
	for k in $(seq 1 "$ACT_PAIRS"); do
		"$out/wiggle" bench --json --acts-only --acts "$acts" 2>/dev/null > "$out/wiggle_acts.$r.$k"
		for cap in $caps; do
			torch "$cap" act > "$out/torch_act_$cap.$r.$k"
		done
	done
	for cap in $caps; do
		OPENBLAS_NUM_THREADS=2 torch "$cap" mlp "$mnist" 1 > "$out/torch_mlp_blas2_$cap.$r"
		OPENBLAS_NUM_THREADS=1 torch "$cap" mlp "$mnist" 2 > "$out/torch_mlp_intra2_$cap.$r"
	done
	"$out/wiggle" train --data mnist --hidden 256,256 --act relu --optimizer momentum --lr 0.1 \
		--momentum 0.9 --batch 128 --epochs 1 --json --out "$out/m.safetensors" 2>/dev/null > "$out/wiggle_mlp.$r"
done

"$py" - "$out" "$rounds" $caps <<'PY'
import json, os, statistics, sys
d, rounds, caps = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
load = lambda name: [json.load(open(f"{d}/{name}.{r}")) for r in range(1, rounds + 1)]
med = statistics.median
wb = load("wiggle_bench")
print("PyTorch's best of its CPU kernels:", ", ".join(caps), "(native: its own choice; else ATEN_CPU_CAPABILITY)")
print(os.environ["COMPARE_BLAS"])
if os.environ["COMPARE_AVX2"] == "true":
    print("--avx2: both kept to AVX2 (wiggle GODEBUG=cpu.avx512f=off; PyTorch ATEN_CPU_CAPABILITY=avx2, OpenBLAS Haswell, oneDNN AVX2)")
print(f"{'measure':44} {'wiggle':>10} {'PyTorch':>10} {'ratio':>7}")
def row(name, ours, theirs, higher_better=True):
    ratio = ours / theirs if higher_better else theirs / ours
    print(f"{name:44} {ours:10.2f} {theirs:10.2f} {ratio:6.2f}x")
for t in (1, 2):
    ours = med(g["gflops"] for b in wb for g in b["gemm"] if g["name"] == "1024^3" and g["threads"] == t)
    row(f"sgemm 1024^3 GFLOP/s, {t} thread(s)", ours, med(g["gflops"] for g in load(f"torch_gemm{t}")))
ours_mlp = med(m["samples_per_second"] for m in load("wiggle_mlp"))
# PyTorch's best setting in each round: two BLAS threads or two intra-op
# threads, with either CPU capability.
theirs_rounds = [max(m["samples_per_second"] for m in round_)
                 for round_ in zip(*(load(f"torch_mlp_{s}_{c}") for s in ("blas2", "intra2") for c in caps))]
theirs_mlp = med(theirs_rounds)
row("MNIST MLP training samples/s (best settings)", ours_mlp, theirs_mlp)
print("  each round, wiggle / PyTorch:", ", ".join(f"{m['samples_per_second']:.0f} / {p:.0f}" for m, p in zip(load("wiggle_mlp"), theirs_rounds)))
# How long a cache line takes between the two cores and back, right before
# each round's two-thread `wiggle bench` MLP: where it is several times longer, the
# two-thread step's hand-offs are too (docs/PERFORMANCE.md).
trips = [b.get("core_round_trip_ns", 0) for b in wb]
if all(trips):
    bench2 = [next(m["samples_per_second"] for m in b["mlp_training"] if m["threads"] == 2) for b in wb]
    print("  core-to-core round trip in each round's wiggle bench, ns:", ", ".join(f"{t:.0f}" for t in trips),
          "(its 2-thread MLP, samples/s:", ", ".join(f"{m:.0f}" for m in bench2) + ")")
# The engine's own measure of its hand-offs in that MLP, and whether it
# counted its cores far apart (kernels.Handoff): then a split step copies
# its next batch around the caches.
handoffs = [b.get("helper_handoff_ns", 0) for b in wb]
if all(handoffs):
    print("  the helper's hand-off in each round's wiggle bench, ns:",
          ", ".join(f"{h:.0f} ({'far' if b.get('cores_far') else 'close'})" for h, b in zip(handoffs, wb)))
# The epoch's own: of the loops the engine's trials judged, how many it
# posted to the helper (of all; the rest it kept on one thread: another
# program on the second core at its start, a trial's alone window, or
# splitting slower), and the hand-off measured in it ("-": too few timed).
engines = [m.get("engine") for m in load("wiggle_mlp")]
if all(engines):
    print("  the epoch's loops posted to the helper in each round, and its hand-off, ns:",
          ", ".join(f"{e['loops_shared']}/{e['loops_shared'] + e['loops_alone']} {e['handoff_ns']:.0f}" if e['handoff_ns']
                    else f"{e['loops_shared']}/{e['loops_shared'] + e['loops_alone']} -" for e in engines))
# The same training against wiggle's own 2-thread sgemm 1024^3 (the roof),
# in useful flops: 6·Σ in·out a sample, less the first layer's skipped
# input gradient (2·784·256). Fractions of the roof in three decimals:
# the goals (0.90, 0.85) are judged on them, and 0.898 printed as 0.90
# read as met.
roof = med(g["gflops"] for b in wb for g in b["gemm"] if g["name"] == "1024^3" and g["threads"] == 2)
mlp_gflops = ours_mlp * (6 * (784 * 256 + 256 * 256 + 256 * 10) - 2 * 784 * 256) / 1e9
print(f"MNIST MLP training: {mlp_gflops:.1f} useful GFLOP/s, {mlp_gflops / roof:.3f} of the 2-thread sgemm roof ({roof:.1f})")
# The FMA peak: every core running multiply-adds on registers alone, the
# most any product could reach (absent with the plain Go kernels).
peaks = lambda t: [p["gflops"] for b in wb for p in b.get("fma_peak") or [] if p["threads"] == t]
peak = {t: med(peaks(t)) if peaks(t) else 0 for t in (1, 2)}
if peak[2]:
    ours_gemm = {t: med(g["gflops"] for b in wb for g in b["gemm"] if g["name"] == "1024^3" and g["threads"] == t) for t in (1, 2)}
    theirs_gemm = {t: med(g["gflops"] for g in load(f"torch_gemm{t}")) for t in (1, 2)}
    print(f"FMA peak: {peak[1]:.1f} / {peak[2]:.1f} GFLOP/s on 1 / 2 threads; sgemm 1024^3 at "
          f"{ours_gemm[1] / peak[1]:.2f} / {ours_gemm[2] / peak[2]:.2f} of it (PyTorch {theirs_gemm[1] / peak[1]:.2f} / "
          f"{theirs_gemm[2] / peak[2]:.2f}), the MNIST MLP at {mlp_gflops / peak[2]:.2f}")
# The activations: each of wiggle's --acts-only runs beside the PyTorch
# runs that followed it (the faster of its capabilities); the ratio is the
# median of those pairs' ratios.
pairs = [(json.load(open(f"{d}/wiggle_acts.{r}.{k}"))["activations"],
          [json.load(open(f"{d}/torch_act_{c}.{r}.{k}")) for c in caps])
         for r in range(1, rounds + 1) for k in range(1, int(os.environ["ACT_PAIRS"]) + 1)]
for name in os.environ["ACTS"].split(","):
    for part in ("forward", "backward"):
        theirs = [[a[f"{part}_ns"] for r in t for a in r if a["name"] == name] for _, t in pairs]
        if None in theirs[0]:  # step's and prelu's backward passes (torch_baseline.py says why)
            continue
        theirs = [min(t) for t in theirs]
        ours = [next(a[f"{part}_ns"] for a in w if a["name"] == name) for w, _ in pairs]
        print(f"{name + ' ' + part + ' ns/element (speed ratio)':44} {med(ours):10.2f} {med(theirs):10.2f} "
              f"{med(b / a for a, b in zip(ours, theirs)):6.2f}x")
copies = [json.load(open(f"{d}/wiggle_acts.{r}.{k}"))["copy_ns"]
          for r in range(1, rounds + 1) for k in range(1, int(os.environ["ACT_PAIRS"]) + 1)]
print(f"{'copy() of 1M floats ns/element (the floor)':44} {med(copies):10.2f}")
print(f"{'single-sample inference µs':44} {med(b['inference_ns'] for b in wb) / 1000:10.2f}")
# The MLP at other sizes: samples/s beside PyTorch's better thread setting,
# and wiggle's useful GFLOP/s as a fraction of its own 2-thread sgemm roof.
ts = [max(a, b, key=lambda p: p["samples_per_second"]) for ra, rb in
      zip(load("torch_scaling_blas2"), load("torch_scaling_intra2")) for a, b in zip(ra, rb)]
print(f"\n{'hidden, batch':16} {'PyTorch':>10} {'wiggle':>10} {'ratio':>7} {'wiggle/roof':>12} {'wiggle/peak':>12}")
for h in (256, 1024, 2048, 4096):
    for bs in (32, 128, 512):
        ours = [p for b in wb for p in b["mlp_scaling"] if p["hidden"] == h and p["batch"] == bs]
        theirs = med(p["samples_per_second"] for p in ts if p["hidden"] == h and p["batch"] == bs)
        sps, gf = med(p["samples_per_second"] for p in ours), med(p["useful_gflops"] for p in ours)
        of_peak = f"{gf / peak[2]:12.2f}" if peak[2] else f"{'-':>12}"
        print(f"{f'{h}, {bs}':16} {theirs:10.0f} {sps:10.0f} {sps / theirs:6.2f}x {gf / roof:12.3f} {of_peak}")
print("ratio > 1: wiggle is faster. Medians of", rounds, "alternating rounds (the activations: of",
      len(pairs), "alternating pairs, the ratio the median of the pairs' ratios).")
PY
