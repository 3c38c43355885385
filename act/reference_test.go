package act

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"testing"

	"github.com/wigglenn/wiggle/internal/reftest/actref"
)

func float32s(v []float64) []float32 {
	out := make([]float32, len(v))
	for i, x := range v {
		out[i] = float32(x)
	}
	return out
}

// refFuncs returns the Funcs a reference entry describes: the name with its
// defaults, and the name with the reference's parameters spelled out.
func refFuncs(t *testing.T, fn actref.Function) []Func {
	t.Helper()
	funcs := []Func{MustNew(fn.Name)}
	var params []string
	for k, v := range fn.Params {
		params = append(params, fmt.Sprintf("%s=%v", k, v))
	}
	sort.Strings(params)
	name := fn.Name
	if name == "gelu_tanh" { // PyTorch spells it gelu(approximate="tanh")
		name = "gelu"
	}
	f, err := New(name, params...)
	if err != nil {
		t.Fatalf("New(%q, %q): %v", name, params, err)
	}
	return append(funcs, f)
}

// signed prints a float with the sign of its zero: -0 as "-0".
func signed(v float32) string {
	if v == 0 && math.Signbit(float64(v)) {
		return "-0"
	}
	return fmt.Sprint(v)
}

func TestMatchesPyTorch(t *testing.T) {
	ref := actref.Load(t, "testdata/activations.json")
	for _, fn := range ref.Functions {
		t.Run(fn.Name, func(t *testing.T) {
			x := float32s(actref.Floats(t, fn.X))
			wantY, wantDY := actref.Floats(t, fn.Y), actref.Floats(t, fn.DY) // hardswish′(3) PyTorch's own: see actref
			for _, f := range refFuncs(t, fn) {
				y, dy := Eval(f, x)
				for i := range x {
					if !actref.Close(float64(y[i]), wantY[i]) || wantY[i] == 0 && math.Signbit(wantY[i]) && !math.Signbit(float64(y[i])) { // PyTorch's −0 kept
						t.Errorf("%v at x=%v: f = %v, PyTorch %v", f, x[i], signed(y[i]), signed(float32(wantY[i])))
					}
					if !actref.Close(float64(dy[i]), wantDY[i]) {
						t.Errorf("%v at x=%v: f′ = %v, PyTorch %v", f, x[i], dy[i], wantDY[i])
					}
				}
				sx, sy := float32s(actref.Floats(t, fn.SpecialX)), actref.Floats(t, fn.SpecialY)
				got, _ := Eval(f, sx)
				for i := range sx {
					// Equal once the float64 reference is rounded to float32.
					if g, w := got[i], float32(sy[i]); !(g == w || g != g && w != w) || w == 0 && math.Signbit(float64(w)) && !math.Signbit(float64(g)) { // as above (the limits' zeros at ±Inf, written 0, are unsigned)
						t.Errorf("%v(%v) = %v, want %v", f, sx[i], signed(g), signed(w))
					}
				}
			}
		})
	}
}

func TestPReLUSlopeGradMatchesPyTorch(t *testing.T) {
	for _, fn := range actref.Load(t, "testdata/activations.json").Functions {
		if fn.Name != "prelu" {
			continue
		}
		x := float32s(actref.Floats(t, fn.X))
		want := actref.Floats(t, fn.DWeight)
		f := MustNew("prelu").(SlopeLearner)
		for i := range x {
			if got := f.SlopeGrad([]float32{1}, x[i:i+1]); !actref.Close(got, want[i]) {
				t.Errorf("prelu ∂f/∂weight at x=%v: %v, PyTorch %v", x[i], got, want[i])
			}
		}
		return
	}
	t.Fatal("no prelu in the reference")
}

