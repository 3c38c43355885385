package onnx

import (
	"fmt"
	"math"
	"slices"

	"github.com/wigglenn/wiggle/internal/onnxpb"
)

// maxConsts bounds the constants an activation's parameters are drawn
// from, so that a hostile subgraph cannot make the search long.
const maxConsts = 8

// constants returns the distinct scalar constants and float attributes
// the nodes hold, other than 0 and 1 (at most maxConsts): where an
// activation's parameters are drawn from. Every constant input must be a
// single number: an activation acts the same on every unit.
func (r *graphReader) constants(nodes []*onnxpb.NodeProto, x string) ([]float64, error) {
	computed := map[string]bool{x: true}
	for _, n := range nodes {
		computed[n.GetOutput()[0]] = true
	}
	var consts []float64
	add := func(c float64) {
		if len(consts) < maxConsts && !slices.Contains(consts, c) && c != 0 && c != 1 && !math.IsNaN(c) {
			consts = append(consts, c)
		}
	}
	for _, n := range nodes {
		for _, name := range n.GetInput() {
			if name == "" || computed[name] {
				continue
			}
			c, err := r.scalar(n, name)
			if err != nil {
				return nil, err
			}
			add(c)
		}
		for _, a := range n.GetAttribute() {
			if a.GetType() == onnxpb.AttributeProto_FLOAT {
				add(float64(a.GetF()))
			}
		}
	}
	return consts, nil
}

// evaluate computes the element-wise nodes, in order, in float64 at each
// of points given as x, and returns the value out at each point. Each
// float32 value is held in float32's range, as a runtime's tensors hold
// it: beyond it, the infinity of its sign (an Exp that overflows float32
// makes the rest of the graph see +Inf). A value cast to double, and what
// is computed from it, is not.
func (r *graphReader) evaluate(nodes []*onnxpb.NodeProto, x, out string, points []float64) ([]float64, error) {
	vals := map[string][]float64{x: points}
	double := map[string]bool{}
	for _, n := range nodes {
		var in [][]float64
		for _, name := range n.GetInput() {
			switch v, ok := vals[name]; {
			case ok:
				in = append(in, v)
			case name == "":
				in = append(in, nil) // an optional input left out
			default:
				c, err := r.scalar(n, name)
				if err != nil {
					return nil, err
				}
				in = append(in, []float64{c})
			}
		}
		y, err := apply(n, in)
		if err != nil {
			return nil, err
		}
		if isDouble(n, double) {
			double[n.GetOutput()[0]] = true
		} else {
			for i, v := range y {
				y[i] = inFloat32Range(v)
			}
		}
		vals[n.GetOutput()[0]] = y
	}
	got := vals[out]
	switch len(got) {
	case len(points):
		return got, nil
	case 1: // a constant: broadcast, to compare point by point
		return slices.Repeat(got[:1], len(points)), nil
	}
	return nil, fmt.Errorf("the nodes after %q do not compute the value %q", x, out)
}

// isDouble tells whether node n's value is a double: a Cast to double, or
// a node (other than a Cast) that reads a double value.
func isDouble(n *onnxpb.NodeProto, double map[string]bool) bool {
	if n.GetOpType() == "Cast" {
		return onnxpb.TensorProto_DataType(intAttr(n, "to", int64(onnxpb.TensorProto_FLOAT))) == onnxpb.TensorProto_DOUBLE
	}
	return slices.ContainsFunc(n.GetInput(), func(in string) bool { return double[in] })
}

// inFloat32Range returns v, or the infinity of its sign where v is
// beyond float32's range.
func inFloat32Range(v float64) float64 {
	if math.Abs(v) > math.MaxFloat32 {
		return math.Copysign(math.Inf(1), v)
	}
	return v
}

// scalar returns the single number of the constant name that node n reads.
func (r *graphReader) scalar(n *onnxpb.NodeProto, name string) (float64, error) {
	if v := r.floats[name]; len(v) == 1 {
		return float64(v[0]), nil
	}
	if v := r.ints[name]; len(v) == 1 {
		return float64(v[0]), nil
	}
	return 0, fmt.Errorf("%s reads the constant %q, which is not a single number; wiggle reads activations that act alike on every unit", describe(n), name)
}

