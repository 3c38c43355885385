//go:build amd64

// Command loadcost measures what the loads beside a micro-kernel's
// multiply-adds cost this core: it times loops that make the same 24
// multiply-adds a step of k and differ only in what each step loads
// (gen/main.go writes them), and sets each beside the loop that loads
// nothing, which runs at the core's FMA peak. It needs amd64 with AVX-512.
//
//	cd bench/loadcost && go run . [-rounds N]
//
// The operands are those of the engine's k block (k = 256): A's panel and
// B's two panels (32 KB) stay in L1; the three and four panels of
// tile8x48 and tile6x64 (48 and 64 KB) do not all fit in a 48 KB L1.
// docs/PERFORMANCE.md ("The micro-kernel's ceiling") has its figures on
// an Intel Xeon.
package main

//go:generate go run ./gen -pkg main -out loops_amd64.s -stubs loops_amd64.go

import (
	"flag"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"time"

	"golang.org/x/sys/cpu"
)

// variant is one loop, what a step of it loads, and what it leaves in c.
type variant struct {
	name         string
	run          func(k int, a, b *float32, ldb int, c *float32)
	rows, panels int
	loads        string // a step's loads, as the report prints them
	sums         sums
}

// sums is what a loop leaves in c[i][j] (see expected).
type sums int

const (
	product  sums = iota // Σ_p a[p][i]·b[p][j]: the micro-kernel's tile
	heldBoth             // k·a[0][0]·b[0][j]: A and B held in registers
	heldA                // a[0][0]·Σ_p b[p][j]: B loaded, A held
	heldB                // b[0][j]·Σ_p a[p][i]: A broadcast, B held
)

var variants = []variant{
	{name: "generated12x32", run: generated12x32, rows: 12, panels: 2, loads: "12 broadcasts + 2 rows of B, and a fetch of A"},
	{name: "unrolled12x32", run: unrolled12x32, rows: 12, panels: 2, loads: "the same, 4 steps a pass, B's rows by offsets"},
	{name: "unrolledNoFetch", run: unrolledNoFetch, rows: 12, panels: 2, loads: "12 broadcasts + 2 rows of B, 4 steps a pass"},
	{name: "tile8x48", run: tile8x48, rows: 8, panels: 3, loads: "8 broadcasts + 3 rows of B"},
	{name: "tile6x64", run: tile6x64, rows: 6, panels: 4, loads: "6 broadcasts + 4 rows of B"},
	{name: "embedded12x32", run: embedded12x32, rows: 12, panels: 2, loads: "24 broadcasting multiply-adds + 2 rows of B"},
	{name: "noLoads", run: noLoads, rows: 12, panels: 2, loads: "nothing", sums: heldBoth},
	{name: "onlyB", run: onlyB, rows: 12, panels: 2, loads: "2 rows of B", sums: heldA},
	{name: "onlyBroadcasts", run: onlyBroadcasts, rows: 12, panels: 2, loads: "12 broadcasts", sums: heldB},
	{name: "scalar3", run: scalar3, rows: 12, panels: 2, loads: "3 scalar loads", sums: heldBoth},
	{name: "scalar6", run: scalar6, rows: 12, panels: 2, loads: "6 scalar loads", sums: heldBoth},
	{name: "scalar9", run: scalar9, rows: 12, panels: 2, loads: "9 scalar loads", sums: heldBoth},
	{name: "scalar12", run: scalar12, rows: 12, panels: 2, loads: "12 scalar loads", sums: heldBoth},
}

// kSteps is the steps of k of a timed call: the engine's kc.
const kSteps = 256

// baseline is the loop every other is set beside.
const baseline = "noLoads"

func main() {
	rounds := flag.Int("rounds", 9, "rounds of every loop, alternated; each figure is the median over them")
	flag.Parse()
	if *rounds < 1 || flag.NArg() > 0 {
		fmt.Fprintln(os.Stderr, "loadcost: -rounds must be at least 1, and there are no arguments; usage: go run . [-rounds N]")
		os.Exit(2)
	}
	if !cpu.X86.HasAVX512F {
		fmt.Fprintln(os.Stderr, "loadcost: this CPU has no AVX-512, which every loop uses")
		os.Exit(2)
	}
	for _, k := range []int{kSteps, 4} {
		if err := check(k); err != nil {
			fmt.Fprintln(os.Stderr, "loadcost:", err)
			os.Exit(1)
		}
	}
	rates, ratios := measure(*rounds)
	fmt.Printf("%s\nGFLOP/s on one thread, k = %d; medians of %d alternated rounds\n", cpuLabel(), kSteps, *rounds)
	fmt.Printf("%-16s %-46s %8s %11s\n", "loop", "loads a step of 24 multiply-adds", "GFLOP/s", "of "+baseline)
	for i, v := range variants {
		fmt.Printf("%-16s %-46s %8.1f %11.2f\n", v.name, v.loads, rates[i], ratios[i])
	}
}

