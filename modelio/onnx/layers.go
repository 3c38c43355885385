// The chain of layers from the graph's input: Gemm or MatMul and Add,
// PRelu, Flatten, Dropout, a leading standardisation, maxout's Reshape and
// ReduceMax, a final Softmax, and the activations between (recognise.go).

package onnx

import (
	"errors"
	"fmt"
	"slices"

	"github.com/wigglenn/wiggle/act"
	"github.com/wigglenn/wiggle/data"
	"github.com/wigglenn/wiggle/internal/onnxpb"
	"github.com/wigglenn/wiggle/nn"
)

// chain reads layers from the value x to the output.
func (r *graphReader) chain(x, output string) (*importedNet, error) {
	c := &chainState{net: &importedNet{}}
	for steps := 0; x != output; steps++ {
		if steps > len(r.g.GetNode()) {
			return nil, errors.New("the graph loops")
		}
		users := r.users[x]
		if len(users) == 0 {
			return nil, fmt.Errorf("nothing reads the value %q, and it is not the graph's output %q", x, output)
		}
		if len(users) == 1 {
			next, ok, err := r.layer(c, x, users[0], output)
			if err != nil {
				return nil, err
			}
			if ok {
				x = next
				continue
			}
		}
		fs, next, err := r.activations(x)
		if err != nil {
			return nil, err
		}
		for _, f := range fs {
			c.layers = append(c.layers, nn.NewActivation(f))
		}
		x = next
	}
	if c.in == 0 {
		return nil, errors.New("the graph has no linear layer (Gemm, or MatMul with constant weights)")
	}
	if a, ok := c.layers[len(c.layers)-1].(*nn.Activation); ok && a.F.Name() == "sigmoid" {
		c.net.sigmoidAtEnd = !c.net.softmaxAtEnd && !(r.own && output == "logits") // past it only Flatten, Dropout or Identity, which are no layers
	}
	c.net.seq = nn.NewSequential(c.in, c.layers...)
	if s := c.net.scaler; s != nil {
		s.Mean, s.Std = broadcast(s.Mean, c.in), broadcast(s.Std, c.in)
	}
	return c.net, nil
}

// chainState is what chain has read so far.
type chainState struct {
	net    *importedNet
	layers []nn.Layer
	in     int // the network's inputs, once a linear layer is read
	width  int // the last layer's outputs
}

// broadcast repeats a one-value slice n times; any other it returns as is.
func broadcast(v []float32, n int) []float32 {
	if len(v) != 1 || n == 1 {
		return v
	}
	return slices.Repeat(v, n)
}

