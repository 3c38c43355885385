// Package perf measures wiggle's engine: GEMM throughput, activation cost per
// element, MLP training throughput and single-sample inference latency. Each
// figure is the median of several timed runs (an activation's, of single
// calls, as bench/torch_baseline.py times PyTorch's), so one noisy run on a
// shared machine does not decide it. `wiggle bench` prints these; bench/compare.sh
// sets them beside PyTorch's.
//
// Concurrency: the measurements time the engine while nothing else runs;
// run one at a time, and nothing else that uses wiggle's engine beside
// them. They change the engine's process-wide settings for their time:
// each sets its thread count (engine.SetThreads) and keeps the helper
// awake, and PlainGo (so Run) switches every kernel to its plain Go form,
// which another goroutine's training or prediction would then run, racing
// with the switch. Each puts the settings back before it returns.
package perf

import (
	"context"
	"math/rand/v2"
	"runtime"
	"slices"
	"sync"
	"time"

	"github.com/wigglenn/wiggle/act"
	"github.com/wigglenn/wiggle/data"
	"github.com/wigglenn/wiggle/internal/clock"
	"github.com/wigglenn/wiggle/internal/kernels"
	"github.com/wigglenn/wiggle/loss"
	"github.com/wigglenn/wiggle/nn"
	"github.com/wigglenn/wiggle/optim"
	"github.com/wigglenn/wiggle/tensor"
	"github.com/wigglenn/wiggle/train"
)

// Options sizes a run.
type Options struct {
	Repeats int           // timed runs per figure; the median is reported
	MinTime time.Duration // length of each timed run
	Threads []int         // thread counts for the GEMM and the MLP
	Acts    []string      // activations to time: names or specs, as act.Parse takes them
	Scaling bool          // also measure the MLP at the sizes of Scaling, on the most threads
	// ActsOnly leaves out all but the activations (Scaling too): a few
	// seconds, short enough to alternate with another program's timings.
	ActsOnly bool
	// Context, if not nil, stops Run between one figure and the next once
	// it is done (Ctrl-C in `wiggle bench`); GEMMs, Peaks and Scaling stop
	// between their points.
	Context context.Context
	// Quick marks a smoke test, too short to trust (as Quick is): the
	// Report says so.
	Quick bool
}

// stopped returns the context's error once it is done, else nil.
func (o Options) stopped() error {
	if o.Context == nil {
		return nil
	}
	return o.Context.Err()
}

// Default is the full run of `wiggle bench`; Quick is small enough for tests.
var (
	Default = Options{Repeats: 5, MinTime: 200 * time.Millisecond, Threads: []int{1, 2}, Acts: act.Names()}
	Quick   = Options{Repeats: 1, MinTime: 5 * time.Millisecond, Threads: []int{1, 2}, Acts: []string{"relu", "sigmoid"}, Quick: true}
)