// operands returns A's packed panel (k steps of rows floats, and 16 steps
// more for the fetches ahead) and B's panels side by side (k rows of ldb
// floats), random in [0, 1).
func operands(rng *rand.Rand, rows, ldb, k int) (a, b []float32) {
	a, b = make([]float32, (k+16)*rows), make([]float32, k*ldb)
	for i := range a {
		a[i] = rng.Float32()
	}
	for i := range b {
		b[i] = rng.Float32()
	}
	return a, b
}

// expected is c[i][j] as v leaves it, summed in float64.
func expected(v variant, a, b []float32, ldb, k, i, j int) float64 {
	var sum float64
	switch v.sums {
	case product:
		for p := range k {
			sum += float64(a[p*v.rows+i]) * float64(b[p*ldb+j])
		}
	case heldBoth:
		sum = float64(k) * float64(a[0]) * float64(b[j])
	case heldA:
		for p := range k {
			sum += float64(a[0]) * float64(b[p*ldb+j])
		}
	case heldB:
		for p := range k {
			sum += float64(a[p*v.rows+i]) * float64(b[j])
		}
	}
	return sum
}

// check runs every loop over k steps, B's rows wider than its panels, and
// holds each element it leaves to a float64 sum: the loops time the
// multiply-adds they are said to make, on the operands they are said to
// load.
func check(k int) error {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, v := range variants {
		cols := 16 * v.panels
		ldb := cols + 16
		a, b := operands(rng, v.rows, ldb, k)
		c := make([]float32, v.rows*cols)
		v.run(k, &a[0], &b[0], ldb, &c[0])
		for i := range v.rows {
			for j := range cols {
				want := expected(v, a, b, ldb, k, i, j)
				if got := float64(c[i*cols+j]); !(math.Abs(got-want) <= 1e-5*want) {
					return fmt.Errorf("%s, k = %d: c[%d][%d] = %v, want %v", v.name, k, i, j, got, want)
				}
			}
		}
	}
	return nil
}

// measure times every variant in rounds, each round starting one loop
// later, and returns each one's median GFLOP/s and the median of its
// rounds' ratios to the baseline's. A loop's figure in a round is a
// batch of calls lasting 50 to 100 ms; the batches before it, shorter,
// warm it up.
func measure(rounds int) (rates, ratios []float64) {
	rng := rand.New(rand.NewPCG(3, 4))
	base := slices.IndexFunc(variants, func(v variant) bool { return v.name == baseline })
	all := make([][]float64, len(variants))
	rel := make([][]float64, len(variants))
	for r := range rounds {
		round := make([]float64, len(variants))
		for n := range variants {
			i := (n + r) % len(variants)
			round[i] = rate(rng, variants[i])
			all[i] = append(all[i], round[i])
		}
		for i := range variants {
			rel[i] = append(rel[i], round[i]/round[base])
		}
	}
	median := func(x []float64) float64 {
		slices.Sort(x)
		return x[len(x)/2]
	}
	for i := range variants {
		rates, ratios = append(rates, median(all[i])), append(ratios, median(rel[i]))
	}
	return rates, ratios
}

// rate times v over kSteps steps a call and returns its GFLOP/s.
func rate(rng *rand.Rand, v variant) float64 {
	cols := 16 * v.panels
	a, b := operands(rng, v.rows, cols, kSteps)
	c := make([]float32, v.rows*cols)
	flops := 2 * float64(v.rows*cols*kSteps)
	for calls := 1000; ; calls *= 2 {
		start := time.Now()
		for range calls {
			v.run(kSteps, &a[0], &b[0], cols, &c[0])
		}
		if d := time.Since(start); d > 50*time.Millisecond {
			return flops * float64(calls) / d.Seconds() / 1e9
		}
	}
}

// cpuLabel names the CPU from /proc/cpuinfo's model name, where there is one.
func cpuLabel() string {
	info, err := os.ReadFile("/proc/cpuinfo")
	if err == nil {
		for line := range strings.Lines(string(info)) {
			if name, ok := strings.CutPrefix(line, "model name"); ok {
				return "CPU: " + strings.TrimSpace(strings.TrimLeft(name, " \t:"))
			}
		}
	}
	return "CPU: unknown"
}