// apply computes one element-wise node on its inputs, each a value per
// sample point or a single number (nil for an optional input left out).
func apply(n *onnxpb.NodeProto, in [][]float64) ([]float64, error) {
	op := n.GetOpType()
	if len(in) == 0 || in[0] == nil || slices.ContainsFunc(in, func(v []float64) bool { return v != nil && len(v) == 0 }) {
		return nil, fmt.Errorf("%s has no input", describe(n))
	}
	if f, ok := unaryOps[op]; ok {
		return mapUnary(in[0], f), nil
	}
	if f := attrUnary(n); f != nil {
		return mapUnary(in[0], f), nil
	}
	if f, ok := binaryOps[op]; ok {
		if len(in) < 2 || in[1] == nil {
			return nil, fmt.Errorf("%s needs two inputs", describe(n))
		}
		y := in[0]
		for _, b := range in[1:] { // Min, Max and Sum take any number
			if b != nil {
				y = mapBinary(y, b, f)
			}
		}
		return y, nil
	}
	switch op {
	case "Mean":
		sum := in[0]
		for _, b := range in[1:] {
			if b == nil {
				return nil, fmt.Errorf("%s has an empty input", describe(n))
			}
			sum = mapBinary(sum, b, func(a, b float64) float64 { return a + b })
		}
		return mapUnary(sum, func(v float64) float64 { return v / float64(len(in)) }), nil
	case "Where":
		if len(in) != 3 || in[1] == nil || in[2] == nil {
			return nil, fmt.Errorf("%s needs three inputs", describe(n))
		}
		return where(in[0], in[1], in[2]), nil
	case "Clip":
		lo, hi := float64(floatAttr(n, "min", float32(math.Inf(-1)))), float64(floatAttr(n, "max", float32(math.Inf(1))))
		if len(in) > 1 && len(in[1]) == 1 {
			lo = in[1][0]
		}
		if len(in) > 2 && len(in[2]) == 1 {
			hi = in[2][0]
		}
		return mapUnary(in[0], func(v float64) float64 { return math.Min(math.Max(v, lo), hi) }), nil
	case "Gelu":
		return nil, fmt.Errorf("%s has approximate=%q; ONNX's Gelu takes \"none\" or \"tanh\"", describe(n), stringAttr(n, "approximate", "none"))
	}
	return nil, fmt.Errorf("%s: wiggle cannot compute this operator", describe(n))
}

// mapUnary applies f to each element.
func mapUnary(x []float64, f func(float64) float64) []float64 {
	y := make([]float64, len(x))
	for i, v := range x {
		y[i] = f(v)
	}
	return y
}

// mapBinary applies f element by element, a single number standing for
// every point.
func mapBinary(a, b []float64, f func(a, b float64) float64) []float64 {
	n := max(len(a), len(b))
	y := make([]float64, n)
	for i := range y {
		y[i] = f(a[min(i, len(a)-1)], b[min(i, len(b)-1)])
	}
	return y
}

// where takes a's element where cond's is not 0, else b's, a single
// number standing for every point. It selects: an infinity or NaN in the
// branch not taken does not reach the value.
func where(cond, a, b []float64) []float64 {
	n := max(len(cond), len(a), len(b))
	y := make([]float64, n)
	for i := range y {
		if cond[min(i, len(cond)-1)] != 0 {
			y[i] = a[min(i, len(a)-1)]
		} else {
			y[i] = b[min(i, len(b)-1)]
		}
	}
	return y
}

