package act

import (
	"math"

	"github.com/wigglenn/wiggle/internal/kernels"
)

// Softmax sets each row of y to the softmax of the same row of x:
// y_j = e^(x_j − m) / Σ_k e^(x_k − m), m the row's maximum, so logits of
// ±1000 neither overflow nor underflow to 0/0. It panics, before it
// writes, unless cols > 0, x holds whole rows and y is as long; so do
// SoftmaxRows, LogSoftmax and the backward passes (for y, dOut and dX),
// and SoftmaxRow on a y shorter than x.
//
//	x, y: [rows, cols], row-major
//
// Special cases are (per row):
//
//	a row holding NaN gives NaN everywhere in that row
//	a row holding +Inf gives NaN everywhere in that row (∞ − ∞)
//	a row of only -Inf gives NaN everywhere in that row
//	an entry of -Inf among finite ones gives 0
func Softmax(y, x []float32, cols int) { SoftmaxRows(y, x, cols, 1, nil) }

// SoftmaxRow sets y to scale times the softmax of one row x and returns
// LogSumExp(x): Softmax's work for a row (scale 1). A cross-entropy loss
// takes SoftmaxRows' shifted log-sums instead, which keep log Σ e^(x − m)
// apart from m where m is huge. The exponentials are float64's
// (kernels.SoftmaxRow), and each y_j is rounded to float32 once.
// Special cases are as for Softmax.
//
//	x, y: [n]
func SoftmaxRow(y, x []float32, scale float64) (logSum float64) {
	m, sum := softmaxRow(y, x, scale)
	return m + math.Log(sum)
}

// SoftmaxRows is SoftmaxRow for each row of x, with its bits row by row:
// each row of y gets scale times the softmax of the same row of x and,
// where shiftedLogSums is not nil, shiftedLogSums[i] gets log Σ_j
// e^(x_j − m), m row i's largest x_j: its LogSumExp less m. A
// cross-entropy takes (m − x_label) + shiftedLogSums[i], which keeps the
// loss where the logits are huge (1e20 + log 2 is 1e20 in float64, and
// LogSumExp − x_label would be 0 for two logits of 1e20). Where the
// CPU runs AVX-512, rows of up to 64 logits go eight at a time, one row in
// each lane of the vectors (kernels.SoftmaxRows; a group holding a row
// with NaN or ±Inf for its largest value goes a row at a time): the
// softmax loss of a batch of 128 rows of ten took 8.2 µs a row at a time
// and 3.3 µs so (a Zen 5 core).
//
//	x, y: [rows, cols], row-major; shiftedLogSums: [rows] or nil
//
// Special cases are as for Softmax.
func SoftmaxRows(y, x []float32, cols int, scale float64, shiftedLogSums []float64) {
	checkRows(y, x, cols)
	if shiftedLogSums != nil && len(shiftedLogSums) < len(x)/cols {
		panic("act: softmax over rows needs a log-sum for each row")
	}
	rows := len(x) / cols
	if cols > maxExpsKept { // each exponential twice: SoftmaxRow's way
		for r := range rows {
			_, sum := softmaxRow(y[r*cols:(r+1)*cols], x[r*cols:(r+1)*cols], scale)
			if shiftedLogSums != nil {
				shiftedLogSums[r] = math.Log(sum)
			}
		}
		return
	}
	var m, sums [rowsAtOnce]float64
	for r0 := 0; r0 < rows; r0 += rowsAtOnce {
		n := min(rowsAtOnce, rows-r0)
		xs, ys := x[r0*cols:(r0+n)*cols], y[r0*cols:(r0+n)*cols]
		kernels.SoftmaxRows(ys, xs, cols, m[:n], sums[:n], scale)
		if shiftedLogSums != nil {
			for i := range n {
				shiftedLogSums[r0+i] = math.Log(sums[i])
			}
		}
	}
}

// rowsAtOnce is how many rows SoftmaxRows hands kernels.SoftmaxRows at a
// time: their maxima and sums stay on the stack.
const rowsAtOnce = 64

// softmaxRow is SoftmaxRow but for the logarithm, which Softmax does not
// need: it returns the row's maximum m and Σ_j e^(x_j − m).
func softmaxRow(y, x []float32, scale float64) (m, sum float64) {
	mustCover("SoftmaxRow", len(x), y)
	y = y[:len(x)]
	if len(x) == 0 || len(x) > maxExpsKept { // each exponential twice, to round once
		m, sum = sumExp(x)
		shift := math.Log(sum)
		for j, v := range x {
			y[j] = float32(math.Exp(float64(v)-m-shift) * scale) // x_j − m first: m + shift would round shift away where m is huge
		}
		return m, sum
	}
	var kept [maxExpsKept]float64
	m = kernels.RowMax(x) // NaN for a row holding NaN; ±Inf gives NaN everywhere (see Softmax)
	return m, kernels.SoftmaxRow(y, kept[:len(x)], x, m, scale)
}