// Report is everything one run measured. In JSON, what a run did not
// measure (all but the activations with ActsOnly) is left out, not zero.
type Report struct {
	CPU string `json:"cpu_features"`
	// Repeats and RunMS say how the figures were timed (Options.Repeats,
	// MinTime): each is the median of Repeats runs of at least RunMS
	// milliseconds, but an activation's, the median of 5·Repeats single
	// calls. Quick's one run of 5 ms is a smoke test, too short to trust.
	Repeats int          `json:"repeats"`
	RunMS   float64      `json:"run_ms"`
	Quick   bool         `json:"quick,omitzero"` // Options.Quick: a smoke test
	GEMM    []GEMMResult `json:"gemm,omitempty"`
	// Peak is the machine's FMA peak on each thread count of GEMM (none
	// where the kernels are plain Go): the roof of any product.
	Peak        []PeakResult `json:"fma_peak,omitempty"`
	Activations []ActResult  `json:"activations"`
	// CopyNS is copy() over the activations' 1M floats, per element: the
	// memory traffic every activation's forward pass has, its floor.
	CopyNS float64     `json:"copy_ns"`
	MLP    []MLPResult `json:"mlp_training,omitempty"`
	// RoundTripNS is a cache line's round trip between two threads
	// (RoundTrip), measured right before the MLP on more than one thread:
	// what that step's hand-offs cost at the time. Absent without one.
	RoundTripNS float64 `json:"core_round_trip_ns,omitzero"`
	// HandoffNS is the engine's own measure of its hand-offs, read right
	// after the MLP on more than one thread (kernels.Handoff): from a
	// loop's post to the helper's first take. Above 260 ns the engine
	// counts the cores as far apart (CoresFar), and a training step it
	// splits between them copies the next batch with stores that go
	// around the caches. Absent where the helper took too few loops to
	// say.
	HandoffNS   float64 `json:"helper_handoff_ns,omitzero"`
	CoresFar    bool    `json:"cores_far,omitzero"`
	InferenceNS float64 `json:"inference_ns,omitzero"` // one sample through 784-256-256-10

	// PlainGo is what other CPUs and the WebAssembly playground run: the
	// same figures with every kernel in plain Go, on one thread.
	PlainGo PlainGoReport `json:"plain_go,omitzero"`

	// Scaling is the MLP at other sizes (Options.Scaling only).
	Scaling []ScalingPoint `json:"mlp_scaling,omitempty"`
}

// PlainGoReport is the plain Go kernels' sgemm 1024³ on one thread, and the
// cost per element of a few activations.
type PlainGoReport struct {
	GEMMGFLOPS  float64     `json:"gemm_1024_gflops"`
	Activations []ActResult `json:"activations"`
}

// plainGoActs are the activations timed in plain Go: the cheapest, the
// exponential ones and gelu.
var plainGoActs = []string{"relu", "sigmoid", "tanh", "gelu"}

// PlainGo measures the plain Go kernels, switching the process's engine
// to them for its time (see the package's Concurrency note).
func PlainGo(opt Options) PlainGoReport {
	var r PlainGoReport
	kernels.WithPlainGo(func() {
		r.GEMMGFLOPS = gemm(0, 1, opt, rand.New(rand.NewPCG(1, 1))).GFLOPS // gemmShapes[0] is 1024³
		for _, name := range plainGoActs {
			r.Activations = append(r.Activations, timeActivation(name, act.MustNew(name), opt))
		}
	})
	return r
}

// GEMMResult is the throughput of one product shape.
type GEMMResult struct {
	Name    string  `json:"name"`
	M       int     `json:"m"`
	N       int     `json:"n"`
	K       int     `json:"k"`
	Threads int     `json:"threads"`
	GFLOPS  float64 `json:"gflops"`
}

// ActResult is the cost of one activation per element.
type ActResult struct {
	Name       string  `json:"name"`
	ForwardNS  float64 `json:"forward_ns"`
	BackwardNS float64 `json:"backward_ns"`
}

// MLPResult is the training throughput of 784-256-256-10 with batch 128 and
// SGD momentum.
type MLPResult struct {
	Threads       int     `json:"threads"`
	SamplesPerSec float64 `json:"samples_per_second"`
}

// Run measures everything opt asks for; progress, if set, hears the name of
// each part as it starts. An activation act.Parse does not take is an
// error, found before anything is measured; so is opt.Context being done,
// checked between figures (Run then returns its error and no report).
func Run(opt Options, progress func(string)) (Report, error) {
	acts, err := parseActs(opt.Acts)
	if err != nil {
		return Report{}, err
	}
	if progress == nil {
		progress = func(string) {}
	}
	r := Report{CPU: CPUFeatures(), Repeats: max(opt.Repeats, 1), RunMS: float64(opt.MinTime) / float64(time.Millisecond), Quick: opt.Quick}
	steps := runSteps(&r, opt, acts, progress)
	for _, step := range steps {
		if err := opt.stopped(); err != nil {
			return Report{}, err
		}
		step()
	}
	if err := opt.stopped(); err != nil {
		return Report{}, err
	}
	return r, nil
}

