package onnx

import (
	"fmt"
	"math"
	"slices"
	"strconv"

	"github.com/wigglenn/wiggle/act"
	"github.com/wigglenn/wiggle/internal/onnxpb"
)

// An activation in an ONNX graph is one operator (Relu, LeakyRelu, ...) or
// a subgraph of element-wise ones: PyTorch 1.13 writes GELU as Div, Erf,
// Add, Mul, Mul and SiLU as Sigmoid and Mul. Rather than know each
// exporter's spelling, the reader computes the subgraph in float64 at
// samplePoints and finds the catalogue activation that agrees at all of
// them, trying every activation at its defaults, then with parameters
// drawn from the subgraph's constants and attributes.

// samplePoints are the inputs an activation subgraph is computed at: every
// multiple of 1/128 in [-12, 12], each exact in float32, 0 among them.
var samplePoints = func() []float64 {
	xs := make([]float64, 0, 24*128+1)
	for i := -12 * 128; i <= 12*128; i++ {
		xs = append(xs, float64(i)/128)
	}
	return xs
}()

// activation reads the element-wise nodes from x to the next layer (or the
// output) and returns the catalogue activation they compute and the value
// they end in.
func (r *graphReader) activation(x string) (act.Func, string, error) {
	nodes, out, err := r.region(x)
	if err != nil {
		return nil, "", err
	}
	got, consts, err := r.evaluate(nodes, x, out)
	if err != nil {
		return nil, "", err
	}
	var guess act.Func
	if len(nodes) == 1 {
		guess = r.operatorActivation(nodes[0])
	}
	if f := matchActivation(got, guess, consts); f != nil {
		return f, out, nil
	}
	var ops []string
	for _, n := range nodes[:min(len(nodes), 12)] {
		ops = append(ops, n.GetOpType())
	}
	if len(nodes) > 12 {
		ops = append(ops, "...")
	}
	return nil, "", fmt.Errorf("the nodes from %q to %q (%v) compute no activation of wiggle's catalogue (tried each with the parameters the nodes hold)", x, out, ops)
}

// elementwise is the set of operators an activation subgraph may hold.
var elementwise = map[string]bool{
	"Identity": true, "Dropout": true, "Neg": true, "Abs": true, "Exp": true, "Log": true, "Sqrt": true,
	"Reciprocal": true, "Tanh": true, "Sigmoid": true, "Softplus": true, "Softsign": true, "Erf": true,
	"Relu": true, "Sign": true, "Floor": true, "Ceil": true, "Not": true, "HardSwish": true,
	"LeakyRelu": true, "Elu": true, "Celu": true, "Selu": true, "HardSigmoid": true, "ThresholdedRelu": true,
	"Cast": true, "Clip": true,
	"Add": true, "Sub": true, "Mul": true, "Div": true, "Pow": true, "Min": true, "Max": true, "Sum": true, "Mean": true,
	"Greater": true, "Less": true, "GreaterOrEqual": true, "LessOrEqual": true, "Equal": true, "And": true, "Or": true,
	"Where": true,
}

// region returns the element-wise nodes that compute from x (and
// constants), in the graph's order, and the one value they end in: the
// one read by a node outside them, or the graph's output.
func (r *graphReader) region(x string) ([]*onnxpb.NodeProto, string, error) {
	known := map[string]bool{x: true}
	order := []string{x}
	var nodes []*onnxpb.NodeProto
	for _, n := range r.g.GetNode() {
		if n.GetOpType() == "Constant" || !slices.ContainsFunc(n.GetInput(), func(v string) bool { return known[v] }) {
			continue
		}
		if !elementwise[n.GetOpType()] {
			continue // a reader from outside; found below
		}
		for _, in := range n.GetInput() {
			if in != "" && !known[in] && !r.consts[in] {
				return nil, "", fmt.Errorf("%s mixes the layer's values with %q, which is neither a constant nor computed from them; wiggle reads chains of layers", describe(n), in)
			}
		}
		nodes = append(nodes, n)
		for _, o := range n.GetOutput() {
			known[o] = true
			order = append(order, o)
		}
	}
	if len(nodes) == 0 {
		n := r.users[x][0]
		return nil, "", fmt.Errorf("%s is not a layer wiggle reads: it reads Gemm, MatMul and Add, PRelu, Flatten, Dropout, a final Softmax, and element-wise activations", describe(n))
	}
	var exits []string
	for _, v := range order {
		leaves := v == r.output
		for _, u := range r.users[v] {
			leaves = leaves || !slices.Contains(nodes, u)
		}
		if leaves {
			exits = append(exits, v)
		}
	}
	if len(exits) != 1 || exits[0] == x {
		return nil, "", fmt.Errorf("the element-wise nodes after %q lead to %d values read elsewhere (%v); an activation leads to one", x, len(exits), exits)
	}
	return nodes, exits[0], nil
}

