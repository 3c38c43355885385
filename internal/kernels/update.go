package kernels

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
	if nesterov {
		done := nesterovFast(w, buf, g, lr, mu)
		nesterovGo(w[done:], buf[done:], g[done:], lr, mu)
		return
	}
	done := momentumFast(w, buf, g, lr, mu)
	momentumGo(w[done:], buf[done:], g[done:], lr, mu)
}

// minHelperUpdate is the fewest parameters an update must have to be
// shared with the helper (see helper): those of a layer whose products are.
const minHelperUpdate = 1 << 14

// momentumGo is MomentumStep in plain Go.
func momentumGo(w, buf, g []float32, lr, mu float32) {
	buf, g = buf[:len(w)], g[:len(w)]
	for i := range w {
		b := mu*buf[i] + g[i]
		buf[i] = b
		w[i] -= lr * b
	}
}

// NesterovStep is SGD with Nesterov momentum: buf = mu·buf + g, then
// w −= lr·(g + mu·buf).
//
//	w, buf, g: [n]
func NesterovStep(w, buf, g []float32, lr, mu float32) { momentumStep(w, buf, g, lr, mu, true) }

// nesterovGo is NesterovStep in plain Go.
func nesterovGo(w, buf, g []float32, lr, mu float32) {
	buf, g = buf[:len(w)], g[:len(w)]
	for i := range w {
		b := mu*buf[i] + g[i]
		buf[i] = b
		w[i] -= lr * (g[i] + mu*b)
	}
}
