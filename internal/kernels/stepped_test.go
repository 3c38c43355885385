package kernels

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sync/atomic"
	"testing"
)

// TestStepMatchesProductThenStep holds a product with Op.Step to the
// product into C and then MomentumStep (or NesterovStep), bit for bit in
// the weights and buffers, on one thread and on two, with every
// micro-kernel: weight gradients of several shapes (ragged last bands and
// panels, whole pairs of panels only, fewer than 32 columns, several kc
// blocks with B read in place and packed, B's rows 4 KiB apart (packed),
// one band, an operand past maxSharedPack in one kc block, and in several
// where blocksInBands holds, which each run takes both ways), whose full
// bands step from their tiles' sums where the kernel has pairStep, and
// products that cannot step in bands (Accumulate, rows of C apart, a
// single row, no k, an operand past maxStepPack; one band on two threads,
// which gemm would share by columns), which store C and then step. A row
// of each gradient is zero, and its buffers lie around momentumFloor. It
// checks which way each went: C untouched (NaN) where bands stepped, one
// loop posted where the helper shared them, and pairStep called where full
// bands' tiles step from their sums.
func TestStepMatchesProductThenStep(t *testing.T) {
	posted := splitting(t)
	saved, savedBlocks := kernel, blocksInBands
	defer func() { kernel, blocksInBands = saved, savedBlocks }()
	rng := rand.New(rand.NewPCG(9, 9))
	for _, c := range []struct {
		name           string
		m, n, k        int
		transA, transB bool
		acc, apart     bool
		inBands        bool
		tiles          bool // full bands' pairs of panels step from their sums, where the kernel can
		blocks         bool // in bands only where blocksInBands holds
	}{
		{"weight gradient, B read in place", 256, 784, 128, true, false, false, false, true, true, false},
		{"weight gradient, B's rows 4 KiB apart: packed", 70, 1024, 40, true, false, false, false, true, true, false},
		{"weight gradient, ragged, B packed", 37, 300, 70, true, true, false, false, true, true, false},
		{"weight gradient, several kc blocks", 50, 200, 600, true, false, false, false, true, true, false},
		{"several kc blocks, B packed, a last block of 8 steps", 30, 100, 520, true, true, false, false, true, true, false},
		{"K a multiple of kc, B packed, whole pairs of panels", 24, 96, 512, true, true, false, false, true, true, false},
		{"whole pairs of panels, several kc blocks", 24, 64, 300, true, false, false, false, true, true, false},
		{"fewer than 32 columns: no pair of panels", 24, 20, 40, true, false, false, false, true, false, false},
		{"an operand past maxSharedPack: still bands", 64, 2100, 130, true, false, false, false, true, true, false},
		{"an operand past maxSharedPack, one whole kc block, B packed: still bands", 24, 1100, 256, true, true, false, false, true, true, false},
		{"an operand past maxSharedPack, several kc blocks, B packed: bands where blocksInBands", 24, 520, 520, true, true, false, false, true, true, true},
		{"an operand past maxStepPack: stored, then stepped", 64, 8200, 128, true, false, false, false, false, false, false},
		{"ten units: no full band", 10, 256, 128, true, false, false, false, true, false, false},
		{"not transposed", 100, 90, 80, false, false, false, false, true, true, false},
		{"accumulating: stored, then stepped", 64, 100, 128, true, false, true, false, false, false, false},
		{"rows of C apart: stored, then stepped", 64, 100, 128, true, false, false, true, false, false, false},
		{"a single row: no tiles, stored, then stepped", 1, 50, 30, false, false, false, false, false, false, false},
		{"two bands, too little work to share", 13, 40, 8, true, false, false, false, true, true, false},
		{"no k: a step with zeros", 20, 30, 0, true, false, false, false, false, false, false},
	} {
		for _, nesterov := range []bool{false, true} {
			blocksInBands = !blocksInBands // each case and kernel one way without Nesterov, the other with
			for _, kernel = range kernels() {
				tiles := countTiles(&kernel)
				for _, threads := range []int{1, 2} {
					name := fmt.Sprintf("%s, nesterov %v, %s, %d threads, blocksInBands %v", c.name, nesterov, kernel.name, threads, blocksInBands)
					o := randomOp(rng, c.m, c.n, c.k, c.transA, c.transB, c.acc)
					if !c.apart {
						o.LDC = c.n
						o.C = o.C[:c.m*c.n]
					}
					w, buf := randSlice(rng, len(o.C)), randSlice(rng, len(o.C))
					buf[3] = 0 // a first step's buffer
					if c.m > 5 && c.k > 0 {
						decaying(o, buf, 5)
					}
					wantW, wantBuf := slices.Clone(w), slices.Clone(buf)
					plain := o
					plain.C = slices.Clone(o.C)
					SetThreads(1)
					Gemm(plain)
					stepRows(wantW, wantBuf, plain.C, c.m, c.n, o.LDC, nesterov)

					SetThreads(threads)
					before := posted()
					stepped := o
					if !c.acc {
						stepped.C = slices.Clone(o.C)
						for i := range stepped.C {
							stepped.C[i] = float32(math.NaN())
						}
					}
					stepped.Step = &MomentumUpdate{W: w, Buf: buf, LR: 0.05, Mu: 0.9, Nesterov: nesterov}
					tilesBefore := tiles.Load()
					Gemm(stepped)
					if !sameBits(w, wantW) || !sameBits(buf, wantBuf) {
						t.Errorf("%s: weights or buffers differ from the product and then the step", name)
					}
					// In bands where gemm too would run alone, or shared where
					// there are two bands or more; else stored, then stepped.
					work, bands := c.m*c.n*c.k, (c.m+kernel.rows-1)/kernel.rows
					alone := threads == 1 || work < minHelperWork
					inBands := c.inBands && (alone || bands >= 2) && (!c.blocks || blocksInBands)
					untouched := !c.acc && math.IsNaN(float64(stepped.C[0])) && math.IsNaN(float64(stepped.C[len(stepped.C)-1]))
					if untouched != inBands {
						t.Errorf("%s: C untouched %v, want %v (stepped in bands)", name, untouched, inBands)
					}
					if loops := posted() - before; inBands && loops != map[bool]uint64{false: 0, true: 1}[!alone] {
						t.Errorf("%s: %d loops posted, want shared %v", name, loops, !alone)
					}
					if stepped, want := tiles.Load() > tilesBefore, inBands && c.tiles && kernel.pairStep != nil; stepped != want {
						t.Errorf("%s: tiles stepped from their sums %v, want %v", name, stepped, want)
					}
				}
			}
		}
	}
}

