package train

import (
	"context"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/wigglenn/wiggle/act"
	"github.com/wigglenn/wiggle/data"
	"github.com/wigglenn/wiggle/engine"
	"github.com/wigglenn/wiggle/internal/kernels"
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
		// Rows gathered, then trained on twice: the second Step gathers its
		// own (the buffer it started from is the next gather's now); a
		// Prefetch of the very rows of the next Step gathers nothing
		// during it.
		if err := ahead.Prefetch(ds, batches[2]); err != nil {
			t.Fatal(err)
		}
		for _, rows := range [][]int{batches[1], batches[2], batches[2]} {
			ahead.Step(ds, rows)
			plain.Step(ds, rows)
		}
		if err := ahead.Prefetch(ds, batches[3]); err != nil {
			t.Fatal(err)
		}
		ahead.Step(ds, batches[3])
		plain.Step(ds, batches[3])
		if ahead.ahead.readyDS != nil {
			t.Errorf("%d threads: a Step on the rows Prefetch named gathered them again for the next", threads)
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

// TestPrefetchRegression trains on a regression set, on two threads, by
// Epoch, which prefetches each batch (no labels to gather): no panic, on
// either thread, and the bits of one thread. A set with stray Labels
// beside its Values (shorter than its rows) is refused, as Dataset.Check
// refuses it, before any batch is gathered.
func TestPrefetchRegression(t *testing.T) {
	rng := rand.New(rand.NewPCG(10, 10))
	ds := mnistShaped(1024, rng)
	ds.Values, ds.Classes, ds.Labels = tensor.New(ds.Len(), 3), 0, nil
	for i := range ds.Values.Data {
		ds.Values.Data[i] = float32(rng.NormFloat64())
	}
	newTrainer := func() *Trainer {
		net := nn.NewMLP(784, []int{32}, 3, act.MustNew("tanh"), rand.New(rand.NewPCG(11, 11)))
		return &Trainer{Net: net, Loss: loss.MSE{}, Opt: &optim.SGD{LR: 0.01}, Batch: 128}
	}
	var nets []*nn.Sequential
	for _, threads := range []int{1, 2} {
		old := engine.SetThreads(threads)
		tr := newTrainer()
		_, acc, err := tr.Epoch(context.Background(), ds)
		engine.SetThreads(old)
		if err != nil || acc != 0 {
			t.Fatalf("an epoch of regression on %d threads: accuracy %v, %v", threads, acc, err)
		}
		nets = append(nets, tr.Net)
	}
	for i, p := range nets[1].Params() {
		if !slices.Equal(p.Value, nets[0].Params()[i].Value) {
			t.Fatalf("%s differs on two threads", p.Name)
		}
	}
	stray := *ds
	stray.Labels = make([]int, 64)
	const refusal = "both class labels and target values"
	if _, _, err := newTrainer().Epoch(context.Background(), &stray); err == nil || !strings.Contains(err.Error(), refusal) {
		t.Errorf("Epoch with stray labels beside the values: %v", err)
	}
	if _, _, err := newTrainer().Step(&stray, []int{0, 1}); err == nil || !strings.Contains(err.Error(), refusal) {
		t.Errorf("Step with stray labels beside the values: %v", err)
	}
}

// TestEpochCancelledForgetsTheData cancels an epoch after its first step,
// when the second batch has been gathered: the Trainer keeps nothing of
// the data set.
func TestEpochCancelledForgetsTheData(t *testing.T) {
	rng := rand.New(rand.NewPCG(12, 12))
	ds := mnistShaped(256, rng)
	tr := &Trainer{Net: nn.NewMLP(784, []int{16}, 10, act.MustNew("relu"), rng), Opt: &optim.SGD{LR: 0.1}, Batch: 32}
	ctx, cancel := context.WithCancel(context.Background())
	tr.reportRows = func(int) { cancel() }
	if _, _, err := tr.Epoch(ctx, ds); err == nil {
		t.Fatal("a cancelled epoch: no error")
	}
	if tr.ahead == nil || tr.ahead.readyDS != nil || tr.ahead.askedDS != nil {
		t.Errorf("after a cancelled epoch the Trainer still holds its data set: %+v", tr.ahead)
	}
}

// TestChunkRowsCountable checks that a gather of any size goes in no more
// chunks than a Background counts, and small ones in chunks of
// prefetchChunk rows.
func TestChunkRowsCountable(t *testing.T) {
	for _, n := range []int{1, 8, 128, 65535 * 8, 65535*8 + 1, maxPrefetchChunks * prefetchChunk, math.MaxInt / 2} {
		c := chunkRows(n)
		if chunks := (n + c - 1) / c; chunks > maxPrefetchChunks || uint64(chunks) > kernels.MaxBackgroundChunks {
			t.Errorf("%d rows: %d chunks of %d", n, chunks, c)
		}
		if n <= 128 && c != prefetchChunk {
			t.Errorf("%d rows: chunks of %d, want %d", n, c, prefetchChunk)
		}
	}
}

// TestGatherCopiesRowsOfALargeSet gathers batches from sets large enough
// for copyRows to fetch their rows ahead (fetchesRows), classification
// and regression, directly and through Prefetch's chunks, on one thread
// and on two: every row, label and target value as the set holds it.
func TestGatherCopiesRowsOfALargeSet(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 5))
	rows := minFetchedBytes/(4*784) + 1
	classes := mnistShaped(rows, rng)
	values := &data.Dataset{X: classes.X, Values: tensor.New(rows, 3)}
	for i := range values.Values.Data {
		values.Values.Data[i] = rng.Float32()
	}
	small := mnistShaped(20, rng)
	if !fetchesRows(classes) || fetchesRows(small) {
		t.Fatalf("fetchesRows: %v for %d rows of 784, %v for 20: want true, false", fetchesRows(classes), rows, fetchesRows(small))
	}
	for _, threads := range []int{1, 2} {
		defer engine.SetThreads(engine.SetThreads(threads))
		release := engine.KeepHelperAwake()
		for _, c := range []struct {
			ds      *data.Dataset
			outputs int
			loss    loss.Loss
		}{{classes, 10, loss.Softmax{}}, {values, 3, loss.MSE{}}} {
			ds := c.ds
			var copier rowCopy
			batch := rng.Perm(rows)[:131]
			got := gather(nil, ds, batch, &copier)
			p := &prefetch{}
			net := nn.NewMLP(784, []int{4}, c.outputs, act.MustNew("relu"), rng)
			tr := &Trainer{Net: net, Loss: c.loss, Batch: len(batch), ahead: p}
			tr.askAhead(ds, batch)
			if !p.start(tr) {
				t.Fatal("the prefetch did not start")
			}
			p.bg.Wait()
			for _, b := range []*data.Dataset{got, p.batch} {
				for i, r := range batch {
					if !slices.Equal(b.X.Row(i), ds.X.Row(r)) {
						t.Fatalf("%d threads: row %d of the batch is not row %d of the set", threads, i, r)
					}
					if ds.Values != nil && !slices.Equal(b.Values.Row(i), ds.Values.Row(r)) {
						t.Fatalf("%d threads: the target values of batch row %d are not row %d's", threads, i, r)
					}
					if ds.Values == nil && b.Labels[i] != ds.Labels[r] {
						t.Fatalf("%d threads: the label of batch row %d is not row %d's", threads, i, r)
					}
				}
			}
		}
		release()
	}
}

