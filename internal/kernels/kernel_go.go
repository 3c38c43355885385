// The plain Go micro-kernel (kernelGo) and its one-row forms: what runs
// on CPUs without the assembly kernels and in the WebAssembly playground,
// and the reference the assembly forms sum each element as.
//
// Each product is converted to float32 before it is added, here and in
// gemmTiny (small.go), which gives kernelGo's bits: Go may fuse a multiply
// and an add into one rounding, and fused them in some of these loops and
// not others (amd64 with GOAMD64=v3, arm64), so that a row computed alone
// differed from the same row among others. The conversion forbids the
// fusion everywhere.

package kernels

// rowPanelsGo is rowGo over packed panels side by side, stride floats
// apart.
func rowPanelsGo(k int, a, b []float32, stride int, c []float32) {
	for j := 0; j+nr <= len(c); j += nr {
		rowGo(k, a, b[j/nr*stride:], nr, c[j:j+nr])
	}
}

// rowGo is kernelGo for one row of A, read in place, and len(c) columns
// (a multiple of nr), each element summed as kernelGo sums it.
//
//	a: [k], b: [k, len(c)] with row stride ldb, c: [len(c)]
func rowGo(k int, a, b []float32, ldb int, c []float32) {
	for j0 := 0; j0+nr <= len(c); j0 += nr {
		var acc [nr]float32
		for p := range k {
			ai := a[p]
			bp := b[p*ldb+j0 : p*ldb+j0+nr]
			for j := range nr {
				acc[j] += float32(ai * bp[j])
			}
		}
		row := c[j0 : j0+nr]
		for j := range nr {
			row[j] += acc[j]
		}
	}
}

// kernelGo is the micro-kernel in plain Go: c[i][j] += Σ_p a[p·6+i]·b[p·ldb+j]
// over a 6×16 tile whose rows are ldc apart (with store, c[i][j] = the sum,
// plus bias[j] when bias is not nil).
// It works on a 3×4 block of the tile at a time in twelve scalar
// accumulators, which compilers keep in registers (in WebAssembly, six
// times faster than an accumulator array); each element is summed from
// zero over p, then added to c (or stored).
//
//	a: [k, 6] packed, b: [k, 16] with row stride ldb, c: [6, 16] with row stride ldc
func kernelGo(k int, a, b []float32, ldb int, c []float32, ldc int, store bool, bias []float32) {
	const mr = 6
	for i0 := 0; i0 < mr; i0 += 3 {
		for j0 := 0; j0 < nr; j0 += 4 {
			var c00, c01, c02, c03, c10, c11, c12, c13, c20, c21, c22, c23 float32
			ai, bj := a[i0:], b[j0:]
			for p := range k {
				ap := ai[p*mr : p*mr+3 : p*mr+3]
				bp := bj[p*ldb : p*ldb+4 : p*ldb+4]
				a0, a1, a2 := ap[0], ap[1], ap[2]
				b0, b1, b2, b3 := bp[0], bp[1], bp[2], bp[3]
				c00 += float32(a0 * b0)
				c01 += float32(a0 * b1)
				c02 += float32(a0 * b2)
				c03 += float32(a0 * b3)
				c10 += float32(a1 * b0)
				c11 += float32(a1 * b1)
				c12 += float32(a1 * b2)
				c13 += float32(a1 * b3)
				c20 += float32(a2 * b0)
				c21 += float32(a2 * b1)
				c22 += float32(a2 * b2)
				c23 += float32(a2 * b3)
			}
			r0 := c[i0*ldc+j0 : i0*ldc+j0+4 : i0*ldc+j0+4]
			r1 := c[(i0+1)*ldc+j0 : (i0+1)*ldc+j0+4 : (i0+1)*ldc+j0+4]
			r2 := c[(i0+2)*ldc+j0 : (i0+2)*ldc+j0+4 : (i0+2)*ldc+j0+4]
			if store && bias != nil {
				bj := bias[j0 : j0+4 : j0+4]
				r0[0], r0[1], r0[2], r0[3] = c00+bj[0], c01+bj[1], c02+bj[2], c03+bj[3]
				r1[0], r1[1], r1[2], r1[3] = c10+bj[0], c11+bj[1], c12+bj[2], c13+bj[3]
				r2[0], r2[1], r2[2], r2[3] = c20+bj[0], c21+bj[1], c22+bj[2], c23+bj[3]
				continue
			}
			if store {
				r0[0], r0[1], r0[2], r0[3] = c00, c01, c02, c03
				r1[0], r1[1], r1[2], r1[3] = c10, c11, c12, c13
				r2[0], r2[1], r2[2], r2[3] = c20, c21, c22, c23
				continue
			}
			r0[0], r0[1], r0[2], r0[3] = r0[0]+c00, r0[1]+c01, r0[2]+c02, r0[3]+c03
			r1[0], r1[1], r1[2], r1[3] = r1[0]+c10, r1[1]+c11, r1[2]+c12, r1[3]+c13
			r2[0], r2[1], r2[2], r2[3] = r2[0]+c20, r2[1]+c21, r2[2]+c22, r2[3]+c23
		}
	}
}