// countTiles makes mk's pairStep, if it has one, count its calls.
func countTiles(mk *microKernel) *atomic.Int64 {
	var n atomic.Int64
	if step := mk.pairStep; step != nil {
		mk.pairStep = func(k int, a, b0, b1 []float32, ldb int, c []float32, ldc int, w, buf []float32, ldw int, nextW, nextBuf []float32, u *MomentumUpdate, floor float32) {
			n.Add(1)
			step(k, a, b0, b1, ldb, c, ldc, w, buf, ldw, nextW, nextBuf, u, floor)
		}
	}
	return &n
}

// decaying zeros row i of op(A), and so of the gradient, and fills that
// row of buf with buffersAtFloor and a NaN, which passes.
func decaying(o Op, buf []float32, i int) {
	for p := range o.K {
		if o.TransA {
			o.A[p*o.LDA+i] = 0
		} else {
			o.A[i*o.LDA+p] = 0
		}
	}
	row := buf[i*o.LDC : i*o.LDC+o.N]
	near := buffersAtFloor(0.05, 0.9)
	for j := range row {
		row[j] = near[j%len(near)]
	}
	row[len(row)/2] = float32(math.NaN())
}

// buffersAtFloor returns momentum buffers around momentumFloor(lr, mu)
// for a step with a zero gradient: b, the least whose mu·b is not below
// the floor (kept), the float before it (set to 0), the one after, their
// negatives, and a subnormal.
func buffersAtFloor(lr, mu float32) []float32 {
	floor := momentumFloor(lr, mu)
	inf := float32(math.Inf(1))
	b := floor / mu
	for float32(mu*b) < floor {
		b = math.Nextafter32(b, inf)
	}
	for float32(mu*math.Nextafter32(b, 0)) >= floor {
		b = math.Nextafter32(b, 0)
	}
	below, above := math.Nextafter32(b, 0), math.Nextafter32(b, inf)
	return []float32{b, below, above, -b, -below, -above, 1e-39}
}

