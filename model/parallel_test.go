package model

import (
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/wigglenn/wiggle/act"
	"github.com/wigglenn/wiggle/engine"
	"github.com/wigglenn/wiggle/modelio"
	"github.com/wigglenn/wiggle/nn"
)

// TestTwoThreadsPredictAsOne splits calls between the caller and the
// engine's helper (two threads, the helper kept awake, as a benchmark or a
// busy service has it) and checks the answers against one thread's, bit
// for bit, for calls of many sizes, and that an error in the second half
// names its row; also with several callers at once (run it with -race).
func TestTwoThreadsPredictAsOne(t *testing.T) {
	f, raw := trained(t, "softmax")
	m := serveOrFail(t, f)
	defer engine.SetThreads(engine.SetThreads(1))
	want, err := m.Predict(raw)
	if err != nil {
		t.Fatal(err)
	}
	wantLabels, err := m.Classify(raw)
	if err != nil {
		t.Fatal(err)
	}
	engine.SetThreads(2)
	defer engine.KeepHelperAwake()()
	for _, n := range []int{minSplitRows - 1, minSplitRows, 33, 100, len(raw)} {
		got, labels, err := m.PredictClassify(raw[:n])
		if err != nil {
			t.Fatal(err)
		}
		if !slices.EqualFunc(got, want[:n], slices.Equal) || !slices.Equal(labels, wantLabels[:n]) {
			t.Errorf("%d rows on two threads differ from one thread's", n)
		}
	}
	var wg sync.WaitGroup // callers at once: one has the helper, the others go alone
	for g := range 4 {
		wg.Go(func() {
			got, err := m.Predict(raw[g:])
			if err != nil || !slices.EqualFunc(got, want[g:], slices.Equal) {
				t.Errorf("goroutine %d: its rows differ from one thread's (%v)", g, err)
			}
		})
	}
	wg.Wait()

	ones := nn.NewMLP(2, []int{4}, 3, act.MustNew("relu"), rand.New(rand.NewPCG(1, 1)))
	for _, p := range ones.Params() {
		for i := range p.Value {
			p.Value[i] = 1
		}
	}
	plain := serveOrFail(t, &modelio.Model{Net: ones, Loss: "softmax"})
	rows := make([][]float32, 100)
	for i := range rows {
		rows[i] = []float32{1, 2}
	}
	rows[90] = []float32{3e38, 3e38} // overflows the network, in the second half
	if _, err := plain.Predict(rows); err == nil || !strings.Contains(err.Error(), "row 90:") {
		t.Errorf("an overflow in row 90 on two threads: %v; want an error naming row 90", err)
	}
	rows[70] = []float32{1, float32(math.NaN())} // checked in the second half, before row 90 is run
	if _, err := plain.Predict(rows); err == nil || !strings.Contains(err.Error(), "row 70, column 1") {
		t.Errorf("NaN in row 70 on two threads: %v; want an error naming row 70, column 1", err)
	}
	rows[20] = []float32{1, 2, 3} // the first half's
	if _, err := plain.Predict(rows); err == nil || !strings.Contains(err.Error(), "row 20 has 3 values") {
		t.Errorf("a row 20 of 3 values on two threads: %v; want an error naming row 20", err)
	}
}