// layer reads the layer that node n, the only reader of x, begins, when it
// is not an activation: it returns the layer's output value, and false
// when n begins an activation.
func (r *graphReader) layer(c *chainState, x string, n *onnxpb.NodeProto, output string) (string, bool, error) {
	in := n.GetInput()
	switch n.GetOpType() {
	case "Gemm", "MatMul":
		d, next, err := r.linear(x, n)
		if err != nil {
			return "", false, err
		}
		var l nn.Layer = d
		if m, after, ok := r.maxout(d, next); ok {
			l, next = m, after
		}
		if c.in == 0 {
			c.in = d.In
		} else if d.In != c.width {
			return "", false, fmt.Errorf("%s takes %d inputs; the layer before gives %d", describe(n), d.In, c.width)
		}
		c.layers, c.width = append(c.layers, l), l.OutSize(d.In)
		return next, true, nil
	case "Identity", "Dropout", "Flatten", "Softmax", "LogSoftmax":
		if len(in) == 0 || in[0] != x {
			return "", false, fmt.Errorf("%s does not take the layer's values as its first input", describe(n))
		}
	}
	switch n.GetOpType() {
	case "Identity":
		if n.GetOutput()[0] != output { // wiggle's identity activation; PyTorch writes none
			c.layers = append(c.layers, nn.NewActivation(act.MustNew("identity")))
		}
		return n.GetOutput()[0], true, nil
	case "Flatten":
		if axis := intAttr(n, "axis", 1); axis != 1 && !(axis == -1 && (c.in > 0 || r.inputRank == 2)) { // −1 is 1 for a matrix: a layer's values, or an input of rank 2
			return "", false, fmt.Errorf("%s flattens from axis %d; wiggle reads Flatten(axis=1), a row an example (nn.Flatten()'s)", describe(n), axis)
		}
		return n.GetOutput()[0], true, nil
	case "Dropout":
		return n.GetOutput()[0], true, nil
	case "PRelu":
		if len(in) != 2 || in[0] != x || r.floats[in[1]] == nil {
			return "", false, fmt.Errorf("%s does not take the layer's values and constant slopes%s", describe(n), r.unreadType(in[1:]))
		}
		if !rowShape(r.shapes[in[1]]) {
			return "", false, fmt.Errorf("%s has slopes of shape %v, which broadcast over the batch; wiggle reads one slope, or one per unit ([units] or [1, units])", describe(n), r.shapes[in[1]])
		}
		slope := r.floats[in[1]]
		if c.in == 0 {
			return "", false, fmt.Errorf("%s comes before any linear layer; wiggle reads PReLU after one", describe(n))
		}
		if len(slope) != 1 && len(slope) != c.width {
			return "", false, fmt.Errorf("%s has %d slopes after a layer of %d units", describe(n), len(slope), c.width)
		}
		p := nn.NewPReLU(len(slope), 0)
		copy(p.A.Value, slope)
		c.layers = append(c.layers, p)
		return n.GetOutput()[0], true, nil
	case "Softmax", "LogSoftmax":
		if n.GetOutput()[0] != output {
			return "", false, fmt.Errorf("%s is not the last node; wiggle reads a softmax only as the network's end", describe(n))
		}
		if axis := intAttr(n, "axis", -1); axis != 1 && axis != -1 {
			return "", false, fmt.Errorf("%s takes its softmax over axis %d; wiggle reads one over the classes, axis 1 (dim=1 in PyTorch)", describe(n), axis)
		}
		c.net.softmaxAtEnd, c.net.softmaxOp = true, n.GetOpType()
		return output, true, nil
	case "Sub":
		if s, next, ok := r.scaler(x, n); ok && c.in == 0 && c.net.scaler == nil {
			c.net.scaler = s
			return next, true, nil
		}
	}
	return "", false, nil
}

// scaler reads a standardisation (x − mean)/std at the network's input,
// Sub then Div by constants of one value or one per feature (chain repeats
// a single value for every feature).
func (r *graphReader) scaler(x string, sub *onnxpb.NodeProto) (*data.Standardizer, string, bool) {
	in := sub.GetInput()
	if len(in) != 2 || in[0] != x || len(r.floats[in[1]]) == 0 || !rowShape(r.shapes[in[1]]) {
		return nil, "", false
	}
	users := r.users[sub.GetOutput()[0]]
	if len(users) != 1 || users[0].GetOpType() != "Div" && users[0].GetOpType() != "Mul" {
		return nil, "", false
	}
	div := users[0].GetInput()
	if len(div) != 2 || div[0] != sub.GetOutput()[0] || len(r.floats[div[1]]) == 0 || !rowShape(r.shapes[div[1]]) {
		return nil, "", false
	}
	mean, std := r.floats[in[1]], r.floats[div[1]]
	if users[0].GetOpType() == "Mul" { // (x - mu) * c: a deviation of 1/c
		inverse := make([]float32, len(std))
		for j, c := range std {
			inverse[j] = 1 / c
		}
		std = inverse
	}
	if len(mean) != len(std) && len(mean) != 1 && len(std) != 1 {
		return nil, "", false
	}
	return &data.Standardizer{Mean: append([]float32(nil), mean...), Std: append([]float32(nil), std...)}, users[0].GetOutput()[0], true
}

// reciprocal makes out the constant 1/v of the constant in, of its shape.
func (r *graphReader) reciprocal(out, in string) {
	v := make([]float32, len(r.floats[in]))
	for j, x := range r.floats[in] {
		v[j] = 1 / x
	}
	r.floats[out], r.consts[out], r.shapes[out] = v, true, r.shapes[in]
}