// runSteps lists the figures Run measures into r, in order, each step a
// second or two at most (GEMMs, Peaks and Scaling stop between their
// points themselves).
func runSteps(r *Report, opt Options, acts []act.Func, progress func(string)) []func() {
	var steps []func()
	if !opt.ActsOnly {
		steps = append(steps, func() { progress("gemm"); r.GEMM = GEMMs(opt) }, func() { r.Peak = Peaks(opt) })
	}
	steps = append(steps, func() { progress("activations") })
	for i, f := range acts {
		steps = append(steps, func() { r.Activations = append(r.Activations, timeActivation(opt.Acts[i], f, opt)) })
	}
	steps = append(steps, func() { r.CopyNS = Copy(opt) })
	if opt.ActsOnly {
		return steps
	}
	steps = append(steps, func() { progress("mlp") })
	for _, t := range opt.Threads {
		steps = append(steps, func() { mlpFigure(r, t, opt) })
	}
	steps = append(steps, func() { progress("inference"); r.InferenceNS = Inference(opt) },
		func() { progress("plain go"); r.PlainGo = PlainGo(opt) })
	if opt.Scaling {
		steps = append(steps, func() { progress("mlp scaling"); r.Scaling = Scaling(slices.Max(opt.Threads), opt) })
	}
	return steps
}

// mlpFigure measures the MLP's training on threads into r, and on more
// than one, the hand-offs' cost right before it and the engine's own
// measure of them in it.
func mlpFigure(r *Report, threads int, opt Options) {
	if threads > 1 {
		r.RoundTripNS = RoundTrip(opt)
	}
	r.MLP = append(r.MLP, MLPResult{Threads: threads, SamplesPerSec: MLPTraining(threads, opt)})
	if threads > 1 {
		q, far := kernels.Handoff()
		r.HandoffNS, r.CoresFar = float64(q.Nanoseconds()), far
	}
}

// CPUFeatures says which engine path runs here: the GEMM micro-kernel and
// whether the vector math is assembly.
func CPUFeatures() string {
	switch {
	case kernels.HasAVX512:
		return "gemm " + kernels.Kernel() + ", avx512 and avx2+fma vector math (assembly kernels)"
	case kernels.HasAVX2FMA:
		return "gemm " + kernels.Kernel() + ", avx2+fma vector math (assembly kernels)"
	}
	return "gemm " + kernels.Kernel() + " (pure Go kernels)"
}

// median times f, which does work units of work per call, over
// opt.Repeats runs of at least opt.MinTime each, and returns the median time
// per unit in nanoseconds.
func median(opt Options, units float64, f func()) float64 {
	f() // warm up: buffers, caches, worker threads
	per := make([]float64, max(opt.Repeats, 1))
	for r := range per {
		calls := 0
		start := clock.Now()
		for calls == 0 || clock.Since(start) < opt.MinTime {
			f()
			calls++
		}
		per[r] = float64(clock.Since(start).Nanoseconds()) / float64(calls) / units
	}
	slices.Sort(per)
	return per[len(per)/2]
}

// medianCall times 5·opt.Repeats single calls of f, which does work units
// of work per call, and returns the median time per unit in nanoseconds:
// the estimator bench/torch_baseline.py applies to PyTorch's activations
// (25 calls), so that a burst of load from other tenants weighs the same on
// both sides. An average over a run of calls counts every burst it spans.
func medianCall(opt Options, units float64, f func()) float64 {
	f() // warm up
	per := make([]float64, 5*max(opt.Repeats, 1))
	for r := range per {
		start := clock.Now()
		f()
		per[r] = float64(clock.Since(start).Nanoseconds()) / units
	}
	slices.Sort(per)
	return per[len(per)/2]
}

