package kernels

// AddRows adds each of the rows rows of src (cols floats each, one after
// another) to dst, one row after the other: dst[j] = ((dst[j] + r0[j]) +
// r1[j]) + …, the bits of the loop "for each row, dst[j] += row[j]": a
// Dense layer's bias gradient, the sum of dOut's rows. It panics if src
// or dst is shorter than the shape says.
//
//	dst: [cols], src: [rows, cols]
func AddRows(dst, src []float32, rows, cols int) {
	if rows <= 0 || cols <= 0 {
		return
	}
	dst, src = dst[:cols], src[:rows*cols]
	done := addRowsFast(dst, src, rows, cols)
	addRowsGo(dst[done:], src[done:], rows, cols)
}

// addRowsGo is AddRows in plain Go over the first len(dst) columns of
// rows cols floats apart.
func addRowsGo(dst, src []float32, rows, cols int) {
	for i := range rows {
		row := src[i*cols:][:len(dst)]
		for j, v := range row {
			dst[j] += v
		}
	}
}