// rowShape reports whether a constant of shape s is a number or a row of
// them: [], [F], or [1, F] (as PyTorch's x.mean(0, keepdim=True) keeps a
// statistic).
func rowShape(s []int64) bool {
	return len(s) <= 1 || len(s) == 2 && s[0] == 1
}

// maxout reads Reshape to [-1, out, pieces] and ReduceMax over the pieces
// after the linear layer d (as Write writes a Maxout layer).
func (r *graphReader) maxout(d *nn.Dense, z string) (*nn.Maxout, string, bool) {
	users := r.users[z]
	if len(users) != 1 || users[0].GetOpType() != "Reshape" || len(users[0].GetInput()) != 2 {
		return nil, "", false
	}
	shape := r.ints[users[0].GetInput()[1]]
	if len(shape) != 3 || shape[0] != -1 || shape[2] < 1 || int64(d.Out)%shape[2] != 0 || shape[1] != int64(d.Out)/shape[2] {
		return nil, "", false
	}
	reduce := r.users[users[0].GetOutput()[0]]
	if len(reduce) != 1 || reduce[0].GetOpType() != "ReduceMax" || intAttr(reduce[0], "keepdims", 1) != 0 {
		return nil, "", false
	}
	axes := intsAttr(reduce[0], "axes")
	if in := reduce[0].GetInput(); len(in) == 2 {
		axes = r.ints[in[1]]
	}
	if len(axes) != 1 || (axes[0] != 2 && axes[0] != -1) {
		return nil, "", false
	}
	m := nn.NewMaxout(d.In, int(shape[1]), int(shape[2]))
	copy(m.Linear.W.Value, d.W.Value)
	copy(m.Linear.B.Value, d.B.Value)
	return m, reduce[0].GetOutput()[0], true
}

// linear reads a Linear layer at node n on x: Gemm with constant weights,
// or MatMul followed by an Add of a constant bias. It returns the layer
// and its output value.
func (r *graphReader) linear(x string, n *onnxpb.NodeProto) (*nn.Dense, string, error) {
	in := n.GetInput()
	if len(in) < 2 || in[0] != x || r.floats[in[1]] == nil || len(r.shapes[in[1]]) != 2 {
		return nil, "", fmt.Errorf("%s does not multiply the layer's values by a constant matrix%s", describe(n), r.unreadType(in[1:]))
	}
	w, shape := r.floats[in[1]], r.shapes[in[1]]
	out, bias := n.GetOutput()[0], []float32(nil)
	transposed := true // MatMul's weights are [in, out]
	if n.GetOpType() == "Gemm" {
		transA, transB := intAttr(n, "transA", 0), intAttr(n, "transB", 0)
		alpha, beta := floatAttr(n, "alpha", 1), floatAttr(n, "beta", 1)
		if transA != 0 {
			return nil, "", fmt.Errorf("%s multiplies the transpose of the layer's values (transA %d): it is not a Linear layer", describe(n), transA)
		}
		transposed = transB == 0
		if len(in) > 2 && in[2] != "" {
			if bias = r.floats[in[2]]; bias == nil {
				return nil, "", fmt.Errorf("%s adds a bias that is not a constant%s", describe(n), r.unreadType(in[2:]))
			}
			if !rowShape(r.shapes[in[2]]) {
				return nil, "", biasShapeError(n, r.shapes[in[2]])
			}
		}
		w, bias = scaled(w, float64(alpha)), scaled(bias, float64(beta)) // alpha·x·W + beta·b: the layer of alpha·W and beta·b
	} else if users := r.users[out]; len(users) == 1 && (users[0].GetOpType() == "Add" || users[0].GetOpType() == "Sub") {
		add, sub := users[0].GetInput(), users[0].GetOpType() == "Sub"
		for i, v := range add {
			if b := r.floats[v]; b != nil && len(add) == 2 && add[1-i] == out && (!sub || i == 1) { // x·W + b, b + x·W or x·W − b
				if !rowShape(r.shapes[v]) {
					return nil, "", biasShapeError(users[0], r.shapes[v])
				}
				bias, out = b, users[0].GetOutput()[0]
				if sub {
					bias = scaled(b, -1)
				}
			}
		}
	}
	d, err := dense(w, shape, transposed, bias)
	if err != nil {
		return nil, "", fmt.Errorf("%s: %w", describe(n), err)
	}
	return d, out, nil
}

