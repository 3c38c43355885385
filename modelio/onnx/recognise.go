package onnx

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/wigglenn/wiggle/act"
	"github.com/wigglenn/wiggle/internal/onnxpb"
	"github.com/wigglenn/wiggle/internal/quote"
)

// An activation in an ONNX graph is one operator (Relu, LeakyRelu, ...) or
// a subgraph of element-wise ones: PyTorch 1.13 writes GELU as Div, Erf,
// Add, Mul, Mul and SiLU as Sigmoid and Mul. Rather than know each
// exporter's spelling, the reader computes the subgraph in float64 at
// samplePoints (and further points, below) and finds the catalogue
// activation that agrees at all of them, trying every activation at its
// defaults, then with parameters drawn from the subgraph's constants and
// attributes. Between two layers there may be several activations in a
// row (Tanh then Relu): when the whole does not match, it is cut into
// pieces that do.

// Limits on what a region of element-wise nodes may hold, so that a
// hostile file cannot make the reading long or large.
const (
	maxRegion      = 48   // nodes between two layers
	maxInputs      = 8    // inputs of one element-wise node
	maxRecognition = 4096 // subgraphs matched to the catalogue, in a file (each up to a few milliseconds)
)

// errTooManyTries is the error of a file whose activations take more than
// maxRecognition tries.
var errTooManyTries = fmt.Errorf("the graph's activations take more than %d tries to recognise; wiggle reads simpler ones", maxRecognition)

// samplePoints are the inputs every activation subgraph is computed at:
// each multiple of 1/128 in [-12, 12], exact in float32, 0 among them,
// and offGrid's points within it.
var samplePoints = func() []float64 {
	xs := make([]float64, 0, 24*128+1+offGrid)
	for i := -12 * 128; i <= 12*128; i++ {
		xs = append(xs, float64(i)/128)
	}
	for _, x := range offGridPoints() {
		if math.Abs(x) <= 12 {
			xs = append(xs, x)
		}
	}
	return xs
}()

// offGrid is how many points lie off the 1/128 grid, spread over [-64,
// 64], those within [-12, 12] sample points and the rest far points (their
// sizes, each either way): a subgraph that rounds its input
// (Floor(1024·x)/1024 is x at every multiple of 1/128) or changes it only
// between 12 and 16 (a Where over a range no grid point or constant names)
// would pass for another function on the grid alone.
const offGrid = 512

// offGridPoints are offGrid points of [-64, 64] at the fractional parts of
// k·φ (φ the golden ratio), which spread evenly and fall on no power of
// two's grid, each rounded to float32.
func offGridPoints() []float64 {
	phi := (1 + math.Sqrt(5)) / 2
	xs := make([]float64, offGrid)
	for k := range xs {
		_, frac := math.Modf(float64(k+1) * phi)
		xs[k] = float64(float32(128*frac - 64))
	}
	return xs
}

// farPoints are checked too, where the subgraph's value is finite: a
// function may part from another only far out (Clip(0, 20) from Relu).
var farPoints = func() []float64 {
	xs := []float64{16, 20, 24, 32, 48, 64, 100, 1e3, 1e4, 1e6}
	for _, x := range offGridPoints() {
		if math.Abs(x) > 12 {
			xs = append(xs, math.Abs(x))
		}
	}
	return xs
}()

// activations reads the element-wise nodes from x to the next layer (or
// the output) and returns the catalogue activations they compute, in
// order, and the value they end in.
func (r *graphReader) activations(x string) ([]act.Func, string, error) {
	nodes, out, err := r.region(x)
	if err != nil {
		return nil, "", err
	}
	fs, err := r.listed(nodes, x, out)
	if fs == nil && err == nil {
		fs, err = r.split(nodes, x, out, 0, map[int]bool{})
	}
	if err != nil {
		return nil, "", err
	}
	if fs == nil {
		var ops []string
		for _, n := range nodes[:min(len(nodes), 12)] {
			ops = append(ops, opType(n))
		}
		if len(nodes) > 12 {
			ops = append(ops, "…")
		}
		if len(nodes) == 1 {
			return nil, "", fmt.Errorf("%s computes no activation of wiggle's catalogue (tried each with the parameters the node holds)", describe(nodes[0]))
		}
		return nil, "", fmt.Errorf("the nodes from %s to the one that makes %s (%s) compute no activation of wiggle's catalogue, nor several in a row (tried each with the parameters the nodes hold)",
			describe(nodes[0]), quote.Short(out), strings.Join(ops, ", "))
	}
	return fs, out, nil
}