// TestPairStepMatchesPairThenStep holds each kernel's pairStep to its pair
// kernel storing the tile (or adding it to c) and then MomentumStep or
// NesterovStep over the tile's rows, bit for bit, with k around the
// twelve steps that fetch the next tile, rows not aligned, and special
// values in the earlier blocks' sums and the buffers: NaN, ±Inf and ±0,
// and a row whose gradient is zero with buffers around the floor. It is
// skipped where no kernel of this CPU has pairStep.
func TestPairStepMatchesPairThenStep(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 4))
	const ldb, ldw = 20, 45
	const still = 5 // the tile's row whose gradient is zero
	special := []float32{float32(math.NaN()), float32(math.Inf(1)), float32(math.Inf(-1)), 0, float32(math.Copysign(0, -1))}
	tested := false
	for _, mk := range kernels() {
		if mk.pairStep == nil {
			continue
		}
		tested = true
		rows := mk.rows
		for _, k := range []int{1, 5, 11, 12, 13, 40, 256} {
			for _, nesterov := range []bool{false, true} {
				for _, withC := range []bool{false, true} {
					name := fmt.Sprintf("%s, k %d, nesterov %v, earlier blocks %v", mk.name, k, nesterov, withC)
					a := randSlice(rng, k*rows)
					b0, b1 := randSlice(rng, k*ldb), randSlice(rng, k*ldb)
					tile := randSlice(rng, rows*ldw) // the earlier blocks' sums, then the reference's gradient
					w, buf := randSlice(rng, rows*ldw), randSlice(rng, rows*ldw)
					for i := range rows {
						tile[i*ldw+i] = special[i%len(special)]
						buf[i*ldw+2*i+1] = special[(i+2)%len(special)]
					}
					near := buffersAtFloor(0.05, 0.9)
					for p := range k {
						a[p*rows+still] = 0
					}
					for j := range 2 * nr {
						tile[still*ldw+j] = 0
						buf[still*ldw+j] = near[j%len(near)]
					}
					var c []float32
					if withC {
						c = slices.Clone(tile)
					}
					u := &MomentumUpdate{W: slices.Clone(w), Buf: slices.Clone(buf), LR: 0.05, Mu: 0.9, Nesterov: nesterov}
					next := u.W // its own tile: the fetches change nothing
					mk.pairStep(k, a, b0, b1, ldb, c, ldw, u.W, u.Buf, ldw, next, u.Buf, u, momentumFloor(u.LR, u.Mu))

					mk.pair(rows, k, a, b0, b1, ldb, tile, ldw, !withC, false, nil)
					for i := range rows {
						r := i * ldw
						if nesterov {
							NesterovStep(w[r:r+2*nr], buf[r:r+2*nr], tile[r:r+2*nr], 0.05, 0.9)
						} else {
							MomentumStep(w[r:r+2*nr], buf[r:r+2*nr], tile[r:r+2*nr], 0.05, 0.9)
						}
					}
					if !sameBits(u.W, w) || !sameBits(u.Buf, buf) {
						t.Errorf("%s: weights or buffers differ from the pair kernel and then the step", name)
					}
				}
			}
		}
	}
	if !tested {
		t.Skip("no kernel of this CPU has pairStep")
	}
}

// stepRows steps w and buf, laid out as g (rows ld floats apart), with
// the product g.
func stepRows(w, buf, g []float32, m, n, ld int, nesterov bool) {
	for i := range m {
		r := i * ld
		if nesterov {
			NesterovStep(w[r:r+n], buf[r:r+n], g[r:r+n], 0.05, 0.9)
			continue
		}
		MomentumStep(w[r:r+n], buf[r:r+n], g[r:r+n], 0.05, 0.9)
	}
}
