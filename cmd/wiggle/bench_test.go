package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/wigglenn/wiggle/perf"
)

// TestWriteBenchSetsFiguresAgainstThePeak checks the fractions the text
// report prints: sgemm 1024³ of the FMA peak, the MLP of the roof and of
// the peak, a scaling point of both, the copy floor, the round trip
// between threads and the helper's hand-off; and that a run with no peak
// (plain Go kernels) prints no fraction of one, and one with no round
// trip or hand-off (one thread) no line for them.
func TestWriteBenchSetsFiguresAgainstThePeak(t *testing.T) {
	useful := perf.UsefulFlops(256) / 1e9 // GFLOP/s at one sample a second
	r := perf.Report{
		GEMM: []perf.GEMMResult{{Name: "1024^3", Threads: 1, GFLOPS: 90}, {Name: "1024^3", Threads: 2, GFLOPS: 160}},
		Peak: []perf.PeakResult{{Threads: 1, GFLOPS: 100}, {Threads: 2, GFLOPS: 200}},
		MLP:  []perf.MLPResult{{Threads: 2, SamplesPerSec: 80 / useful}},
		Scaling: []perf.ScalingPoint{
			{Hidden: 1024, Batch: 512, Threads: 2, SamplesPerSec: 1, UsefulGFLOPS: 120},
		},
		CopyNS:      0.25,
		RoundTripNS: 93.6,
		HandoffNS:   481,
		CoresFar:    true,
	}
	var out bytes.Buffer
	if err := writeBench(&out, r); err != nil {
		t.Fatal(err)
	}
	words := strings.Join(strings.Fields(out.String()), " ") // the tables' padding aside
	for _, want := range []string{
		"1 thread(s): 100.0 GFLOP/s; sgemm 1024^3 reaches 0.90 of it",
		"2 thread(s): 200.0 GFLOP/s; sgemm 1024^3 reaches 0.80 of it",
		"80.0 useful GFLOP/s: 0.50 of the sgemm roof, 0.40 of the FMA peak",
		"1024 512 2 1 120.0 0.75 0.60",
		"copy() of the same 1M floats: 0.250 ns/elem",
		"a cache line from one thread to the other and back, right before the 2-thread MLP: 94 ns",
		"the helper's hand-off in the 2-thread MLP (the engine's measure): 481 ns, the cores far apart",
	} {
		if !strings.Contains(words, want) {
			t.Errorf("report lacks %q:\n%s", want, out.String())
		}
	}
	r.Peak, r.RoundTripNS, r.HandoffNS = nil, 0, 0
	out.Reset()
	if err := writeBench(&out, r); err != nil {
		t.Fatal(err)
	}
	if s := out.String(); strings.Contains(s, "FMA peak") || strings.Contains(s, "cache line") || strings.Contains(s, "hand-off") || !strings.Contains(strings.Join(strings.Fields(s), " "), "120.0 0.75 -") {
		t.Errorf("a run without a peak:\n%s", s)
	}
}

// TestWriteBenchSaysWhatDoesNotAdd checks two things a newcomer tripped
// over: a sgemm rate above the peak (a noisy run) is called out, and the
// plain Go activations print even when --acts left out their engine
// figure (with nothing to set them beside).
func TestWriteBenchSaysWhatDoesNotAdd(t *testing.T) {
	r := perf.Report{
		GEMM:        []perf.GEMMResult{{Name: "1024^3", Threads: 1, GFLOPS: 90}},
		Peak:        []perf.PeakResult{{Threads: 1, GFLOPS: 80}},
		Activations: []perf.ActResult{{Name: "relu", ForwardNS: 0.5, BackwardNS: 1}},
		PlainGo: perf.PlainGoReport{GEMMGFLOPS: 3, Activations: []perf.ActResult{
			{Name: "relu", ForwardNS: 5, BackwardNS: 5}, {Name: "tanh", ForwardNS: 20, BackwardNS: 8}}},
	}
	var out bytes.Buffer
	if err := writeBench(&out, r); err != nil {
		t.Fatal(err)
	}
	words := strings.Join(strings.Fields(out.String()), " ")
	for _, want := range []string{
		"sgemm 1024^3 reaches 1.12 of it (more than the peak:",
		"relu forward / backward 5.000 / 5.000 ns/elem (the engine is 10.0× / 5.0× faster)",
		"tanh forward / backward 20.000 / 8.000 ns/elem",
	} {
		if !strings.Contains(words, want) {
			t.Errorf("report lacks %q:\n%s", want, out.String())
		}
	}
}