// listed returns the activations a file of wiggle's own lists for nodes
// (r.hints, by the values they end in), cut where the list says each ends,
// when each piece computes what the list says; nil otherwise (another
// writer's file, or a list that does not fit the graph), for split to read
// as any file.
func (r *graphReader) listed(nodes []*onnxpb.NodeProto, x, out string) ([]act.Func, error) {
	var fs []act.Func
	start, in := 0, x
	for i, n := range nodes {
		v := n.GetOutput()[0]
		f, ok := r.hints[v]
		if !ok || v != out && !closedCut(nodes[start:], i-start, in) {
			continue
		}
		agrees, err := r.computes(nodes[start:i+1], in, v, f)
		if errors.Is(err, errTooManyTries) {
			return nil, err
		}
		if err != nil || !agrees { // a list that does not fit the graph (an error here would be split's too): read it as any file
			return nil, nil
		}
		fs, start, in = append(fs, f), i+1, v
	}
	if rest := nodes[start:]; len(rest) == 1 && rest[0].GetOpType() == "Identity" && out == r.output {
		start++ // Write's Identity to "logits", which is no layer (as graphReader.layer reads it)
	}
	if start < len(nodes) {
		return nil, nil
	}
	return fs, nil
}

// split returns the activations that nodes compute from x to out: one, or
// else a first one up to a cut and the rest after it. nil if there are
// none; failed remembers the starts (offset into the region) that led
// nowhere, so that no piece is tried twice.
func (r *graphReader) split(nodes []*onnxpb.NodeProto, x, out string, offset int, failed map[int]bool) ([]act.Func, error) {
	if failed[offset] {
		return nil, nil
	}
	f, err := r.recognise(nodes, x, out)
	if f != nil || err != nil {
		return []act.Func{f}, err
	}
	for i := range len(nodes) - 1 {
		v := nodes[i].GetOutput()[0]
		if !closedCut(nodes, i, x) {
			continue
		}
		first, err := r.recognise(nodes[:i+1], x, v)
		if err != nil {
			return nil, err
		}
		if first == nil {
			continue
		}
		rest, err := r.split(nodes[i+1:], v, out, offset+i+1, failed)
		if err != nil {
			return nil, err
		}
		if rest != nil {
			return append([]act.Func{first}, rest...), nil
		}
	}
	failed[offset] = true
	return nil, nil
}

// closedCut tells whether nodes[:i+1] reach the rest only through the
// output of nodes[i]: x and their other values are read by none after.
func closedCut(nodes []*onnxpb.NodeProto, i int, x string) bool {
	inside := map[string]bool{x: true}
	for _, n := range nodes[:i] {
		inside[n.GetOutput()[0]] = true
	}
	for _, n := range nodes[i+1:] {
		for _, in := range n.GetInput() {
			if inside[in] {
				return false
			}
		}
	}
	return true
}

// recognise returns the catalogue activation that nodes compute from x to
// out, or nil; an error if they cannot be computed.
func (r *graphReader) recognise(nodes []*onnxpb.NodeProto, x, out string) (act.Func, error) {
	c, consts, err := r.compute(nodes, x, out)
	if err != nil {
		return nil, err
	}
	var guess act.Func
	if len(nodes) == 1 {
		guess = r.operatorActivation(nodes[0])
	}
	return matchActivation(c, consts, guess), nil
}

// computes tells whether nodes compute f from x to out, as recognise
// would find it.
func (r *graphReader) computes(nodes []*onnxpb.NodeProto, x, out string, f act.Func) (bool, error) {
	c, _, err := r.compute(nodes, x, out)
	if err != nil {
		return false, err
	}
	c.nearJumps = true
	return c.agrees(f), nil
}

