package kernels

import (
	"math"
	"sync"
)

// The element-wise updates of the optimizers, in float32 as PyTorch does
// them. Each is written so the compiler drops the bounds checks.

// Axpy sets y[i] += alpha·x[i].
//
//	x, y: [n]
func Axpy(y, x []float32, alpha float32) {
	x = x[:len(y)]
	done := axpyFast(y, x, alpha)
	axpyGo(y[done:], x[done:], alpha)
}

// axpyGo is Axpy in plain Go.
func axpyGo(y, x []float32, alpha float32) {
	x = x[:len(y)]
	for i := range y {
		y[i] += alpha * x[i]
	}
}

// MomentumStep is SGD with momentum: buf = mu·buf + g, then w −= lr·buf.
// A buffer smaller in magnitude than momentumFloor(lr, mu) is set to 0.
//
//	w, buf, g: [n]
func MomentumStep(w, buf, g []float32, lr, mu float32) { momentumStep(w, buf, g, lr, mu, false) }

// momentumStep is MomentumStep, or NesterovStep, shared with the helper
// thread when the layer is large enough.
func momentumStep(w, buf, g []float32, lr, mu float32, nesterov bool) {
	buf, g = buf[:len(w)], g[:len(w)]
	if len(w) >= minHelperUpdate && Threads() > 1 && defaultHelper.shareUpdate(w, buf, g, lr, mu, nesterov) {
		return
	}
	momentumRange(w, buf, g, lr, mu, nesterov)
}

// momentumRange is momentumStep on the calling goroutine.
func momentumRange(w, buf, g []float32, lr, mu float32, nesterov bool) {
	floor := momentumFloor(lr, mu)
	if nesterov {
		done := nesterovFast(w, buf, g, lr, mu, floor)
		nesterovGo(w[done:], buf[done:], g[done:], lr, mu, floor)
		return
	}
	done := momentumFast(w, buf, g, lr, mu, floor)
	momentumGo(w[done:], buf[done:], g[done:], lr, mu, floor)
}

// momentumFloor is the smallest magnitude a momentum buffer keeps: below
// it a buffer is set to 0, so that neither mu·buf nor lr·buf falls into
// the subnormal numbers. A unit that stops getting gradients (a dead ReLU,
// a pixel that is always 0) has its buffer shrink by mu each step; in the
// subnormals each multiply costs Intel cores a microcode assist of about a
// hundred cycles, and 1% of such elements made an update 2.6 times
// slower. Below the floor, lr·buf < 2⁻¹²⁶·max(1, lr/min(mu, 1)): too small to
// move any but a tiny weight.
func momentumFloor(lr, mu float32) float32 {
	const smallestNormal = 0x1p-126
	floor := float32(smallestNormal)
	for _, f := range []float32{lr, mu} {
		if f > 0 && f < 1 {
			floor = max(floor, smallestNormal/f)
		}
	}
	return floor
}

// flush returns b, or 0 where |b| < floor (NaN stays).
func flush(b, floor float32) float32 {
	if b < floor && b > -floor {
		return 0
	}
	return b
}

// minHelperUpdate is the fewest parameters an update must have to be
// shared with the helper (see helper): those of a layer whose products are.
const minHelperUpdate = 1 << 14

// momentumGo is MomentumStep in plain Go. Each product is rounded on its
// own (float32(…)), as the assembly rounds it: without the conversion
// the compiler may fuse a multiply and an add (GOAMD64=v3, arm64), and
// the elements this loop takes (a slice's tail, a band's) would differ.
func momentumGo(w, buf, g []float32, lr, mu, floor float32) {
	buf, g = buf[:len(w)], g[:len(w)]
	for i := range w {
		b := flush(float32(mu*buf[i])+g[i], floor)
		buf[i] = b
		w[i] -= float32(lr * b)
	}
}

// NesterovStep is SGD with Nesterov momentum: buf = mu·buf + g, then
// w −= lr·(g + mu·buf), with buffers below momentumFloor(lr, mu) set to 0.
//
//	w, buf, g: [n]
func NesterovStep(w, buf, g []float32, lr, mu float32) { momentumStep(w, buf, g, lr, mu, true) }

// nesterovGo is NesterovStep in plain Go.
func nesterovGo(w, buf, g []float32, lr, mu, floor float32) {
	buf, g = buf[:len(w)], g[:len(w)]
	for i := range w {
		b := flush(float32(mu*buf[i])+g[i], floor) // rounded as the assembly rounds: see momentumGo
		buf[i] = b
		w[i] -= float32(lr * (g[i] + float32(mu*b)))
	}
}

// Adam holds the numbers of one Adam step that are the same for every
// element, as float32 (AdamStep computes in float32, as PyTorch does).
type Adam struct {
	Keep       float32 // w is first multiplied by it: 1 − lr·weight_decay (AdamW), else 1
	Beta1      float32 // m = Beta1·m + Scale1·g
	Scale1     float32 // 1 − β1, rounded once from float64 as PyTorch's alpha is (1 − float32(β1) is 1 for β1 = 0.99999999)
	Beta2      float32 // v = Beta2·v + Scale2·g·g
	Scale2     float32 // 1 − β2, as Scale1
	StepSize   float32 // lr / (1 − β1ᵗ)
	Correction float32 // √(1 − β2ᵗ)
	Eps        float32
}