// gemmShapes are 1024³ and the three products of the MLP's first two layers
// with batch 128, plus its skinny output layer.
var gemmShapes = []struct {
	name           string
	m, n, k        int
	transA, transB bool
}{
	{"1024^3", 1024, 1024, 1024, false, true},
	{"forward 128x256x784", 128, 256, 784, false, true},
	{"input grad 128x784x256", 128, 784, 256, false, false},
	{"weight grad 256x784x128", 256, 784, 128, true, false},
	{"output 128x10x256", 128, 10, 256, false, true},
}

// GEMMs measures every shape at every thread count of opt, or those
// before opt.Context was done.
func GEMMs(opt Options) []GEMMResult {
	rng := rand.New(rand.NewPCG(1, 1))
	var out []GEMMResult
	for _, t := range opt.Threads {
		for i := range gemmShapes {
			if opt.stopped() != nil {
				return out
			}
			out = append(out, gemm(i, t, opt, rng))
		}
	}
	return out
}

// gemm measures the i-th of gemmShapes on the given threads.
func gemm(i, threads int, opt Options, rng *rand.Rand) GEMMResult {
	s := gemmShapes[i]
	o := kernels.Op{M: s.m, N: s.n, K: s.k, TransA: s.transA, TransB: s.transB, LDC: s.n,
		A: randoms(rng, s.m*s.k), B: randoms(rng, s.k*s.n), C: make([]float32, s.m*s.n)}
	o.LDA, o.LDB = s.k, s.n
	if s.transA {
		o.LDA = s.m
	}
	if s.transB {
		o.LDB = s.k
	}
	old, release := kernels.SetThreads(threads), kernels.KeepHelperAwake()
	ns := median(opt, 1, func() { kernels.Gemm(o) })
	release()
	kernels.SetThreads(old)
	return GEMMResult{Name: s.name, M: s.m, N: s.n, K: s.k, Threads: threads, GFLOPS: 2 * float64(s.m*s.n*s.k) / ns}
}

// PeakResult is the FMA peak of the machine on some threads: each busy
// with multiply-adds on registers, as wide as the micro-kernel's.
type PeakResult struct {
	Threads int     `json:"threads"`
	GFLOPS  float64 `json:"gflops"`
}

// Peaks measures the FMA peak on every thread count of opt (those before
// opt.Context was done), or nothing where the kernels are plain Go
// (kernels.PeakFMA).
func Peaks(opt Options) []PeakResult {
	var out []PeakResult
	for _, t := range opt.Threads {
		if opt.stopped() != nil {
			return out
		}
		if gf := Peak(t, opt); gf > 0 {
			out = append(out, PeakResult{Threads: t, GFLOPS: gf})
		}
	}
	return out
}

// Peak measures GFLOP/s of the given number of threads, each running
// kernels.PeakFMA at once on a thread of its own; 0 where there is no
// assembly to run. threads < 1 counts as 1.
func Peak(threads int, opt Options) float64 {
	threads = max(threads, 1)
	const rounds = 1 << 18 // about a millisecond
	flops := kernels.PeakFMA(rounds)
	if flops == 0 {
		return 0
	}
	ns := median(opt, 1, func() {
		var wg sync.WaitGroup
		for range threads {
			wg.Go(func() {
				runtime.LockOSThread() // a thread of its own for the whole call
				defer runtime.UnlockOSThread()
				kernels.PeakFMA(rounds)
			})
		}
		wg.Wait()
	})
	return float64(threads) * flops / ns
}

// Copy measures copy() of 1M floats, per element (medianCall), as
// Activation times a forward pass.
func Copy(opt Options) float64 {
	const n = 1 << 20
	x, y := make([]float32, n), make([]float32, n)
	for i := range x {
		x[i] = float32(i)
	}
	return medianCall(opt, n, func() { copy(y, x) })
}

