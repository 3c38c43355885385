// Products too small for tiles: a few rows of A against a B read in
// place (gemmRows), and the tiniest products of the plain Go kernel
// (gemmTiny). Each element is summed as the tiles sum it.

package kernels

import "sync"

// maxRowProduct is the most rows of A a product with B read in place
// computes a row at a time (gemmRows) rather than in tiles.
const maxRowProduct = 4

// gemmRows computes o, whose B is not transposed, a row of A at a time
// with the micro-kernel's row form: nothing is packed but a last panel
// narrower than nr, and no tile computes rows of zeros. Each element is
// summed as the tiles sum it, a kc block at a time, so a row gives the
// same bits here as among many rows (inference of a frozen network relies
// on it).
func gemmRows(o *Op) {
	full := o.N / nr * nr
	var narrow *narrowPanel
	if full < o.N {
		narrow = narrowPanels.Get().(*narrowPanel)
		defer narrowPanels.Put(narrow)
	}
	for i := range o.M {
		a := o.A[i*o.LDA:][:o.K]
		c := o.C[i*o.LDC:][:o.N]
		for pc := 0; pc < o.K; pc += kc {
			kcur := min(kc, o.K-pc)
			ap := a[pc : pc+kcur]
			if full > 0 {
				kernel.row(kcur, ap, o.B[pc*o.LDB:], o.LDB, c[:full])
			}
			if w := o.N - full; w > 0 { // the last, narrow panel, padded with zeros as panelB pads it
				panel := narrow.b[:kcur*nr]
				clear(panel)
				packRows(panel, o.B[pc*o.LDB+full:], o.LDB, kcur, w)
				addLastPanel(c[full:], ap, panel, &narrow.tile)
			}
		}
	}
}

// addLastPanel adds the row a times a panel of nr columns, zero-padded past
// the len(c) < nr that exist, to c, through tile: the last panel of a row.
func addLastPanel(c, a, panel []float32, tile *[nr]float32) {
	clear(tile[:])
	kernel.row(len(a), a, panel, nr, tile[:])
	for j := range c {
		c[j] += tile[j]
	}
}

// narrowPanel is gemmRows' buffer for a last panel narrower than nr, and
// its tile; pooled, so that a call allocates nothing in steady state.
type narrowPanel struct {
	b    [kc * nr]float32
	tile [nr]float32
}

var narrowPanels = sync.Pool{New: func() any { return new(narrowPanel) }}

// maxTinyWork is the most multiply-adds of a product that the plain Go
// kernel computes directly, without packing (gemmTiny): the products of a
// playground network, in WebAssembly.
const maxTinyWork = 1 << 11

// gemmTiny computes o with no packing and no tiles, each element summed
// as kernelGo sums it (from zero over each kc block, then added to C), so
// it gives the plain Go kernel's bits.
func gemmTiny(o *Op) {
	// op(A)[i][p] = A[i·ai + p·ap], op(B)[p][j] = B[p·bp + j·bj]
	ai, ap, bp, bj := o.LDA, 1, o.LDB, 1
	if o.TransA {
		ai, ap = 1, o.LDA
	}
	if o.TransB {
		bp, bj = 1, o.LDB
	}
	for pc := 0; pc < o.K; pc += kc {
		kcur := min(kc, o.K-pc)
		for i := range o.M {
			c := o.C[i*o.LDC : i*o.LDC+o.N]
			for j := range c {
				var acc float32
				ia, ib := i*ai+pc*ap, pc*bp+j*bj
				for range kcur {
					acc += float32(o.A[ia] * o.B[ib]) // rounded, as kernelGo rounds it
					ia, ib = ia+ap, ib+bp
				}
				c[j] += acc
			}
		}
	}
}
