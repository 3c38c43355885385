//go:build amd64 && !purego

package kernels

import (
	"bufio"
	"math"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// TestCPUFamily decodes the signatures of the cores the engine was
// measured on, and this machine's against /proc/cpuinfo where there is one.
func TestCPUFamily(t *testing.T) {
	for _, c := range []struct {
		name      string
		signature uint32
		family    int
		ahead     int
	}{
		{"AMD EPYC 9004, Zen 4 (family 19h, model 11h)", 0x00a10f11, 25, 0},
		{"AMD EPYC 9005, Zen 5 (family 1Ah, model 02h)", 0x00b00f20, 26, 4096},
		{"Intel Xeon, Sapphire Rapids (family 6, model 8Fh)", 0x000806f8, 6, 0},
		{"Intel Xeon of docs/PERFORMANCE.md (family 6, model A7h)", 0x000a0671, 6, 0},
	} {
		if got := cpuFamily(c.signature); got != c.family {
			t.Errorf("%s: cpuFamily(%#x) = %d, want %d", c.name, c.signature, got, c.family)
		}
		if got := floorAheadFor(c.family); got != c.ahead {
			t.Errorf("%s: floorAheadFor(%d) = %d, want %d", c.name, c.family, got, c.ahead)
		}
	}
	if want, ok := cpuinfoFamily(); ok && family != want {
		t.Errorf("CPUID gives family %d, /proc/cpuinfo %d", family, want)
	}
}

// cpuinfoFamily reads the first "cpu family" of /proc/cpuinfo.
func cpuinfoFamily() (int, bool) {
	f, err := os.Open("/proc/cpuinfo")
	if err != nil {
		return 0, false
	}
	defer f.Close()
	lines := bufio.NewScanner(f)
	for lines.Scan() {
		if key, value, ok := strings.Cut(lines.Text(), ":"); ok && strings.TrimSpace(key) == "cpu family" {
			n, err := strconv.Atoi(strings.TrimSpace(value))
			return n, err == nil
		}
	}
	return 0, false
}

// TestCPUFormsGiveTheSameBits: byPass picks the form fourAPass says, and
// the AVX-512 loops of two and of four vectors a pass give the same bits,
// over lengths that leave every remainder: odd vectors, a pair after
// passes of four, tails shorter than a vector. The memory-floor loops run
// with both of floorAhead's distances beside them, which only runs them: a
// fetch changes no result and never faults.
func TestCPUFormsGiveTheSameBits(t *testing.T) {
	if !HasAVX2FMA {
		t.Skip("no AVX2: plain Go runs")
	}
	defer func(four bool, ahead int) { fourAPass, floorAhead = four, ahead }(fourAPass, floorAhead)
	for _, four := range []bool{false, true} {
		fourAPass = four
		if got := byPass("two", "four"); got != map[bool]string{false: "two", true: "four"}[four] {
			t.Errorf("fourAPass %v: byPass picks %q", four, got)
		}
	}
	forward := []struct {
		name string
		f    func(y, x []float32)
	}{
		{"exp", Exp}, {"sigmoid", Sigmoid}, {"tanh", Tanh}, {"silu", SiLU}, {"gelu", GELU}, {"gelu_tanh", GELUTanh},
		{"softplus", Softplus}, {"mish", Mish}, {"logsigmoid", LogSigmoid}, {"hardswish", HardSwish},
		{"elu", func(y, x []float32) { ELU(y, x, 1.0507, 1.7581, 1) }},
		{"relu", ReLU}, {"identity", Identity}, {"step", func(y, x []float32) { Step(y, x, 0.5) }},
		{"leaky", func(y, x []float32) { LeakyReLU(y, x, 0.01) }},
		{"clamp", func(y, x []float32) { Clamp(y, x, 3, 0, 6, 1.0/6) }},
	}
	backward := []struct {
		name string
		f    func(dX, dOut, in []float32)
	}{
		{"sigmoid", SigmoidBackward}, {"tanh", TanhBackward}, {"silu", SiLUBackward}, {"gelu", GELUBackward},
		{"gelu_tanh", GELUTanhBackward}, {"softplus", SoftplusBackward}, {"mish", MishBackward},
		{"hardswish", HardSwishBackward}, {"logsigmoid", LogSigmoidBackward},
		{"elu", func(dX, dOut, x []float32) { ELUBackward(dX, dOut, x, 1.0507, 1.7581, 1) }},
	}
	rng := rand.New(rand.NewPCG(48, 48))
	for _, n := range []int{1, 15, 16, 17, 31, 32, 33, 47, 48, 63, 64, 65, 80, 96, 112, 127, 1000, 4099} {
		x, dOut, dX0 := make([]float32, n), make([]float32, n), make([]float32, n)
		for i := range x {
			x[i], dOut[i], dX0[i] = float32(8*rng.NormFloat64()), float32(rng.NormFloat64()), float32(rng.NormFloat64())
		}
		x[n/2] = float32(math.NaN())
		run := func(four bool, ahead int, f func()) {
			fourAPass, floorAhead = four, ahead
			f()
		}
		for _, c := range forward {
			two, four := make([]float32, n), make([]float32, n)
			run(false, 0, func() { c.f(two, x) })
			run(true, 4096, func() { c.f(four, x) })
			if i := firstBitsApart(two, four); i >= 0 {
				t.Errorf("%s, %d elements: element %d is %v with two vectors a pass, %v with four", c.name, n, i, two[i], four[i])
			}
		}
		for _, c := range backward {
			two, four := slices.Clone(dX0), slices.Clone(dX0)
			run(false, 0, func() { c.f(two, dOut, x) })
			run(true, 4096, func() { c.f(four, dOut, x) })
			if i := firstBitsApart(two, four); i >= 0 {
				t.Errorf("%s backward, %d elements: element %d is %v with two vectors a pass, %v with four", c.name, n, i, two[i], four[i])
			}
		}
	}
}

// eachPassForm runs f with the AVX-512 loops' forms of two and of four
// vectors a pass (fourAPass), naming each (see eachForm).
func eachPassForm(f func(pass string)) {
	defer func(saved bool) { fourAPass = saved }(fourAPass)
	for _, four := range []bool{false, true} {
		fourAPass = four
		f(map[bool]string{false: ", two vectors a pass", true: ", four vectors a pass"}[four])
	}
}

// firstBitsApart is the first index where a and b differ in their bits, or -1.
func firstBitsApart(a, b []float32) int {
	for i := range a {
		if math.Float32bits(a[i]) != math.Float32bits(b[i]) {
			return i
		}
	}
	return -1
}
