package kernels

// Dot returns Σ a[i]·b[i]; len(b) >= len(a).
//
//	a, b: [n]
func Dot(a, b []float32) float32 {
	b = b[:len(a)]
	done, s := dotFast(a, b)
	return s + dotGo(a[done:], b[done:])
}

// dotGo is the plain Go dot product, with four partial sums.
func dotGo(a, b []float32) float32 {
	b = b[:len(a)]
	var s0, s1, s2, s3 float32
	i := 0
	for ; i+4 <= len(a); i += 4 {
		s0 += a[i] * b[i]
		s1 += a[i+1] * b[i+1]
		s2 += a[i+2] * b[i+2]
		s3 += a[i+3] * b[i+3]
	}
	for ; i < len(a); i++ {
		s0 += a[i] * b[i]
	}
	return (s0 + s1) + (s2 + s3)
}

// gemvRows computes C (+)= op(A)·op(B) for a few rows of A and B
// transposed, as dot products of contiguous rows: no packing, which costs
// more than it saves for one or two rows (single-sample inference).
func gemvRows(o *Op) {
	width := max(gemvChunk, (o.N+maxChunks-1)/maxChunks) // at most maxChunks chunks
	if o.N*o.K >= minHelperWork && defaultHelper.shareColumns(o, width) {
		return
	}
	gemvCols(o, 0, o.N)
}

// gemvChunk is how many columns of C a chunk of a shared gemv computes.
const gemvChunk = 64

// gemvCols is gemvRows for the columns [j0, j1) of C.
func gemvCols(o *Op, j0, j1 int) {
	for i := range o.M {
		a := o.A[i*o.LDA : i*o.LDA+o.K]
		c := o.C[i*o.LDC+j0 : i*o.LDC+j1]
		b := o.B[j0*o.LDB:]
		if k := gemvFast(c, a, b, o.LDB); k > 0 { // every row of B, over k elements
			if k < o.K { // the rest of each row
				for j := range c {
					c[j] += dotGo(a[k:], b[j*o.LDB+k:j*o.LDB+o.K])
				}
			}
			continue
		}
		for j := range c {
			c[j] += Dot(a, b[j*o.LDB:j*o.LDB+o.K])
		}
	}
}