// Activation measures f and f′ of one activation, a name or a spec as
// act.Parse takes it ("softplus(beta=2)"), over 1M inputs in [−8, 8]
// (medianCall).
func Activation(name string, opt Options) (ActResult, error) {
	f, err := act.Parse(name)
	if err != nil {
		return ActResult{}, err
	}
	return timeActivation(name, f, opt), nil
}

// parseActs parses each of names, as Activation does.
func parseActs(names []string) ([]act.Func, error) {
	acts := make([]act.Func, len(names))
	for i, name := range names {
		f, err := act.Parse(name)
		if err != nil {
			return nil, err
		}
		acts[i] = f
	}
	return acts, nil
}

// timeActivation is Activation of f, reported as name.
func timeActivation(name string, f act.Func, opt Options) ActResult {
	const n = 1 << 20
	rng := rand.New(rand.NewPCG(2, 2))
	x, y, dX, dOut := make([]float32, n), make([]float32, n), make([]float32, n), make([]float32, n)
	for i := range x {
		x[i], dOut[i] = float32(16*rng.Float64()-8), 1
	}
	f.Forward(y, x)
	return ActResult{
		Name:       name,
		ForwardNS:  medianCall(opt, n, func() { f.Forward(y, x) }),
		BackwardNS: medianCall(opt, n, func() { f.Backward(dX, dOut, x, y) }),
	}
}

// mlp builds the benchmark network: 784-256-256-10, ReLU.
func mlp(rng *rand.Rand) *nn.Sequential { return mlpWith(act.MustNew("relu"), rng) }

// mlpWith builds 784-256-256-10 with the given activation.
func mlpWith(f act.Func, rng *rand.Rand) *nn.Sequential {
	return nn.NewMLP(784, []int{256, 256}, 10, f, rng)
}

// MLPTraining measures training steps of the MLP on random MNIST-shaped data,
// batch 128, SGD momentum 0.9, on the given number of threads (as
// engine.SetThreads takes them: threads < 1 counts as 1).
func MLPTraining(threads int, opt Options) float64 {
	return mlpTraining(act.MustNew("relu"), threads, opt)
}

// StepShare is what one activation costs within a training step of the
// MLP (784-256-256-10, batch 128, SGD momentum, one thread): the step's
// time, and the time of the activation's forward and backward passes over
// the step's two hidden layers ([128, 256] each).
type StepShare struct {
	Name         string  `json:"name"`
	StepNS       float64 `json:"step_ns"`
	ActivationNS float64 `json:"activation_ns"`
}

// Share is the activation's part of the step, from 0 to 1.
func (s StepShare) Share() float64 { return s.ActivationNS / s.StepNS }

// ActivationShare measures the StepShare of name, a name or a spec as
// act.Parse takes it. The data are random pixels of MNIST's shape: no
// cost depends on their values.
func ActivationShare(name string, opt Options) (StepShare, error) {
	f, err := act.Parse(name)
	if err != nil {
		return StepShare{}, err
	}
	step := 1e9 * 128 / mlpTraining(f, 1, opt)
	const n = 128 * 256
	rng := rand.New(rand.NewPCG(6, 6))
	x, y, dX, dOut := make([]float32, n), make([]float32, n), make([]float32, n), make([]float32, n)
	for i := range x {
		x[i], dOut[i] = float32(8*rng.Float64()-4), float32(rng.NormFloat64())
	}
	both := median(opt, 1, func() {
		for range 2 { // the two hidden layers
			f.Forward(y, x)
			f.Backward(dX, dOut, x, y)
		}
	})
	return StepShare{Name: name, StepNS: step, ActivationNS: both}, nil
}

// mlpTraining measures samples per second of training steps of the MLP
// with the activation f.
func mlpTraining(f act.Func, threads int, opt Options) float64 {
	return trainingSpeed(mlpWith(f, rand.New(rand.NewPCG(3, 3))), 128, threads, opt)
}