// operatorActivation returns the catalogue activation a single ONNX
// operator names, with its attributes, or nil. It is only a first guess:
// the caller checks it numerically.
func (r *graphReader) operatorActivation(n *onnxpb.NodeProto) act.Func {
	num := func(v float32) string { return strconv.FormatFloat(float64(v), 'g', -1, 32) }
	var f act.Func
	var err error
	switch n.GetOpType() {
	case "Identity", "Dropout":
		f, err = act.New("identity")
	case "Relu", "Sigmoid", "Tanh", "Softsign", "Selu", "HardSwish", "Softplus":
		f, err = act.New(map[string]string{"Relu": "relu", "Sigmoid": "sigmoid", "Tanh": "tanh", "Softsign": "softsign",
			"Selu": "selu", "HardSwish": "hardswish", "Softplus": "softplus"}[n.GetOpType()])
	case "LeakyRelu":
		f, err = act.New("leaky_relu", "negative_slope="+num(floatAttr(n, "alpha", 0.01)))
	case "Elu":
		f, err = act.New("elu", "alpha="+num(floatAttr(n, "alpha", 1)))
	case "Celu":
		f, err = act.New("celu", "alpha="+num(floatAttr(n, "alpha", 1)))
	case "HardSigmoid":
		f, err = act.New("hardsigmoid")
	case "Clip":
		lo, hi := r.clipBounds(n)
		switch {
		case lo == 0 && hi == 6:
			f, err = act.New("relu6")
		case lo == 0 && math.IsInf(float64(hi), 1):
			f, err = act.New("relu")
		default:
			f, err = act.New("hardtanh", "min_val="+num(lo), "max_val="+num(hi))
		}
	}
	if err != nil {
		return nil
	}
	return f
}

// clipBounds returns a Clip's bounds: its inputs from opset 11, its
// attributes before; ±Inf where there are none.
func (r *graphReader) clipBounds(n *onnxpb.NodeProto) (lo, hi float32) {
	lo, hi = floatAttr(n, "min", float32(math.Inf(-1))), floatAttr(n, "max", float32(math.Inf(1)))
	in := n.GetInput()
	if len(in) > 1 && len(r.floats[in[1]]) == 1 {
		lo = r.floats[in[1]][0]
	}
	if len(in) > 2 && len(r.floats[in[2]]) == 1 {
		hi = r.floats[in[2]][0]
	}
	return lo, hi
}

// matchActivation returns the first activation that agrees with got at
// every sample point: guess, then each of the catalogue at its defaults,
// then each with parameters drawn from consts. Nil if none does.
func matchActivation(got []float64, guess act.Func, consts []float64) act.Func {
	if guess != nil && agrees(guess, got) {
		return guess
	}
	for _, withParams := range []bool{false, true} {
		for _, info := range act.Catalogue() {
			for _, params := range paramChoices(info, consts, withParams) {
				f, err := act.New(info.Name, params...)
				if err == nil && agrees(f, got) {
					return f
				}
			}
		}
	}
	return nil
}

// paramChoices lists the parameter settings to try for an activation: none
// (its defaults), or each combination of its parameters' words and of
// numbers made from consts (c, −c, 1/c).
func paramChoices(info act.Info, consts []float64, withParams bool) [][]string {
	if !withParams {
		return [][]string{nil}
	}
	if len(info.Params) == 0 {
		return nil
	}
	combos := [][]string{nil}
	for _, p := range info.Params {
		values := p.Choices
		if values == nil {
			values = []string{p.Default}
			for _, c := range consts {
				for _, v := range []float64{c, -c, 1 / c} {
					if s := strconv.FormatFloat(v, 'g', -1, 32); !math.IsInf(v, 0) && !math.IsNaN(v) && !slices.Contains(values, s) {
						values = append(values, s)
					}
				}
			}
		}
		var next [][]string
		for _, combo := range combos {
			for _, v := range values {
				next = append(next, append(slices.Clone(combo), p.Name+"="+v))
			}
		}
		combos = next
	}
	return combos
}

// agrees tells whether f computes got at every sample point, within
// 1e-5 + 1e-5·|value|. It tries every probeStride-th point first, so that
// the many candidates that disagree cost little.
func agrees(f act.Func, got []float64) bool {
	probe := make([]float64, 0, len(got)/probeStride+1)
	for i := 0; i < len(got); i += probeStride {
		probe = append(probe, got[i])
	}
	return agreesAt(f, probePoints, probe) && agreesAt(f, samplePoints32, got)
}

// agreesAt tells whether f computes want at the points x.
func agreesAt(f act.Func, x []float32, want []float64) bool {
	y := make([]float32, len(x))
	f.Forward(y, x)
	for i, w := range want {
		if d := math.Abs(float64(y[i]) - w); !(d <= 1e-5+1e-5*math.Abs(w)) {
			return false
		}
	}
	return true
}

const probeStride = 37

// samplePoints32 and probePoints are samplePoints, and every
// probeStride-th of them, in float32.
var samplePoints32, probePoints = func() ([]float32, []float32) {
	all := make([]float32, len(samplePoints))
	var probe []float32
	for i, v := range samplePoints {
		all[i] = float32(v)
		if i%probeStride == 0 {
			probe = append(probe, all[i])
		}
	}
	return all, probe
}()