// compute computes nodes from x to out at the points their constants call
// for (pointsFor), one of the file's tries (maxRecognition), and returns
// the values to compare candidates with, and the constants.
func (r *graphReader) compute(nodes []*onnxpb.NodeProto, x, out string) (*comparison, []float64, error) {
	if r.recognitions++; r.recognitions > maxRecognition {
		return nil, nil, errTooManyTries
	}
	consts, err := r.constants(nodes, x)
	if err != nil {
		return nil, nil, err
	}
	points, sample, fromConsts := pointsFor(consts)
	got, err := r.evaluate(nodes, x, out, points)
	if err != nil {
		return nil, nil, err
	}
	return newComparison(points, got, sample, fromConsts), consts, nil
}

// pointsFor returns the points to compute a region at: samplePoints, then
// farPoints, then the points about the constants, where kinks and jumps
// lie: each c, c ± 1/128 and c/2 (between c and 0, where there may be no
// other point), each ratio r of two constants or of 1 and a constant
// (softplus jumps at threshold/beta, and constants leaves 1 out) and
// r ± 1/128, and the negatives of all, each rounded to float32 as the
// activations will take it. sample is the number of sample points and
// fromConsts the index of the first point about the constants. A sample
// or far point that is also a point about the constants (but 0) is left
// to the constants' part, where a function may agree beside it
// (comparison), as is one a float32 step from such a point.
func pointsFor(consts []float64) (points []float64, sample, fromConsts int) {
	var extra []float64
	for _, c := range consts {
		extra = append(extra, c, c-1.0/128, c+1.0/128, c/2)
		for _, d := range append([]float64{1}, consts...) {
			for _, r := range []float64{c / d, d / c} {
				extra = append(extra, r, r-1.0/128, r+1.0/128)
			}
		}
	}
	var atConsts []float64
	aboutConsts := map[float64]bool{}
	for _, v := range extra {
		for _, p := range []float64{v, -v} {
			if p32 := float32(p); !math.IsInf(float64(p32), 0) && !math.IsNaN(float64(p32)) {
				atConsts = append(atConsts, float64(p32))
				for _, q := range []float32{math.Nextafter32(p32, -math.MaxFloat32), p32, math.Nextafter32(p32, math.MaxFloat32)} {
					aboutConsts[float64(q)] = q != 0
				}
			}
		}
	}
	for _, x := range samplePoints {
		if !aboutConsts[x] {
			points = append(points, x)
		}
	}
	sample = len(points)
	for _, v := range farPoints {
		for _, p := range []float64{v, -v} {
			if !aboutConsts[p] {
				points = append(points, p)
			}
		}
	}
	return append(points, atConsts...), sample, len(points)
}

// roundingCast tells a Cast to a type the evaluation does not compute
// exactly: float16 and bfloat16 (11 and 8 bits), and the 8- and 4-bit
// floats of later opsets, which it would take as exact or truncate as
// integers. Casts to float, double, bool and the integers are computed.
func roundingCast(n *onnxpb.NodeProto) bool {
	if n.GetOpType() != "Cast" {
		return false
	}
	switch onnxpb.TensorProto_DataType(intAttr(n, "to", int64(onnxpb.TensorProto_FLOAT))) {
	case onnxpb.TensorProto_FLOAT, onnxpb.TensorProto_DOUBLE, onnxpb.TensorProto_BOOL,
		onnxpb.TensorProto_INT8, onnxpb.TensorProto_INT16, onnxpb.TensorProto_INT32, onnxpb.TensorProto_INT64,
		onnxpb.TensorProto_UINT8, onnxpb.TensorProto_UINT16, onnxpb.TensorProto_UINT32, onnxpb.TensorProto_UINT64:
		return false
	}
	return true
}