// TestCopyRowsAroundTheCaches: copyRows with its stores around the caches
// (stream, as kernels.StreamStores asks) copies the same bits as without,
// rows of 784 and of 37 features (whose rows start at every alignment
// within a cache line), from a set small and one large enough to fetch
// its rows ahead, NaN and −0 among the values.
func TestCopyRowsAroundTheCaches(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 9))
	for _, shape := range [][2]int{{20, 784}, {minFetchedBytes/(4*784) + 1, 784}, {300, 37}} {
		ds := &data.Dataset{X: tensor.New(shape[0], shape[1]), Labels: make([]int, shape[0])}
		for i := range ds.X.Data {
			ds.X.Data[i] = float32(rng.NormFloat64())
		}
		ds.X.Data[5], ds.X.Data[6] = float32(math.NaN()), float32(math.Copysign(0, -1))
		rows := rng.Perm(shape[0])[:17]
		rows[3] = 0 // the row with NaN and −0
		want := sizeBatch(nil, ds, len(rows))
		copyRows(want, ds, rows, 0, len(rows), false)
		got := sizeBatch(nil, ds, len(rows))
		copyRows(got, ds, rows, 0, len(rows), true)
		for i := range want.X.Data {
			if math.Float32bits(got.X.Data[i]) != math.Float32bits(want.X.Data[i]) {
				t.Fatalf("%d rows of %d: element %d streamed as %v, copied as %v", shape[0], shape[1], i, got.X.Data[i], want.X.Data[i])
			}
		}
		if !slices.Equal(got.Labels, want.Labels) {
			t.Fatalf("%d rows of %d: the labels differ", shape[0], shape[1])
		}
	}
}
