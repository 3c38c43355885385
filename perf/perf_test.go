package perf

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/wigglenn/wiggle/internal/kernels"
	"github.com/wigglenn/wiggle/tensor"
)

// TestQuickRunMeasuresEverything checks that a quick run fills every figure
// with a positive, finite number (how fast is for benchmarks, not tests).
func TestQuickRunMeasuresEverything(t *testing.T) {
	var parts []string
	r, err := Run(Quick, func(p string) { parts = append(parts, p) })
	if err != nil {
		t.Fatal(err)
	}
	if len(parts) != 5 {
		t.Errorf("progress heard %v", parts)
	}
	if len(r.GEMM) != len(gemmShapes)*len(Quick.Threads) || len(r.Activations) != len(Quick.Acts) || len(r.MLP) != len(Quick.Threads) {
		t.Fatalf("report %+v", r)
	}
	figures := []float64{r.InferenceNS, r.PlainGo.GEMMGFLOPS, r.CopyNS}
	if kernels.PeakFMA(1) > 0 && len(r.Peak) != len(Quick.Threads) {
		t.Errorf("FMA peaks %+v for threads %v", r.Peak, Quick.Threads)
	}
	for i, p := range r.Peak {
		if p.Threads != Quick.Threads[i] {
			t.Errorf("peak %d: %+v", i, p)
		}
		figures = append(figures, p.GFLOPS)
	}
	if len(r.PlainGo.Activations) != len(plainGoActs) {
		t.Errorf("plain Go activations: %+v", r.PlainGo.Activations)
	}
	for _, a := range r.PlainGo.Activations {
		figures = append(figures, a.ForwardNS, a.BackwardNS)
	}
	for _, g := range r.GEMM {
		figures = append(figures, g.GFLOPS)
	}
	for _, a := range r.Activations {
		figures = append(figures, a.ForwardNS, a.BackwardNS)
	}
	for _, m := range r.MLP {
		figures = append(figures, m.SamplesPerSec)
	}
	for i, f := range figures {
		if !(f > 0) || math.IsInf(f, 0) {
			t.Errorf("figure %d is %v", i, f)
		}
	}
	if r.RoundTripNS != 0 && !(r.RoundTripNS > 5) { // 0: the threads took turns; a line between cores takes longer than 5 ns
		t.Errorf("round trip %v ns", r.RoundTripNS)
	}
	if r.HandoffNS != 0 && !(r.HandoffNS > 5 && r.HandoffNS < 1e9) { // 0: too few loops taken
		t.Errorf("hand-off %v ns", r.HandoffNS)
	}
}

// TestRunRefusesAnActivationBeforeMeasuring checks that Run, Activation
// and ActivationShare return act.Parse's error for a spec it does not
// take, Run before it measures (or reports) anything.
func TestRunRefusesAnActivationBeforeMeasuring(t *testing.T) {
	opt := Quick
	opt.Acts = []string{"relu", "softplus(beta=0)"}
	var parts []string
	if _, err := Run(opt, func(p string) { parts = append(parts, p) }); err == nil || !strings.Contains(err.Error(), `beta="0"`) || len(parts) != 0 {
		t.Errorf("Run: error %v, progress heard %v", err, parts)
	}
	if _, err := Activation("wobble", Quick); err == nil || !strings.Contains(err.Error(), "wobble") {
		t.Errorf("Activation(wobble): error %v", err)
	}
	if _, err := ActivationShare("wobble", Quick); err == nil || !strings.Contains(err.Error(), "wobble") {
		t.Errorf("ActivationShare(wobble): error %v", err)
	}
}

// TestActsOnlyTimesOnlyActivations checks that ActsOnly measures the
// activations asked for, each figure positive, and nothing else.
func TestActsOnlyTimesOnlyActivations(t *testing.T) {
	opt := Quick
	opt.ActsOnly, opt.Acts = true, []string{"relu", "sigmoid", "mish", "softplus(beta=2)"}
	var parts []string
	r, err := Run(opt, func(p string) { parts = append(parts, p) })
	if err != nil {
		t.Fatal(err)
	}
	if len(parts) != 1 || parts[0] != "activations" {
		t.Errorf("progress heard %v", parts)
	}
	if !(r.CopyNS > 0) {
		t.Errorf("no copy floor beside the activations: %v", r.CopyNS)
	}
	if r.GEMM != nil || r.Peak != nil || r.MLP != nil || r.InferenceNS != 0 || r.PlainGo.Activations != nil || r.Scaling != nil {
		t.Errorf("measured more than the activations: %+v", r)
	}
	if len(r.Activations) != len(opt.Acts) {
		t.Fatalf("activations %+v", r.Activations)
	}
	for i, a := range r.Activations {
		if a.Name != opt.Acts[i] || !(a.ForwardNS > 0) || !(a.BackwardNS > 0) || math.IsInf(a.ForwardNS+a.BackwardNS, 0) {
			t.Errorf("activation %d: %+v", i, a)
		}
	}
}