// region returns the element-wise nodes that compute from x (and
// constants), in the graph's order, and the one value they end in: the
// one read by a node outside them, or the graph's output. Each node's
// first output is its value; an element-wise node has no other that
// matters.
func (r *graphReader) region(x string) ([]*onnxpb.NodeProto, string, error) {
	known := map[string]bool{x: true}
	in := map[*onnxpb.NodeProto]bool{}
	values := []string{x}
	var nodes []*onnxpb.NodeProto
	for grew := true; grew; {
		grew = false
		for _, v := range values {
			if v == r.output { // the network ends here; what reads it is the loss's (Write's "output")
				continue
			}
			for _, n := range r.users[v] {
				if in[n] || !elementwise[n.GetOpType()] || !r.ready(n, known) {
					continue
				}
				if len(n.GetInput()) > maxInputs {
					return nil, "", fmt.Errorf("%s has %d inputs; wiggle reads activations whose operators have at most %d", describe(n), len(n.GetInput()), maxInputs)
				}
				if roundingCast(n) {
					return nil, "", fmt.Errorf("%s rounds the layer's values to a float narrower than float32 (float16, bfloat16 or smaller), which wiggle, computing in float32, would not; export the network in float32 (model.float())", describe(n))
				}
				if len(nodes) == maxRegion {
					return nil, "", fmt.Errorf("more than %d element-wise nodes follow %q; wiggle reads activations of fewer", maxRegion, x)
				}
				in[n], known[n.GetOutput()[0]], grew = true, true, true
				nodes = append(nodes, n)
				values = append(values, n.GetOutput()[0])
			}
		}
	}
	for _, v := range values {
		if v == r.output {
			continue
		}
		for _, u := range r.users[v] {
			if !in[u] && elementwise[u.GetOpType()] {
				return nil, "", fmt.Errorf("%s mixes the layer's values with %s, which are neither constants nor computed from them; wiggle reads chains of layers", describe(u), r.foreign(u, known))
			}
		}
	}
	if len(nodes) == 0 {
		return nil, "", r.notALayer(x)
	}
	slices.SortFunc(nodes, func(a, b *onnxpb.NodeProto) int { return r.index[a] - r.index[b] })
	var exits []string
	for _, v := range values {
		leaves := v == r.output
		for _, u := range r.users[v] {
			leaves = leaves || !in[u]
		}
		if leaves {
			exits = append(exits, v)
		}
	}
	if len(exits) != 1 || exits[0] == x {
		return nil, "", fmt.Errorf("the element-wise nodes after %q lead to %d values read elsewhere (%v); an activation leads to one", x, len(exits), exits[:min(len(exits), 8)])
	}
	return nodes, exits[0], nil
}

// ready tells whether each input of n is known or a constant.
func (r *graphReader) ready(n *onnxpb.NodeProto, known map[string]bool) bool {
	for _, in := range n.GetInput() {
		if in != "" && !known[in] && !r.consts[in] {
			return false
		}
	}
	return true
}

