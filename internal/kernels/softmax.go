package kernels

import "math"

// SoftmaxRow sets y[j] = e[j] / sum · scale, rounded to float32 once,
// with e[j] = e^(x[j] − m) in float64 and sum = Σ_j e[j], which it
// returns: a softmax row (scaled, for a loss's mean), m the row's largest
// value. e is scratch as long as x, y at least as long. Where the CPU runs
// AVX-512 and m is finite, eight at a time, each exponential within a few
// units in the last place of float64 (far below float32's) and the sum
// taken lane by lane and then in halves; else with math.Exp, summed in
// order. Either way the same x gives the same bits on the same machine.
// Safe for concurrent use.
//
//	y: [n], e: [n], x: [n]
func SoftmaxRow(y []float32, e []float64, x []float32, m, scale float64) (sum float64) {
	y, e = y[:len(x)], e[:len(x)]
	if sum, ok := softmaxRowFast(y, e, x, m, scale); ok {
		return sum
	}
	return softmaxRowGo(y, e, x, m, scale)
}

// softmaxRowGo is SoftmaxRow in plain Go.
func softmaxRowGo(y []float32, e []float64, x []float32, m, scale float64) (sum float64) {
	for j, v := range x {
		e[j] = math.Exp(float64(v) - m)
		sum += e[j]
	}
	for j := range e {
		y[j] = float32(e[j] / sum * scale)
	}
	return sum
}
