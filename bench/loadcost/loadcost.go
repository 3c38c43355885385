//go:build amd64

// Command loadcost measures what the loads beside a micro-kernel's
// multiply-adds cost this core: it times loops that make the same
// multiply-adds on operands in L1 and differ only in what each step loads
// (gen/main.go writes them), and sets each beside the loop that loads
// nothing, which runs at the core's FMA peak. It needs amd64 with AVX-512.
//
//	cd bench/loadcost && go run .
//
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

// variant is one loop and what a step of it loads.
type variant struct {
	name         string
	run          func(k int, a, b *float32, ldb int, c *float32)
	rows, panels int
	loads        string // a step's loads, as the report prints them
	product      bool   // it computes the product (the others only time)
}

var variants = []variant{
	{"generated12x32", generated12x32, 12, 2, "12 broadcasts + 2 rows of B, A fetched ahead", true},
	{"unrolled12x32", unrolled12x32, 12, 2, "12 broadcasts + 2 rows of B, 4 steps a pass", true},
	{"tile8x48", tile8x48, 8, 3, "8 broadcasts + 3 rows of B", true},
	{"tile6x64", tile6x64, 6, 4, "6 broadcasts + 4 rows of B", true},
	{"embedded12x32", embedded12x32, 12, 2, "24 broadcasting multiply-adds + 2 rows of B", true},
	{"noLoads", noLoads, 12, 2, "nothing", false},
	{"onlyB", onlyB, 12, 2, "2 rows of B", false},
	{"onlyBroadcasts", onlyBroadcasts, 12, 2, "12 broadcasts", false},
	{"scalar3", scalar3, 12, 2, "3 scalar loads", false},
	{"scalar6", scalar6, 12, 2, "6 scalar loads", false},
	{"scalar9", scalar9, 12, 2, "9 scalar loads", false},
	{"scalar12", scalar12, 12, 2, "12 scalar loads", false},
}

// kSteps is the steps of k of a call: the engine's kc, whose panels stay
// in L1 (B: kSteps·16·panels floats, 32 KB for two panels).
const kSteps = 256

func main() {
	rounds := flag.Int("rounds", 9, "rounds of every loop, alternated; each figure is the median")
	flag.Parse()
	if !cpu.X86.HasAVX512F {
		fmt.Fprintln(os.Stderr, "loadcost: this CPU has no AVX-512")
		os.Exit(2)
	}
	if err := check(); err != nil {
		fmt.Fprintln(os.Stderr, "loadcost:", err)
		os.Exit(1)
	}
	rates := measure(*rounds)
	peak := rates[slices.IndexFunc(variants, func(v variant) bool { return v.name == "noLoads" })]
	fmt.Printf("%s\nGFLOP/s on one thread, k = %d, operands in L1; medians of %d alternated rounds\n", modelName(), kSteps, *rounds)
	fmt.Printf("%-16s %-46s %8s %11s\n", "loop", "loads a step of 24 multiply-adds", "GFLOP/s", "of noLoads")
	for i, v := range variants {
		fmt.Printf("%-16s %-46s %8.1f %11.2f\n", v.name, v.loads, rates[i], rates[i]/peak)
	}
}

// operands returns A's packed panel (k steps of rows floats) and B's
// panels side by side (k rows of 16·panels floats), random in [0, 1).
func operands(rng *rand.Rand, rows, panels, k int) (a, b []float32) {
	a, b = make([]float32, (k+16)*rows), make([]float32, k*16*panels) // A's extra steps: what the loops fetch ahead
	for i := range a {
		a[i] = rng.Float32()
	}
	for i := range b {
		b[i] = rng.Float32()
	}
	return a, b
}

// check compares each loop that computes the product with a float64 sum.
func check() error {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, v := range variants {
		if !v.product {
			continue
		}
		cols := 16 * v.panels
		a, b := operands(rng, v.rows, v.panels, kSteps)
		c := make([]float32, v.rows*cols)
		v.run(kSteps, &a[0], &b[0], cols, &c[0])
		for i := range v.rows {
			for j := range cols {
				var want float64
				for p := range kSteps {
					want += float64(a[p*v.rows+i]) * float64(b[p*cols+j])
				}
				if got := float64(c[i*cols+j]); math.Abs(got-want) > 1e-5*want {
					return fmt.Errorf("%s: c[%d][%d] = %v, want %v", v.name, i, j, got, want)
				}
			}
		}
	}
	return nil
}

// measure times every variant in rounds, alternated, each call timed in
// batches of about 50 ms, and returns the median GFLOP/s of each.
func measure(rounds int) []float64 {
	rng := rand.New(rand.NewPCG(3, 4))
	all := make([][]float64, len(variants))
	for range rounds {
		for i, v := range variants {
			a, b := operands(rng, v.rows, v.panels, kSteps)
			c := make([]float32, v.rows*16*v.panels)
			flops := 2 * float64(v.rows*16*v.panels*kSteps)
			calls := 1000
			for {
				start := time.Now()
				for range calls {
					v.run(kSteps, &a[0], &b[0], 16*v.panels, &c[0])
				}
				if d := time.Since(start); d > 50*time.Millisecond {
					all[i] = append(all[i], flops*float64(calls)/d.Seconds()/1e9)
					break
				}
				calls *= 2
			}
		}
	}
	medians := make([]float64, len(all))
	for i, r := range all {
		slices.Sort(r)
		medians[i] = r[len(r)/2]
	}
	return medians
}

// modelName is the CPU's model name from /proc/cpuinfo, where there is one.
func modelName() string {
	info, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return "CPU: unknown"
	}
	for line := range strings.Lines(string(info)) {
		if name, ok := strings.CutPrefix(line, "model name"); ok {
			return "CPU: " + strings.TrimSpace(strings.TrimLeft(name, " \t:"))
		}
	}
	return "CPU: unknown"
}