// foreign lists the inputs of n that are neither known nor constants.
func (r *graphReader) foreign(n *onnxpb.NodeProto, known map[string]bool) string {
	var names []string
	for _, in := range n.GetInput() {
		if in != "" && !known[in] && !r.consts[in] {
			if len(names) == 4 {
				return strings.Join(names, ", ") + ", ..."
			}
			names = append(names, strconv.Quote(in))
		}
	}
	return strings.Join(names, ", ")
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
	case "Relu", "Sigmoid", "Tanh", "Softsign", "Selu", "HardSwish", "Softplus", "Mish":
		f, err = act.New(map[string]string{"Relu": "relu", "Sigmoid": "sigmoid", "Tanh": "tanh", "Softsign": "softsign",
			"Selu": "selu", "HardSwish": "hardswish", "Softplus": "softplus", "Mish": "mish"}[n.GetOpType()])
	case "Gelu":
		f, err = act.New("gelu", "approximate="+stringAttr(n, "approximate", "none"))
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

// matchActivation returns the first activation that agrees with c at
// every point: guess, then each of the catalogue at its defaults, then
// each with parameters drawn from consts. Nil if none does.
func matchActivation(c *comparison, consts []float64, guess act.Func) act.Func {
	if guess != nil && c.agrees(guess) {
		return guess
	}
	for _, withParams := range []bool{false, true} {
		for _, info := range act.Catalogue() {
			if info.Name == "prelu" {
				continue // a fixed slope is leaky_relu, PyTorch's name for it; prelu's default 0.25 would name two LeakyRelu(0.5) in a row
			}
			for _, params := range paramChoices(info, consts, withParams) {
				f, err := act.New(info.Name, params...)
				if err == nil && c.agrees(f) {
					return f
				}
			}
		}
	}
	return nil
}

// paramChoices lists the parameter settings to try for an activation: none
// (its defaults), or each combination of its parameters' words and of
// numbers made from consts (c, −c, 1/c), then 0 and 1, which constants
// leaves out (step(at_zero=0) is Cast(Greater(x, 0)), with no other
// constant).
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
			for _, s := range []string{"0", "1"} {
				if !slices.Contains(values, s) {
					values = append(values, s)
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

// comparison holds the points to compare a function at, and the values
// it must take there: a probe of every probeStride-th point, every far
// point and every fourth point about the constants, tried first so that
// the many candidates that disagree cost little, then all of them.
type comparison struct {
	probeX, allX []float32
	probeY, allY []float64
	y            []float32 // a candidate's values, reused
	// probeBeside and allBeside index the first point about the file's
	// constants in probeX and allX. There a point agrees a float32 step
	// beside it (agreesBeside): a function may jump at a ratio of its
	// parameters, as softplus does at threshold/beta, where the engine
	// (as PyTorch) rounds β·x to float32 and the reading takes it exact.
	// Never at the other points, where it would let step(at_zero=0) pass
	// for step(at_zero=1) at 0.
	probeBeside, allBeside int
	// nearJumps lets every point agree beside, for a function the file
	// names (computes).
	nearJumps bool
}

const probeStride = 37

// newComparison keeps the points (pointsFor): the first sample, of
// samplePoints, all (where got is infinite there, a function must be
// too), and the further ones where got is finite (an exporter's subgraph
// may overflow far out, as Log(Sigmoid(x)) does at −1e6, where the
// function it stands for does not).
func newComparison(points, got []float64, sample, fromConsts int) *comparison {
	c := &comparison{probeBeside: math.MaxInt, allBeside: math.MaxInt} // no point about a constant, no point beside
	for i, x := range points {
		if i == fromConsts {
			c.probeBeside, c.allBeside = len(c.probeX), len(c.allX)
		}
		far := i >= sample
		if far && (math.IsInf(got[i], 0) || math.IsNaN(got[i])) {
			continue
		}
		c.allX, c.allY = append(c.allX, float32(x)), append(c.allY, got[i])
		if i%probeStride == 0 || far && i < fromConsts || i >= fromConsts && (i-fromConsts)%4 == 0 {
			c.probeX, c.probeY = append(c.probeX, float32(x)), append(c.probeY, got[i])
		}
	}
	return c
}

// agrees tells whether f computes the values at every point, within
// 1e-5 + 1e-5·|value|.
func (c *comparison) agrees(f act.Func) bool {
	return c.agreesAt(f, c.probeX, c.probeY, c.probeBeside) && c.agreesAt(f, c.allX, c.allY, c.allBeside)
}

// agreesAt tells whether f computes want at the points x, those from
// beside on a float32 step to either side too (see comparison).
func (c *comparison) agreesAt(f act.Func, x []float32, want []float64, beside int) bool {
	if c.nearJumps {
		beside = 0
	}
	if cap(c.y) < len(x) {
		c.y = make([]float32, len(c.allX))
	}
	y := c.y[:len(x)]
	f.Forward(y, x)
	for i, w := range want {
		if !within(y[i], w) && !(i >= beside && agreesBeside(f, x[i], w)) {
			return false
		}
	}
	return true
}

// within tells whether a function's value y is want within the reading's
// tolerance, 1e-5 + 1e-5·|want|. A value beyond float32's range (an
// infinity) agrees only with the infinity of its sign: the tolerance
// there is infinite too, and would take any value.
func within(y float32, want float64) bool {
	if math.Abs(want) > math.MaxFloat32 {
		return float64(y) == math.Copysign(math.Inf(1), want)
	}
	d := math.Abs(float64(y) - want)
	return d <= 1e-5+1e-5*math.Abs(want)
}

// agreesBeside tells whether f takes want a float32 step to either side of
// x: where f jumps at x (softplus at its threshold), float32's rounding of
// beta·x and the graph's float64 may put x on different sides.
func agreesBeside(f act.Func, x float32, want float64) bool {
	var y [2]float32
	f.Forward(y[:], []float32{math.Nextafter32(x, float32(math.Inf(-1))), math.Nextafter32(x, float32(math.Inf(1)))})
	return within(y[0], want) || within(y[1], want)
}