// TestActivationShareIsAPart checks that an activation's passes, timed
// alone, are a part of the step that runs them: positive and smaller. Each
// figure is the median of three windows: in one, a single call stalled
// for 4 ms (other test binaries running on the two cores) once timed
// mish's passes at twice the step.
func TestActivationShareIsAPart(t *testing.T) {
	opt := Quick
	opt.Repeats = 3
	for _, name := range []string{"relu", "mish", "elu(alpha=0.5)"} {
		s, err := ActivationShare(name, opt)
		if err != nil {
			t.Fatal(err)
		}
		if !(s.ActivationNS > 0) || !(s.StepNS > s.ActivationNS) || s.Share() <= 0 || s.Share() >= 1 {
			t.Errorf("%s: %+v, share %v", name, s, s.Share())
		}
	}
}

// BenchmarkInference is one sample through 784-256-256-10.
func BenchmarkInference(b *testing.B) {
	rng := rand.New(rand.NewPCG(4, 4))
	net := mlp(rng)
	x := tensor.New(1, 784)
	b.ReportAllocs()
	for b.Loop() {
		net.Forward(x, false)
	}
}

// BenchmarkMLPTraining reports samples per second of MLP training steps.
func BenchmarkMLPTraining(b *testing.B) {
	for b.Loop() {
		b.ReportMetric(MLPTraining(2, Options{Repeats: 1, MinTime: 200e6}), "samples/s")
	}
}

// TestScalingCountsUsefulWork runs a small grid: positive speeds, and
// useful GFLOP/s that are the speed times a step's flops, counted here
// layer by layer (forward, input gradient, weight gradient: 2 flops a
// multiply-add each), less the first layer's input gradient.
func TestScalingCountsUsefulWork(t *testing.T) {
	defer func(h, b []int) { ScalingHidden, ScalingBatches = h, b }(ScalingHidden, ScalingBatches)
	ScalingHidden, ScalingBatches = []int{8}, []int{4, 16}
	points := Scaling(1, Quick)
	if len(points) != 2 {
		t.Fatalf("%d points for a grid of 2", len(points))
	}
	var perSample float64
	for _, l := range [][2]float64{{784, 8}, {8, 8}, {8, 10}} {
		perSample += 3 * 2 * l[0] * l[1]
	}
	perSample -= 2 * 784 * 8
	for _, p := range points {
		if !(p.SamplesPerSec > 0) || math.Abs(p.UsefulGFLOPS-p.SamplesPerSec*perSample/1e9) > 1e-9*p.UsefulGFLOPS {
			t.Errorf("%+v: want %v useful flops a sample", p, perSample)
		}
	}
}

// TestRunStopsWhenItsContextIsDone: a context done before Run, or during
// one of its figures, stops it before the next figure, with the context's
// error and no report; Scaling, GEMMs and Peaks stop before their first
// point.
func TestRunStopsWhenItsContextIsDone(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	opt := Quick
	opt.Context = ctx
	if r, err := Run(opt, nil); !errors.Is(err, context.Canceled) || r.CPU != "" {
		t.Errorf("a done context: %v, report %+v; want context.Canceled and none", err, r)
	}
	if n := len(Scaling(1, opt)) + len(GEMMs(opt)) + len(Peaks(opt)); n != 0 {
		t.Errorf("Scaling, GEMMs and Peaks with a done context measured %d points", n)
	}

	ctx, cancel = context.WithCancel(context.Background())
	defer cancel()
	opt.Context = ctx
	var parts []string
	r, err := Run(opt, func(p string) {
		parts = append(parts, p)
		if p == "activations" {
			cancel() // as Ctrl-C would, in the middle of the run
		}
	})
	if !errors.Is(err, context.Canceled) || r.GEMM != nil || r.MLP != nil {
		t.Errorf("cancelled in the activations: %v, report %+v; want context.Canceled and none", err, r)
	}
	if want := "gemm activations"; strings.Join(parts, " ") != want {
		t.Errorf("parts started: %q, want %q", parts, want)
	}
}

// TestPeakOfNoThreads: a thread count below 1 counts as 1, as
// engine.SetThreads takes it, rather than a negative rate.
func TestPeakOfNoThreads(t *testing.T) {
	opt := Options{Repeats: 1, MinTime: time.Millisecond}
	for _, threads := range []int{0, -1} {
		if gf := Peak(threads, opt); gf < 0 || math.IsNaN(gf) {
			t.Errorf("Peak(%d) = %v GFLOP/s; want one thread's rate (or 0 without assembly)", threads, gf)
		}
	}
}
