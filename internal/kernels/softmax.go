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

// SoftmaxRows is RowMax and SoftmaxRow for each row of x, rows cols
// floats apart: m[i] gets row i's largest value (RowMax's, of −0 and +0
// either), row i of y its softmax (scaled) and sums[i] its sum, with
// SoftmaxRow's bits row by row; len(m) rows. Where the CPU runs AVX-512,
// rows of up to 64 values go eight at a time, one row in each lane of the
// vectors (a row of ten logits took SoftmaxRow about 36 ns, its lanes
// waiting on one chain of multiply-adds; eight rows at a time take about
// 16 ns a row, RowMax included, on a Zen 5 core), unless a row of the
// eight holds NaN or has ±Inf for its largest value; the rest go a row at
// a time. Rows wider than 512 allocate a row of scratch. Safe for
// concurrent use.
//
//	y, x: [len(m)·cols]; m, sums: [len(m)]
func SoftmaxRows(y, x []float32, cols int, m, sums []float64, scale float64) {
	softmaxRows(y, x, cols, m, sums, scale)
}

// softmaxRows is SoftmaxRows, and returns how many groups of eight rows
// went in vectors (for its tests: the bits are the same either way).
func softmaxRows(y, x []float32, cols int, m, sums []float64, scale float64) (groups int) {
	rows := len(m)
	if rows == 0 {
		return 0
	}
	sums = sums[:rows]
	_, _ = y[rows*cols-1], x[rows*cols-1]
	var e [8 * maxRowsCols]float64 // the eight rows' exponentials, or one row's
	row := e[:]
	if cols > len(row) {
		row = make([]float64, cols)
	}
	for i := 0; i < rows; i += 8 {
		n := min(8, rows-i) // a group, or the rows after the last
		at := i * cols
		if n == 8 && softmaxEightFast(y[at:], x[at:], cols, m[i:i+8], sums[i:i+8], scale, &e) {
			groups++
			continue
		}
		for r := i; r < i+n; r++ { // a group the vectors declined, whole: not tried again a row later
			at := r * cols
			m[r] = RowMax(x[at : at+cols])
			sums[r] = SoftmaxRow(y[at:at+cols], row, x[at:at+cols], m[r], scale)
		}
	}
	return groups
}

// RowMax returns the largest entry, or NaN if the row holds a NaN: a
// softmax row's m. A comparison, not math.Max (a call, slower than the
// rest of a softmax of ten logits): of −0 and +0 it keeps the first,
// which changes no result, as v − m and m + log(sum) come out the same
// either way. −Inf for an empty row.
func RowMax(row []float32) float64 {
	m := math.Inf(-1)
	for _, v := range row {
		if v != v {
			return math.NaN()
		}
		if f := float64(v); f > m {
			m = f
		}
	}
	return m
}

// Argmax returns the index of the largest value of row, the first of
// equal ones (−0 and +0 equal), a classifier's answer: a NaN is never the
// largest, but in row[0], which no comparison after it passes, it gives
// 0; so does an empty row. Rows of up to 16 values go in one AVX-512
// vector where the CPU runs it, with no branch on the values: a loop of
// comparisons mispredicts where the largest falls anywhere, as in a
// classifier's scores early in training (a batch of 128 rows of ten
// random scores: 3.8 µs by the loop, 1.2 µs in vectors, a Zen 5 core).
// Safe for concurrent use.
func Argmax(row []float32) int {
	if n := argmaxFast(row); n >= 0 {
		return n
	}
	return argmaxGo(row)
}

// argmaxGo is Argmax in plain Go.
func argmaxGo(row []float32) int {
	if len(row) == 0 {
		return 0
	}
	best, largest := 0, row[0] // the largest in a register, not read again from row
	for j := 1; j < len(row); j++ {
		if v := row[j]; v > largest {
			best, largest = j, v
		}
	}
	return best
}

// maxRowsCols is the widest row SoftmaxRows takes eight at a time: its
// exponentials, eight rows' worth, stay on the stack (4 KiB).
const maxRowsCols = 64

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