func boolf(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

func sigmoid(v float64) float64 { return 1 / (1 + math.Exp(-v)) }

func softplus(v float64) float64 {
	if v > 30 {
		return v + math.Log1p(math.Exp(-v))
	}
	return math.Log1p(math.Exp(v))
}

// unaryOps are the element-wise operators without attributes.
var unaryOps = map[string]func(float64) float64{
	"Identity":   func(v float64) float64 { return v },
	"Dropout":    func(v float64) float64 { return v }, // inference
	"Neg":        func(v float64) float64 { return -v },
	"Abs":        math.Abs,
	"Exp":        math.Exp,
	"Log":        math.Log,
	"Sqrt":       math.Sqrt,
	"Reciprocal": func(v float64) float64 { return 1 / v },
	"Tanh":       math.Tanh,
	"Sigmoid":    sigmoid,
	"Softplus":   softplus,
	"Softsign":   func(v float64) float64 { return v / (1 + math.Abs(v)) },
	"Erf":        math.Erf,
	"Relu":       func(v float64) float64 { return math.Max(v, 0) },
	"Sign":       func(v float64) float64 { return boolf(v > 0) - boolf(v < 0) },
	"Floor":      math.Floor,
	"Ceil":       math.Ceil,
	"Not":        func(v float64) float64 { return boolf(v == 0) },
	"HardSwish":  func(v float64) float64 { return v * math.Min(math.Max(v/6+0.5, 0), 1) },
	"Mish":       func(v float64) float64 { return v * math.Tanh(softplus(v)) }, // opset 18
}

// binaryOps are the element-wise operators of two inputs (or more, for
// Min, Max and Sum), broadcasting single numbers.
var binaryOps = map[string]func(a, b float64) float64{
	"Add":            func(a, b float64) float64 { return a + b },
	"Sum":            func(a, b float64) float64 { return a + b },
	"Sub":            func(a, b float64) float64 { return a - b },
	"Mul":            func(a, b float64) float64 { return a * b },
	"Div":            func(a, b float64) float64 { return a / b },
	"Pow":            math.Pow,
	"Min":            math.Min,
	"Max":            math.Max,
	"Greater":        func(a, b float64) float64 { return boolf(a > b) },
	"Less":           func(a, b float64) float64 { return boolf(a < b) },
	"GreaterOrEqual": func(a, b float64) float64 { return boolf(a >= b) },
	"LessOrEqual":    func(a, b float64) float64 { return boolf(a <= b) },
	"Equal":          func(a, b float64) float64 { return boolf(a == b) },
	"And":            func(a, b float64) float64 { return boolf(a != 0 && b != 0) },
	"Or":             func(a, b float64) float64 { return boolf(a != 0 || b != 0) },
}

// elementwise is the set of operators an activation subgraph may hold:
// those apply computes.
var elementwise = func() map[string]bool {
	ops := map[string]bool{"Mean": true, "Where": true, "Clip": true}
	for op := range unaryOps {
		ops[op] = true
	}
	for op := range binaryOps {
		ops[op] = true
	}
	for _, op := range attrOps {
		ops[op] = true
	}
	return ops
}()

// attrOps are the operators attrUnary computes.
var attrOps = []string{"LeakyRelu", "Elu", "Celu", "Selu", "HardSigmoid", "ThresholdedRelu", "Gelu", "Cast"}

// attrUnary returns the function of an element-wise operator with
// attributes (one of attrOps), or nil.
func attrUnary(n *onnxpb.NodeProto) func(float64) float64 {
	attr := func(name string, def float64) float64 { return float64(floatAttr(n, name, float32(def))) }
	switch n.GetOpType() {
	case "LeakyRelu":
		alpha := attr("alpha", 0.01)
		return func(v float64) float64 { return math.Max(v, 0) + alpha*math.Min(v, 0) }
	case "Elu":
		alpha := attr("alpha", 1)
		return func(v float64) float64 { return math.Max(v, 0) + alpha*math.Expm1(math.Min(v, 0)) }
	case "Celu": // e^(x/α) in float32, as runtimes compute it: with α < 0 it overflows before α·e^(x/α) would
		alpha := attr("alpha", 1)
		return func(v float64) float64 {
			return math.Max(v, 0) + alpha*inFloat32Range(math.Expm1(math.Min(v, 0)/alpha))
		}
	case "Selu":
		alpha, gamma := attr("alpha", 1.67326319217681884765625), attr("gamma", 1.05070102214813232421875)
		return func(v float64) float64 { return gamma * (math.Max(v, 0) + alpha*math.Expm1(math.Min(v, 0))) }
	case "HardSigmoid":
		alpha, beta := attr("alpha", 0.2), attr("beta", 0.5)
		return func(v float64) float64 { return math.Min(math.Max(alpha*v+beta, 0), 1) }
	case "ThresholdedRelu":
		alpha := attr("alpha", 1)
		return func(v float64) float64 { return boolf(v > alpha) * v }
	case "Gelu": // opset 20; an approximate it does not define computes nothing
		switch stringAttr(n, "approximate", "none") {
		case "tanh":
			return func(v float64) float64 { return v / 2 * (1 + math.Tanh(math.Sqrt(2/math.Pi)*(v+0.044715*v*v*v))) }
		case "none":
			return func(v float64) float64 { return v / 2 * (1 + math.Erf(v/math.Sqrt2)) }
		}
	case "Cast":
		switch onnxpb.TensorProto_DataType(intAttr(n, "to", int64(onnxpb.TensorProto_FLOAT))) {
		case onnxpb.TensorProto_FLOAT, onnxpb.TensorProto_DOUBLE: // narrower floats round: refused before (roundingCast)
			return func(v float64) float64 { return v }
		case onnxpb.TensorProto_BOOL:
			return func(v float64) float64 { return boolf(v != 0) }
		default:
			return math.Trunc
		}
	}
	return nil
}
