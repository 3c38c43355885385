package kernels

// A product shared with the helper in many narrow bands rather than two
// parts. Split in two, each part packs the whole operand the other dimension
// shares (all of A when the parts are bands of columns of C, all of B when
// they are bands of rows): on the products of an MNIST training step that
// copy was made twice, and the two parts, whole panels apart, never came out
// even, so one thread waited for the other at the end of most products.
// Here the two threads first pack the shared operand once into one buffer,
// taking its panels from the two ends; then they take bands of C one panel
// wide from the two ends until none is left, so neither waits longer than
// one band.
//
// Each tile of C is computed by the same micro-kernel calls, on the same
// panels, in the same order of k blocks as gemmBlock computes it, so the
// results are those of any other split.

// maxSharedPack is the most floats of a shared operand's packing, 2 MB:
// a product with a larger one goes to the worker pool. The pool's blocks
// keep their packings in the L2 cache, where bands read one packing of all
// the shared operand: sgemm 1024³ (4 MB to pack once) ran at 197-200
// GFLOP/s in bands against the pool's 222-231.
// Below it, bands beat the pool, which wakes a parked worker and splits in
// two: MLPs of two hidden layers of 1024 and 2048 units at batch 128 went
// from 0.67 and 0.62 of the sgemm roof to 0.98 and 0.94, at batch 32 with
// 2048 units from 0.28 to 0.55 (perf.Scaling, two threads, Intel Xeon).
const maxSharedPack = 1 << 19

// sharedProduct is the state of a product computed in bands.
type sharedProduct struct {
	ofA     bool      // bands of columns reading A's panels, else bands of rows
	packing bool      // the loop packs panel i of the shared operand, else computes band i
	pack    bool      // the shared operand is packed (else read in place: no packing loop)
	stride  int       // floats between the shared packing's kc blocks, per step of k
	buf     []float32 // the shared packing, a kc block after another
	panels  int       // panels of the shared operand to pack
	bands   int       // bands of C
}

// shareBands computes o on the caller and the helper in bands one panel
// wide as sp lays them out (bandsOf, checked by fits), after a loop that
// packs the operand every band reads. The caller holds h.mu. (Bands of rows two or four panels high, which
// reuse each B panel from the L1 cache more, made an MNIST training step
// slower: 112-119k and 109-119k samples/s against 117-121k, alternated.)
func (h *helper) shareBands(o *Op, sp sharedProduct) {
	if sp.pack {
		if cap(h.packed) < sp.stride*o.K {
			h.packed = make([]float32, sp.stride*o.K)
		}
		sp.buf = h.packed[:sp.stride*o.K]
	}
	l := &h.l
	l.task, l.update, l.op = nil, false, *o
	l.shared = &h.product
	if sp.pack {
		sp.packing = true
		h.product = sp
		h.run(sp.panels)
		sp.packing = false
	}
	h.product = sp
	h.run(sp.bands)
	l.shared, h.product = nil, sharedProduct{}
}

// bandsOf lays out o in bands of rows of C (byRows) or of columns: the
// shared packing (its stride, and whether there is one), the panels it
// holds, and the bands.
func bandsOf(o *Op, byRows bool) (sp sharedProduct) {
	mr := kernel.rows
	sp.ofA = !byRows
	if byRows {
		sp.panels, sp.bands = (o.N+nr-1)/nr, (o.M+mr-1)/mr
		sp.pack, sp.stride = packsB(o, o.M), sp.panels*nr
	} else {
		sp.panels, sp.bands = (o.M+mr-1)/mr, (o.N+nr-1)/nr
		sp.pack, sp.stride = true, sp.panels*mr
	}
	return sp
}

// fits reports whether o laid out as sp has two bands or more, no more
// bands or panels to pack than a loop may have chunks (maxChunks), and a
// shared packing, if any, of maxSharedPack floats or fewer (the helper
// keeps that buffer).
func (sp *sharedProduct) fits(o *Op) bool {
	if sp.bands < 2 || sp.bands > maxChunks {
		return false
	}
	return !sp.pack || sp.stride*o.K <= maxSharedPack && sp.panels <= maxChunks
}

// packPanel packs panel p of the shared operand, every kc block of it, into
// its place in sp.buf: panel p of the block at k = pc starts at
// pc·stride + p·kcur·width floats, as packABlock and packBBlock lay a
// block's panels out.
func (sp *sharedProduct) packPanel(o *Op, p int) {
	mr := kernel.rows
	for pc := 0; pc < o.K; pc += kc {
		kcur := min(kc, o.K-pc)
		block := sp.buf[pc*sp.stride:]
		if sp.ofA {
			ic := p * mr
			packABlock(block[p*kcur*mr:], o, mr, ic, min(mr, o.M-ic), pc, kcur)
			continue
		}
		jc := p * nr
		packBBlock(block[p*kcur*nr:], o, pc, kcur, jc, min(nr, o.N-jc))
	}
}

// band computes band b of C, one panel wide, reading the shared packing.
func (sp *sharedProduct) band(o *Op, b int, s *scratch) {
	mk := kernel
	if sp.ofA {
		j0 := b * nr
		w := min(nr, o.N-j0)
		var pb []float32 // B's panels, when the product packs them
		if packsB(o, o.M) {
			pb = s.packB
		}
		for pc := 0; pc < o.K; pc += kc {
			kcur := min(kc, o.K-pc)
			if pb != nil {
				packBBlock(pb, o, pc, kcur, j0, w)
			}
			block := sp.buf[pc*sp.stride:]
			for ic := 0; ic < o.M; ic += mk.mc {
				mcur := min(mk.mc, o.M-ic)
				s.macroKernel(o, &mk, ic, mcur, pc, j0, w, kcur, block[(ic/mk.rows)*kcur*mk.rows:], pb, pc == 0 && !o.Accumulate)
			}
		}
		return
	}
	i0 := b * mk.rows
	i1 := min(i0+mk.rows, o.M)
	if !sp.pack { // B read in place (or packed once for good: PackedWeights)
		s.gemmBlock(o, i0, i1, 0, o.N)
		return
	}
	for pc := 0; pc < o.K; pc += kc {
		kcur := min(kc, o.K-pc)
		packABlock(s.packA, o, mk.rows, i0, i1-i0, pc, kcur)
		s.macroKernel(o, &mk, i0, i1-i0, pc, 0, o.N, kcur, s.packA, sp.buf[pc*sp.stride:], pc == 0 && !o.Accumulate)
	}
}