// scaled is v times k, a copy (v itself where k is 1, nil for nil).
func scaled(v []float32, k float64) []float32 {
	if k == 1 || v == nil {
		return v
	}
	out := make([]float32, len(v))
	for i, x := range v {
		out[i] = float32(k * float64(x))
	}
	return out
}

// biasShapeError is the error of a bias whose shape is no row ([out, 1],
// say): it broadcasts over the batch, a value per example, not per unit.
func biasShapeError(n *onnxpb.NodeProto, shape []int64) error {
	return fmt.Errorf("%s adds a bias of shape %v, which broadcasts over the batch; wiggle reads a bias of one value, or one per output ([out] or [1, out])", describe(n), shape)
}

// dense makes a Dense layer of weights of shape [out, in] (or [in, out]
// when transposed) and a bias (zeros when nil).
func dense(w []float32, shape []int64, transposed bool, bias []float32) (*nn.Dense, error) {
	out, in := int(shape[0]), int(shape[1])
	if transposed {
		out, in = in, out
	}
	if in >= 1 && out >= 1 && in > nn.MaxParams/out {
		return nil, fmt.Errorf("weights of shape %v: more than %d, the most a wiggle layer holds", shape, nn.MaxParams)
	}
	if in < 1 || out < 1 || len(w) != in*out {
		return nil, fmt.Errorf("weights of shape %v", shape)
	}
	if bias != nil && len(bias) != out && len(bias) != 1 {
		return nil, fmt.Errorf("a bias of %d values for %d outputs", len(bias), out)
	}
	bias = broadcast(bias, out)
	d := nn.NewDense(in, out)
	for i := range out {
		for j := range in {
			if transposed {
				d.W.Value[i*in+j] = w[j*out+i]
			} else {
				d.W.Value[i*in+j] = w[i*in+j]
			}
		}
	}
	copy(d.B.Value, bias)
	return d, nil
}

// notALayer is the error of a value x no layer or activation reads: it
// names the reader that is none (a Shape beside x's Gemm, say, rather than
// the Gemm), with the way to flatten where it is one of the nodes
// x.view(x.size(0), -1) exports as.
func (r *graphReader) notALayer(x string) error {
	odd := r.users[x][0]
	for _, u := range r.users[x] {
		if !layerOps[u.GetOpType()] {
			odd = u
			break
		}
	}
	text := fmt.Sprintf("%s is not a layer wiggle reads: it reads Gemm, MatMul and Add, PRelu, Flatten, Dropout, a final Softmax, and element-wise activations", describe(odd))
	switch {
	case viewOps[odd.GetOpType()]:
		text += "; x.view(x.size(0), -1) and x.reshape(-1, F) in forward() export as Shape, Gather and Reshape nodes, which it does not follow: flatten with nn.Flatten() or torch.flatten(x, 1) and export again"
	case odd.GetOpType() == "BatchNormalization":
		text += "; a BatchNorm1d in eval mode is an affine map of each unit, which folds into the Linear before it (W·γ/√(var+ε) and (b−mean)·γ/√(var+ε)+β): fold it in PyTorch (torch.nn.utils.fusion.fuse_linear_bn_eval) and export again"
	case odd.GetOpType() == "LayerNormalization":
		text += "; a LayerNorm divides each row by its own spread, which no wiggle layer does"
	}
	return errors.New(text)
}

// layerOps are the operators chain reads as layers; viewOps those a
// reshape in PyTorch's forward() exports as.
var (
	layerOps = map[string]bool{"Gemm": true, "MatMul": true, "Add": true, "PRelu": true, "Flatten": true, "Dropout": true, "Identity": true, "Softmax": true, "LogSoftmax": true}
	viewOps  = map[string]bool{"Shape": true, "Gather": true, "Reshape": true, "Unsqueeze": true, "Concat": true, "Squeeze": true, "Slice": true}
)
