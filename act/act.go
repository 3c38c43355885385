// Package act is wiggle's catalogue of activation functions: the non-linearity
// each neuron applies to w·x + b, and the derivative that backpropagation needs.
//
// Every activation has PyTorch's name, parameters and defaults, and agrees with
// PyTorch 1.13 (float64 values) to float32 precision: |got − want| ≤ 1e-5 +
// 1.3e-6·|want| for f and f′ at every finite input, exactly for f at ±Inf,
// and for f at NaN but step's (f′ at NaN and step below). At kinks the
// derivative is PyTorch's (relu′(0) = 0, leaky_relu′(0) = negative_slope,
// hardtanh′ = 0 at its bounds, hardsigmoid′ 1/6 up to x's own bounds ±3),
// and −0 stays −0 where PyTorch keeps it (relu6, hardtanh).
//
// f′ at ±Inf is the limit (silu′(+Inf) = 1, softsign′(±Inf) = 0), where
// PyTorch's autograd gives NaN for silu, mish, gelu_tanh and softsign
// (∞·0 in its formula).
//
// celu with a negative alpha grows as e^(x/alpha), and the float32 rounding
// of x/alpha is an error of its own there, as in PyTorch's float32:
// 1.6e-6·|want| at x/alpha ≈ 21, both. Where e^(x/alpha) passes float32's
// range, a little before alpha·e^(x/alpha) would, both give −Inf.
//
// softplus takes beta and threshold in float32 and turns to x where
// float32(beta·x) passes the threshold, as PyTorch's float32 kernel does;
// the float64 Softplus takes them as given, so the two may part at the
// float32 inputs next to threshold/beta.
//
// Each function exists in two forms:
//
//   - a float64 scalar pair, exported (Sigmoid and SigmoidDeriv, ...), whose
//     doc comment gives the formula, range, derivative and special cases;
//   - a Func, made by New from the catalogue, that applies it over []float32
//     slices in the engine's row-major batches (Forward and Backward).
//
// The scalar forms compute in float64 and round once, so they are the
// reference that faster kernels are tested against.
//
// Catalogue lists every activation once, with its properties (range,
// zero-centred, saturating, monotonic, largest slope, flat region). The CLI
// and the docs read that table.
//
// NaN in gives NaN out, for f and for f′ alike: step(NaN) is NaN where
// PyTorch's heaviside gives 0 (NaN > 0 is false). PyTorch's f′ at NaN is
// whatever branch its comparison falls to (relu′(NaN) = 1, leaky_relu′(NaN)
// = negative_slope, hardsigmoid′(NaN) = 0; sigmoid′ and tanh′ NaN): wiggle
// keeps NaN, so that a gradient from a NaN pre-activation is never a
// number that hides it.
//
// Concurrency: a Func holds only its parameters, so one Func may be used
// by any number of goroutines at once; the scalar functions are pure.
package act

import "fmt"

// Func is an activation with its parameters bound, applied element-wise.
//
// Shapes: every slice has the same length n; the layout (a batch of rows) does
// not matter to an element-wise function. The catalogue's Funcs panic,
// naming it, on a slice shorter than x, before they write anything (a
// slice cut short within a longer array would otherwise be written past
// its end); nn's layers size them.
type Func interface {
	// Name is the catalogue name, e.g. "leaky_relu".
	Name() string
	// String is the name with every parameter, e.g.
	// "leaky_relu(negative_slope=0.01)"; Parse reads it back.
	String() string
	// Forward sets y[i] = f(x[i]).
	Forward(y, x []float32)
	// Backward accumulates dX[i] += f′(x[i])·dOut[i]. y must hold f(x) as
	// Forward computed it; an implementation may read x, y or both.
	Backward(dX, dOut, x, y []float32)
}

// ForwardsInPlace reports whether f.Forward(x, x), y over x itself, gives
// the y that Forward(y, x) gives: true of every activation of the
// catalogue (New, Parse), each computing y[i] from x[i] alone. A Func of
// another package may not say so: false.
func ForwardsInPlace(f Func) bool {
	switch f.(type) {
	case *elementwise, *slopeLearner:
		return true
	}
	return false
}