// TestSoftplusJumpsWherePyTorchDoes: with a β and threshold that float32
// does not hold exactly, softplus turns to x at the float32 input where
// PyTorch's float32 kernel does. The points are the last on the log
// branch and the first on the linear one, and PyTorch's values and
// gradients there, from torch.nn.functional.softplus on float32 tensors
// (Debian's PyTorch 1.13).
func TestSoftplusJumpsWherePyTorchDoes(t *testing.T) {
	for _, c := range []struct {
		spec       string
		logX, logY float32 // the last input on the log branch, PyTorch's value there
		logGrad    float32
		linearX    float32 // the first input on the linear branch: the value x, the gradient 1
	}{
		{"softplus(beta=0.1273, threshold=7.76)", 60.958370208740234, 60.96171951293945, 0.9995737075805664, 60.9583740234375},
		{"softplus(beta=0.5717, threshold=2.26)", 3.953122615814209, 4.126739978790283, 0.9055096507072449, 3.953122854232788},
		{"softplus(beta=-0.5717, threshold=2.26)", -3.953122615814209, -4.126739978790283, 0.9055096507072449, -3.953122854232788},
		{"softplus(beta=0.128, threshold=2.04)", 15.937499046325684, 16.89252281188965, 0.8849332928657532, 15.9375},
	} {
		f, err := Parse(c.spec)
		if err != nil {
			t.Fatal(err)
		}
		x := []float32{c.logX, c.linearX}
		y, dX := make([]float32, 2), make([]float32, 2)
		f.Forward(y, x)
		f.Backward(dX, []float32{1, 1}, x, y)
		if !actref.Close(float64(y[0]), float64(c.logY)) || !actref.Close(float64(dX[0]), float64(c.logGrad)) {
			t.Errorf("%s at %v: %v and gradient %v; PyTorch %v and %v (the log branch)", c.spec, c.logX, y[0], dX[0], c.logY, c.logGrad)
		}
		if y[1] != c.linearX || dX[1] != 1 {
			t.Errorf("%s at %v: %v and gradient %v; PyTorch %v and 1 (the linear branch)", c.spec, c.linearX, y[1], dX[1], c.linearX)
		}
	}
}

func TestSoftmaxMatchesPyTorch(t *testing.T) {
	for _, row := range actref.Load(t, "testdata/activations.json").Softmax {
		x := float32s(actref.Floats(t, row.Logits))
		n := len(x)
		y, logY := make([]float32, n), make([]float32, n)
		Softmax(y, x, n)
		LogSoftmax(logY, x, n)
		// Cross-entropy's gradient is log_softmax's backward of −onehot.
		dOut, dX := make([]float32, n), make([]float32, n)
		dOut[row.Target] = -1
		LogSoftmaxBackward(dX, dOut, logY, n)
		for name, pair := range map[string]struct {
			got  []float32
			want []string
		}{"softmax": {y, row.Softmax}, "log_softmax": {logY, row.LogSoftmax}, "dlogits": {dX, row.Dlogits}} {
			want := actref.Floats(t, pair.want)
			for j := range want {
				if !actref.Close(float64(pair.got[j]), want[j]) {
					t.Errorf("%s(%v)[%d] = %v, PyTorch %v", name, row.Logits, j, pair.got[j], want[j])
				}
			}
		}
	}
}

// TestSoftmaxBackwardFiniteDifference checks SoftmaxBackward against central
// differences of Σ dOut·softmax(x) on random rows.
func TestSoftmaxBackwardFiniteDifference(t *testing.T) {
	x := []float32{0.5, -1.25, 2, 0.75, 0.1, -0.3, 1.5, -2}
	dOut := []float32{0.3, -0.7, 0.2, 1.1, -0.4, 0.9, -1.2, 0.05}
	const cols = 4
	y := make([]float32, len(x))
	Softmax(y, x, cols)
	dX := make([]float32, len(x))
	SoftmaxBackward(dX, dOut, y, cols)
	objective := func(v []float32) float64 {
		s := make([]float32, len(v))
		Softmax(s, v, cols)
		var sum float64
		for i := range s {
			sum += float64(dOut[i]) * float64(s[i])
		}
		return sum
	}
	const h = 1e-3
	for i := range x {
		up, down := slices.Clone(x), slices.Clone(x)
		up[i] += h
		down[i] -= h
		if numeric := (objective(up) - objective(down)) / (2 * h); math.Abs(float64(dX[i])-numeric) > 1e-4 {
			t.Errorf("∂/∂x[%d]: backward %v, finite difference %v", i, dX[i], numeric)
		}
	}
}