// trainingSpeed measures samples per second of training steps of net (784
// inputs, 10 classes) on random MNIST-shaped data: no cost depends on the
// pixels' values.
func trainingSpeed(net *nn.Sequential, batch, threads int, opt Options) float64 {
	rng := rand.New(rand.NewPCG(3, 4))
	n := max(1024, 2*batch)
	ds := &data.Dataset{X: tensor.New(n, 784), Labels: make([]int, n), Classes: 10}
	for i := range ds.X.Data {
		ds.X.Data[i] = rng.Float32()
	}
	for i := range ds.Labels {
		ds.Labels[i] = rng.IntN(10)
	}
	tr := &train.Trainer{Net: net, Loss: loss.Softmax{}, Opt: &optim.SGD{LR: 0.01, Momentum: 0.9}, Batch: batch, StepInBackward: true} // as wiggle train
	rows, next := make([]int, batch), make([]int, batch)
	step := 0
	defer kernels.SetThreads(kernels.SetThreads(threads))
	defer kernels.KeepHelperAwake()()
	ns := median(opt, float64(batch), func() {
		for j := range rows {
			rows[j] = (step*batch + j) % ds.Len()
			next[j] = ((step+1)*batch + j) % ds.Len()
		}
		tr.Prefetch(ds, next) // as an epoch does: the helper gathers it during this step
		tr.Step(ds, rows)
		step++
	})
	return 1e9 / ns
}

// ScalingPoint is the training speed of an MNIST MLP of two hidden relu
// layers of Hidden units at one batch size (SGD momentum), and the useful
// work it does per second: 6·batch·Σ in·out multiply-adds' flops a step,
// less the first layer's input gradient, which training skips.
type ScalingPoint struct {
	Hidden        int     `json:"hidden"`
	Batch         int     `json:"batch"`
	Threads       int     `json:"threads"`
	SamplesPerSec float64 `json:"samples_per_second"`
	UsefulGFLOPS  float64 `json:"useful_gflops"`
}

// ScalingHidden and ScalingBatches are the grid Scaling measures.
var (
	ScalingHidden  = []int{256, 1024, 2048, 4096}
	ScalingBatches = []int{32, 128, 512}
)

// UsefulFlops is the flops of one sample's training step through
// 784-hidden-hidden-10.
func UsefulFlops(hidden int) float64 {
	h := float64(hidden)
	return 6*(784*h+h*h+10*h) - 2*784*h
}

// Scaling measures every point of the grid on the given threads, or those
// before opt.Context was done.
func Scaling(threads int, opt Options) []ScalingPoint {
	var out []ScalingPoint
	for _, h := range ScalingHidden {
		for _, b := range ScalingBatches {
			if opt.stopped() != nil {
				return out
			}
			net := nn.NewMLP(784, []int{h, h}, 10, act.MustNew("relu"), rand.New(rand.NewPCG(5, uint64(h))))
			sps := trainingSpeed(net, b, threads, opt)
			out = append(out, ScalingPoint{Hidden: h, Batch: b, Threads: threads, SamplesPerSec: sps, UsefulGFLOPS: sps * UsefulFlops(h) / 1e9})
		}
	}
	return out
}

// Inference measures one sample through the MLP.
func Inference(opt Options) float64 {
	rng := rand.New(rand.NewPCG(4, 4))
	net := mlp(rng)
	x := tensor.New(1, 784)
	for i := range x.Data {
		x.Data[i] = rng.Float32()
	}
	defer kernels.KeepHelperAwake()() // as a server with steady traffic would
	return median(opt, 1, func() { net.Forward(x, false) })
}

func randoms(rng *rand.Rand, n int) []float32 {
	s := make([]float32, n)
	for i := range s {
		s[i] = float32(rng.NormFloat64())
	}
	return s
}