// AdamStep is one Adam (or AdamW) step of each element in float32, each
// operation rounded (PyTorch's formulas; its kernels order and fuse some
// operations otherwise, a few ulps apart):
//
//	w = w·Keep
//	m = Beta1·m + Scale1·g
//	v = Beta2·v + (Scale2·g)·g   (PyTorch's order: g·g first overflows from |g| ≈ 1.8e19)
//	w −= StepSize · m / (√v/Correction + Eps)
//
// With Eps > 0, an m or v below 2⁻¹²⁶ in magnitude becomes 0 (see
// momentumFloor: a unit without gradients decays through the subnormals
// otherwise): an m's part of the step was below StepSize·2⁻¹²⁶/Eps, and a
// v's part of the denominator below 2⁻⁶³/Correction, negligible beside Eps
// unless Eps is below about 1e-17.
//
//	w, m, v, g: [n]
func AdamStep(w, m, v, g []float32, a Adam) {
	m, v, g = m[:len(w)], v[:len(w)], g[:len(w)]
	t := elementwiseSteps.Get().(*elementwiseStep)
	*t = elementwiseStep{w: w, s1: m, s2: v, g: g, adam: a, floor: adamFloor(a.Eps)}
	t.runAll()
	*t = elementwiseStep{}
	elementwiseSteps.Put(t)
}

// adamRange is AdamStep over its slices, on the calling goroutine.
func adamRange(w, m, v, g []float32, a Adam, floor float32) {
	done := adamFast(w, m, v, g, a, floor)
	adamGo(w[done:], m[done:], v[done:], g[done:], a, floor)
}

// elementwiseStep is an Adam or RMSprop/Adagrad step of one parameter, in
// two halves of its elements, one on the helper when it is awake and the
// parameter large (kernels.Parallel): each element is computed alike
// either way. Pooled, so that a step allocates nothing.
type elementwiseStep struct {
	w, s1, s2, g []float32 // s1, s2: Adam's m and v; RMSStep's v and nil
	adam         Adam
	rms          [4]float32 // keep, scale, lr, eps
	floor        float32
}

var elementwiseSteps = sync.Pool{New: func() any { return new(elementwiseStep) }}

func (t *elementwiseStep) runAll() { Halves(t, len(t.w) >= minHelperUpdate) }

// Run steps half i of the elements (the halves split at a multiple of 8,
// the assembly's step).
func (t *elementwiseStep) Run(i int) {
	lo, hi := Half(i, len(t.w), 8)
	if t.s2 != nil {
		adamRange(t.w[lo:hi], t.s1[lo:hi], t.s2[lo:hi], t.g[lo:hi], t.adam, t.floor)
		return
	}
	rmsRange(t.w[lo:hi], t.s1[lo:hi], t.g[lo:hi], t.rms[0], t.rms[1], t.rms[2], t.rms[3], t.floor)
}

// adamFloor is the magnitude below which Adam's m and v become 0: 2⁻¹²⁶,
// or nothing when Eps is 0 (then √v alone is the denominator, and a tiny m
// over a tiny √v need not be tiny).
func adamFloor(eps float32) float32 {
	if eps > 0 {
		return 0x1p-126
	}
	return 0
}

// adamGo is AdamStep in plain Go; float32(…) around each product keeps a
// compiler from fusing it into the sum that follows.
func adamGo(w, m, v, g []float32, a Adam, floor float32) {
	m, v, g = m[:len(w)], v[:len(w)], g[:len(w)]
	for i := range w {
		wi := float32(w[i] * a.Keep)
		mi := flush(float32(m[i]*a.Beta1)+float32(g[i]*a.Scale1), floor)
		vi := flush(float32(v[i]*a.Beta2)+float32(float32(g[i]*a.Scale2)*g[i]), floor)
		d := float32(sqrt32(vi)/a.Correction) + a.Eps
		m[i], v[i] = mi, vi
		w[i] = wi - float32(float32(mi/d)*a.StepSize)
	}
}

// sqrt32 is the correctly rounded float32 square root (VSQRTPS's).
func sqrt32(x float32) float32 { return float32(math.Sqrt(float64(x))) }

// RMSStep is one step of RMSprop (Keep = α, Scale = 1 − α) or Adagrad
// (Keep = Scale = 1) for each element in float32, each operation rounded
// (PyTorch's formulas, as AdamStep):
//
//	v = Keep·v + (Scale·g)·g   (PyTorch's order, as AdamStep's)
//	w −= LR · g / (√v + Eps)
//
// With Eps > 0 a v below 2⁻¹²⁶ becomes 0, as in AdamStep.
//
//	w, v, g: [n]
func RMSStep(w, v, g []float32, keep, scale, lr, eps float32) {
	v, g = v[:len(w)], g[:len(w)]
	t := elementwiseSteps.Get().(*elementwiseStep)
	*t = elementwiseStep{w: w, s1: v, g: g, rms: [4]float32{keep, scale, lr, eps}, floor: adamFloor(eps)}
	t.runAll()
	*t = elementwiseStep{}
	elementwiseSteps.Put(t)
}

// rmsRange is RMSStep over its slices, on the calling goroutine.
func rmsRange(w, v, g []float32, keep, scale, lr, eps, floor float32) {
	done := rmsFast(w, v, g, keep, scale, lr, eps, floor)
	rmsGo(w[done:], v[done:], g[done:], keep, scale, lr, eps, floor)
}

// rmsGo is RMSStep in plain Go.
func rmsGo(w, v, g []float32, keep, scale, lr, eps, floor float32) {
	v, g = v[:len(w)], g[:len(w)]
	for i := range w {
		vi := flush(float32(v[i]*keep)+float32(float32(g[i]*scale)*g[i]), floor)
		v[i] = vi
		w[i] -= float32(float32(g[i]/(sqrt32(vi)+eps)) * lr)
	}
}