// SlopeLearner is implemented by activations with a learnable parameter:
// prelu's negative slope.
type SlopeLearner interface {
	Func
	// SlopeGrad returns ∂L/∂weight = Σ dOut[i]·∂f/∂weight(x[i]).
	SlopeGrad(dOut, x []float32) float64
}

// elementwise is a Func made of a float64 scalar pair, with optional
// float32 slice loops that give the same results faster.
type elementwise struct {
	name      string
	params    []paramValue
	f, df     func(x float64) float64
	forward   func(y, x []float32)
	backward  func(dX, dOut, x []float32)
	backwardY func(dX, dOut, y []float32)
}

func (e *elementwise) Name() string { return e.name }

func (e *elementwise) String() string { return formatSpec(e.name, e.params) }

// Forward sets y[i] = f(x[i]).
//
//	x, y: [n]
func (e *elementwise) Forward(y, x []float32) {
	mustCover("Forward", len(x), y)
	if e.forward != nil {
		e.forward(y, x)
		return
	}
	y = y[:len(x)]
	for i, v := range x {
		y[i] = float32(e.f(float64(v)))
	}
}

// Backward accumulates dX[i] += f′(x[i])·dOut[i].
//
//	dX, dOut, x, y: [n]; y = f(x), read by sigmoid's, tanh's and logsigmoid's.
func (e *elementwise) Backward(dX, dOut, x, y []float32) {
	mustCover("Backward", len(x), dX, dOut)
	switch {
	case e.backward != nil:
		e.backward(dX, dOut, x)
		return
	case e.backwardY != nil:
		mustCover("Backward", len(x), y)
		e.backwardY(dX, dOut, y[:len(x)])
		return
	}
	dX = dX[:len(x)]
	dOut = dOut[:len(x)]
	for i, v := range x {
		dX[i] += float32(e.df(float64(v)) * float64(dOut[i]))
	}
}

// slopeLearner adds prelu's slope gradient to an elementwise Func.
type slopeLearner struct {
	elementwise
	dWeight func(x float64) float64
}

// SlopeGrad returns Σ dOut[i]·∂f/∂weight(x[i]).
//
//	dOut, x: [n]
func (s *slopeLearner) SlopeGrad(dOut, x []float32) float64 {
	mustCover("SlopeGrad", len(x), dOut)
	dOut = dOut[:len(x)]
	var sum float64
	for i, v := range x {
		sum += float64(dOut[i]) * s.dWeight(float64(v))
	}
	return sum
}

// mustBeFunc panics, naming op, on a nil f: a method call on it would
// panic with a nil dereference that says nothing of the caller's mistake.
func mustBeFunc(op string, f Func) {
	if f == nil {
		panic("act: " + op + ": a nil Func; make one with act.Parse or act.New")
	}
}

// mustCover panics, naming op, where a slice of s holds fewer than n
// values.
func mustCover(op string, n int, s ...[]float32) {
	for _, v := range s {
		if len(v) < n {
			panic(fmt.Sprintf("act: %s: a slice of %d values for %d inputs", op, len(v), n))
		}
	}
}

// Eval returns f(x) and f′(x) for each x, in new slices. It panics on a
// nil f, saying so.
func Eval(f Func, x []float32) (y, dy []float32) {
	mustBeFunc("Eval", f)
	y, dy = make([]float32, len(x)), make([]float32, len(x))
	f.Forward(y, x)
	Derivative(dy, f, x, y)
	return y, dy
}

// Derivative sets d[i] = f′(x[i]), given y = f(x) from Forward: the
// Backward of a gradient of ones into zeros.
//
//	d, x, y: [n]
func Derivative(d []float32, f Func, x, y []float32) {
	mustBeFunc("Derivative", f)
	mustCover("Derivative", len(x), d)
	ones := make([]float32, len(x))
	for i := range ones {
		ones[i] = 1
	}
	clear(d[:len(x)])
	f.Backward(d, ones, x, y)
}
