// Command ortgo sets wiggle's inference beside ONNX Runtime's, in one
// process, on the 784-256-256-10 ReLU network as `wiggle export` writes it:
// one row and 256 rows, on one and on two threads (wiggle's engine threads,
// ONNX Runtime's intra-op threads), alternating rounds, medians.
//
//	bench/onnx_compare.sh [ROUNDS]
//
// ONNX Runtime runs through github.com/yalue/onnxruntime_go, which calls
// its C API through cgo: one cgo call per run, well under a microsecond. The
// library is the one npm's onnxruntime-node@1.30.0 ships. This is a module
// of its own so that neither cgo nor onnxruntime_go is a dependency of
// wiggle.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"slices"
	"time"

	ort "github.com/yalue/onnxruntime_go"

	"github.com/wigglenn/wiggle/act"
	"github.com/wigglenn/wiggle/engine"
	"github.com/wigglenn/wiggle/model"
	"github.com/wigglenn/wiggle/modelio"
	"github.com/wigglenn/wiggle/modelio/onnx"
	"github.com/wigglenn/wiggle/nn"
	"github.com/wigglenn/wiggle/perf"
)

func main() {
	lib := flag.String("lib", "", "ONNX Runtime's shared library (libonnxruntime.so.1)")
	rounds := flag.Int("rounds", 3, "alternating rounds; the medians are reported")
	flag.Parse()
	if err := run(*lib, *rounds); err != nil {
		fmt.Fprintln(os.Stderr, "ortgo:", err)
		os.Exit(1)
	}
}

// setting is one measurement: rows per call on a number of threads.
type setting struct{ rows, threads int }

func run(lib string, rounds int) error {
	ort.SetSharedLibraryPath(lib)
	if err := ort.InitializeEnvironment(); err != nil {
		return err
	}
	defer ort.DestroyEnvironment()
	m := &modelio.Model{Net: nn.NewMLP(784, []int{256, 256}, 10, act.MustNew("relu"), rand.New(rand.NewPCG(14, 14))), Loss: "softmax"}
	var file bytes.Buffer
	if err := onnx.Write(&file, m, onnx.DefaultOpset); err != nil {
		return err
	}
	served, err := model.New(m)
	if err != nil {
		return err
	}
	settings := []setting{{1, 1}, {256, 1}, {1, 2}, {256, 2}}
	ours, theirs := map[setting][]float64{}, map[setting][]float64{}
	for r := range rounds {
		fmt.Fprintf(os.Stderr, "round %d of %d\n", r+1, rounds)
		for _, s := range settings {
			x := inputs(s.rows)
			o, err := newORT(file.Bytes(), x, s.threads)
			if err != nil {
				return err
			}
			if r == 0 {
				if err := sameOutputs(served, o, x); err != nil {
					return err
				}
			}
			theirs[s] = append(theirs[s], perCall(func() {
				if err := o.session.Run(); err != nil {
					panic(err)
				}
			}))
			o.destroy()
			previous := engine.SetThreads(s.threads)
			release := engine.KeepHelperAwake() // both keep their threads spinning
			ours[s] = append(ours[s], perCall(func() {
				if _, err := served.Predict(x); err != nil {
					panic(err)
				}
			}))
			release()
			engine.SetThreads(previous)
		}
	}
	fmt.Printf("CPU: %s\n%-34s %12s %12s %8s\n", perf.CPUFeatures(), "784-256-256-10, µs per call", "wiggle", "ONNX RT", "ratio")
	for _, s := range settings {
		w, o := median(ours[s]), median(theirs[s])
		fmt.Printf("%-34s %12.2f %12.2f %7.2fx\n", fmt.Sprintf("%d row(s), %d thread(s)", s.rows, s.threads), w, o, o/w)
	}
	fmt.Printf("ratio > 1: wiggle is faster. Medians of %d alternating rounds.\n", rounds)
	return nil
}

// inputs returns rows of random features, the rows of one array, as ONNX
// Runtime's input tensor holds them (wiggle reads such rows in place).
func inputs(rows int) [][]float32 {
	rng := rand.New(rand.NewPCG(uint64(rows), 1))
	all := make([]float32, rows*784)
	for i := range all {
		all[i] = rng.Float32()
	}
	x := make([][]float32, rows)
	for i := range x {
		x[i] = all[i*784 : (i+1)*784]
	}
	return x
}

// ortSession is an ONNX Runtime session bound to its input and output.
type ortSession struct {
	session *ort.AdvancedSession
	in, out *ort.Tensor[float32]
}

func newORT(file []byte, x [][]float32, threads int) (*ortSession, error) {
	opts, err := ort.NewSessionOptions()
	if err != nil {
		return nil, err
	}
	defer opts.Destroy()
	if err := opts.SetIntraOpNumThreads(threads); err != nil {
		return nil, err
	}
	if err := opts.SetInterOpNumThreads(1); err != nil {
		return nil, err
	}
	in, err := ort.NewTensor(ort.NewShape(int64(len(x)), 784), slices.Concat(x...))
	if err != nil {
		return nil, err
	}
	out, err := ort.NewEmptyTensor[float32](ort.NewShape(int64(len(x)), 10))
	if err != nil {
		return nil, err
	}
	s, err := ort.NewAdvancedSessionWithONNXData(file, []string{"input"}, []string{"output"}, []ort.Value{in}, []ort.Value{out}, opts)
	if err != nil {
		return nil, err
	}
	return &ortSession{session: s, in: in, out: out}, nil
}

func (o *ortSession) destroy() {
	o.session.Destroy()
	o.in.Destroy()
	o.out.Destroy()
}

// sameOutputs checks that both compute the same probabilities, so that
// the figures compare like with like.
func sameOutputs(served *model.Model, o *ortSession, x [][]float32) error {
	want, err := served.Predict(x)
	if err != nil {
		return err
	}
	if err := o.session.Run(); err != nil {
		return err
	}
	got := o.out.GetData()
	for i := range want {
		for j, w := range want[i] {
			if g := got[i*10+j]; math.Abs(float64(g-w)) > 1e-5 {
				return fmt.Errorf("row %d, class %d: ONNX Runtime %v, wiggle %v", i, j, g, w)
			}
		}
	}
	return nil
}

// perCall returns the median over 7 runs of 200 ms of f's mean time, in µs.
func perCall(f func()) float64 {
	f()
	var runs []float64
	for range 7 {
		calls, start := 0, time.Now()
		for time.Since(start) < 200*time.Millisecond {
			f()
			calls++
		}
		runs = append(runs, float64(time.Since(start).Nanoseconds())/1e3/float64(calls))
	}
	return median(runs)
}

func median(v []float64) float64 {
	s := slices.Sorted(slices.Values(v))
	return s[len(s)/2]
}