// maxExpsKept is the widest row whose exponentials SoftmaxRow keeps in
// float64 on the stack, computing each once; wider rows compute them twice.
const maxExpsKept = 64

// LogSoftmax sets each row of y to log(softmax) of the same row of x:
// y_j = x_j − m − log Σ_k e^(x_k − m), finite for finite logits of any size.
//
//	x, y: [rows, cols], row-major
//
// Special cases are as for Softmax, with −Inf in place of 0.
func LogSoftmax(y, x []float32, cols int) {
	forEachRow(y, x, cols, func(yr, xr []float32) {
		m, sum := sumExp(xr)
		shift := math.Log(sum)
		for j, v := range xr {
			yr[j] = float32(float64(v) - m - shift) // x_j − m first, as in softmaxRow
		}
	})
}

// SoftmaxBackward accumulates into dX the gradient through Softmax, given its
// output y: dX_j += y_j·(dOut_j − Σ_k dOut_k·y_k).
//
//	dX, dOut, y: [rows, cols], row-major
func SoftmaxBackward(dX, dOut, y []float32, cols int) {
	checkRowsBackward(dX, dOut, y, cols)
	for r := 0; r+cols <= len(y); r += cols {
		yr, dr, dxr := y[r:r+cols], dOut[r:r+cols], dX[r:r+cols]
		var dot float64
		for j := range yr {
			dot += float64(dr[j]) * float64(yr[j])
		}
		for j := range yr {
			dxr[j] += float32(float64(yr[j]) * (float64(dr[j]) - dot))
		}
	}
}

// LogSoftmaxBackward accumulates into dX the gradient through LogSoftmax,
// given its output y: dX_j += dOut_j − e^(y_j)·Σ_k dOut_k.
//
//	dX, dOut, y: [rows, cols], row-major
func LogSoftmaxBackward(dX, dOut, y []float32, cols int) {
	checkRowsBackward(dX, dOut, y, cols)
	for r := 0; r+cols <= len(y); r += cols {
		yr, dr, dxr := y[r:r+cols], dOut[r:r+cols], dX[r:r+cols]
		var sum float64
		for _, d := range dr {
			sum += float64(d)
		}
		for j := range yr {
			dxr[j] += float32(float64(dr[j]) - math.Exp(float64(yr[j]))*sum)
		}
	}
}

func forEachRow(y, x []float32, cols int, f func(yr, xr []float32)) {
	checkRows(y, x, cols)
	for r := 0; r < len(x); r += cols {
		f(y[r:r+cols], x[r:r+cols])
	}
}

// checkRows panics unless x holds whole rows of cols > 0 values and y
// is as long: the shapes of every softmax over rows.
func checkRows(y, x []float32, cols int) {
	if cols <= 0 || len(x)%cols != 0 || len(y) < len(x) {
		panic("act: softmax over rows needs len(x) a multiple of cols > 0 and len(y) >= len(x)")
	}
}

// checkRowsBackward is checkRows for a backward pass: y whole rows of
// cols > 0, dOut and dX as long.
func checkRowsBackward(dX, dOut, y []float32, cols int) {
	checkRows(y, y, cols)
	if len(dOut) < len(y) || len(dX) < len(y) {
		panic("act: a softmax's backward pass needs dOut and dX as long as y")
	}
}

// LogSumExp returns log Σ e^(x_j), computed as m + log Σ e^(x_j − m) with m
// the largest x_j, so it is finite for finite x of any size.
//
// Special cases are:
//
//	LogSumExp of a row holding NaN or +Inf is NaN
//	LogSumExp of a row of only -Inf is NaN
//	LogSumExp of an empty row is -Inf
func LogSumExp(row []float32) float64 {
	m, sum := sumExp(row)
	return m + math.Log(sum)
}

// sumExp returns the row's largest value m and Σ_j e^(x_j − m), in
// float64: the parts of its LogSumExp, kept apart where m is so large
// that m + log(sum) rounds the log away.
func sumExp(row []float32) (m, sum float64) {
	m = kernels.RowMax(row)
	for _, v := range row {
		sum += math.Exp(float64(v) - m)
	}
	return m, sum
}
