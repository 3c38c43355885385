package train

import (
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/wigglenn/wiggle/act"
	"github.com/wigglenn/wiggle/data"
	"github.com/wigglenn/wiggle/engine"
	"github.com/wigglenn/wiggle/loss"
	"github.com/wigglenn/wiggle/nn"
	"github.com/wigglenn/wiggle/optim"
	"github.com/wigglenn/wiggle/tensor"
)

// TestPrefetchKeepsTheBits trains two copies of a network on the same
// batches, one Step after another, the second naming each next batch with
// Prefetch, on one thread and on two with the helper awake: the same
// losses and weights bit for bit, and every Step after the first starts
// from the prefetched copy. A Prefetch of other rows, or of the same rows
// of another data set, is not used.
func TestPrefetchKeepsTheBits(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	ds := mnistShaped(300, rng)
	order := rng.Perm(ds.Len())
	var batches [][]int
	for lo := 0; lo < len(order); lo += 37 { // chunks of the gather left over; a last batch of 4
		batches = append(batches, order[lo:min(lo+37, len(order))])
	}
	for _, threads := range []int{1, 2} {
		defer engine.SetThreads(engine.SetThreads(threads))
		release := engine.KeepHelperAwake()
		newTrainer := func() *Trainer {
			net := nn.NewMLP(784, []int{64, 48}, 10, act.MustNew("relu"), rand.New(rand.NewPCG(8, 8)))
			return &Trainer{Net: net, Loss: loss.Softmax{}, Opt: &optim.SGD{LR: 0.05, Momentum: 0.9}, Batch: 37, StepInBackward: true}
		}
		plain, ahead := newTrainer(), newTrainer()
		for i, rows := range batches {
			if i+1 < len(batches) {
				if err := ahead.Prefetch(ds, batches[i+1]); err != nil {
					t.Fatal(err)
				}
			}
			want, _, err1 := plain.Step(ds, rows)
			got, _, err2 := ahead.Step(ds, rows)
			if err1 != nil || err2 != nil || math.Float64bits(got) != math.Float64bits(want) {
				t.Fatalf("%d threads, step %d: loss %v (%v) with Prefetch, %v (%v) without", threads, i, got, err2, want, err1)
			}
		}
		if ahead.ahead.taken != len(batches)-1 {
			t.Errorf("%d threads: %d of %d steps started from a prefetched batch", threads, ahead.ahead.taken, len(batches)-1)
		}
		other := mnistShaped(300, rng)
		for _, c := range []struct {
			what string
			ds   *data.Dataset
			rows []int
		}{{"other rows", ds, batches[1]}, {"another data set", other, batches[0]}} {
			if err := ahead.Prefetch(c.ds, c.rows); err != nil {
				t.Fatal(err)
			}
			taken := ahead.ahead.taken
			ahead.Step(ds, batches[0]) // gathers during this one
			plain.Step(ds, batches[0])
			ahead.Step(ds, batches[0]) // not what was gathered
			plain.Step(ds, batches[0])
			if ahead.ahead.taken != taken {
				t.Errorf("%d threads: a Prefetch of %s was used", threads, c.what)
			}
		}
		for i, p := range ahead.Net.Params() {
			if !slices.EqualFunc(p.Value, plain.Net.Params()[i].Value, func(a, b float32) bool { return math.Float32bits(a) == math.Float32bits(b) }) {
				t.Fatalf("%d threads: %s differs with Prefetch", threads, p.Name)
			}
		}
		release()
	}
}

// TestPrefetchChecksRows checks Prefetch's errors, and that rows the data
// set no longer holds when the next Step starts are not gathered (on the
// helper they would panic).
func TestPrefetchChecksRows(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 9))
	ds := mnistShaped(50, rng)
	tr := &Trainer{Net: nn.NewMLP(784, []int{8}, 10, act.MustNew("relu"), rng), Opt: &optim.SGD{LR: 0.1}, Batch: 4}
	for _, rows := range [][]int{{0, 50}, {-1}, {}} {
		if err := tr.Prefetch(ds, rows); err == nil {
			t.Errorf("Prefetch of rows %v of %d: no error", rows, ds.Len())
		}
	}
	if err := (&Trainer{Opt: &optim.SGD{LR: 0.1}, Batch: 4}).Prefetch(ds, []int{0}); err == nil || !strings.Contains(err.Error(), "Net") {
		t.Errorf("Prefetch without a network: %v; want an error naming Net", err)
	}
	defer engine.SetThreads(engine.SetThreads(2))
	defer engine.KeepHelperAwake()()
	if err := tr.Prefetch(ds, []int{40, 49}); err != nil {
		t.Fatal(err)
	}
	ds.X = &tensor.Matrix{Rows: 20, Cols: 784, Data: ds.X.Data[:20*784]} // the data set shrinks
	ds.Labels = ds.Labels[:20]
	if _, _, err := tr.Step(ds, []int{0, 1}); err != nil {
		t.Fatal(err)
	}
	if tr.ahead.readyDS != nil {
		t.Error("rows past the data set's end were gathered")
	}
}
