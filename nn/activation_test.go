package nn

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/wigglenn/wiggle/act"
	"github.com/wigglenn/wiggle/engine"
	"github.com/wigglenn/wiggle/tensor"
)

// TestActivationHalvesKeepTheBits computes every activation's forward and
// backward passes over a batch whose length is no multiple of a vector
// (with NaN, ±Inf and ±0 among the inputs) in its two halves one after the
// other, as the caller and the helper compute them, and whole: the same
// bits. Then the layer on two threads, the helper awake, against the whole
// passes (run it with -race).
func TestActivationHalvesKeepTheBits(t *testing.T) {
	const rows, cols = 127, 259 // half of them, 16446, is no multiple of 8
	rng := rand.New(rand.NewPCG(3, 3))
	x, dOut := make([]float32, rows*cols), make([]float32, rows*cols)
	for i := range x {
		x[i], dOut[i] = float32(rng.NormFloat64()*3), float32(rng.NormFloat64())
	}
	special := []float32{float32(math.NaN()), float32(math.Inf(1)), float32(math.Inf(-1)), 0, float32(math.Copysign(0, -1))}
	for i, v := range special {
		x[63+i*4099] = v
	}
	for _, name := range act.Names() {
		f := act.MustNew(name)
		y, dX := make([]float32, len(x)), make([]float32, len(x))
		f.Forward(y, x)
		f.Backward(dX, dOut, x, y)

		var h actHalves
		h.f, h.out, h.x = f, make([]float32, len(x)), x
		h.Run(0)
		h.Run(1)
		same(t, name+" forward in halves", h.out, y)
		h.out, h.dOut, h.y = slices.Repeat([]float32{7}, len(x)), dOut, y // halves clear their own part
		h.Run(0)
		h.Run(1)
		same(t, name+" backward in halves", h.out, dX)

		func() {
			defer engine.SetThreads(engine.SetThreads(2))
			defer engine.KeepHelperAwake()()
			a := NewActivation(f)
			in := &tensor.Matrix{Rows: rows, Cols: cols, Data: x}
			same(t, name+" forward, two threads", a.Forward(in, true).Data, y)
			same(t, name+" backward, two threads", a.Backward(&tensor.Matrix{Rows: rows, Cols: cols, Data: dOut}).Data, dX)
		}()
	}
}

func same(t *testing.T, what string, got, want []float32) {
	t.Helper()
	if !slices.EqualFunc(got, want, func(a, b float32) bool { return math.Float32bits(a) == math.Float32bits(b) }) {
		t.Errorf("%s: other bits than the whole pass", what)
	}
}
