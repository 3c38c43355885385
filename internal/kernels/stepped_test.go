package kernels

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestStepMatchesProductThenStep holds a product with Op.Step to the
// product into C and then MomentumStep (or NesterovStep), bit for bit in
// the weights and buffers, on one thread and on two, with every
// micro-kernel: weight gradients of several shapes (ragged last bands and
// panels, whole pairs of panels only, several kc blocks with B read in
// place and packed, one band, an operand past maxSharedPack), whose full
// bands step from the tiles' sums where the kernel has pairStep, and products that cannot step in bands
// (Accumulate, rows of C apart, a single row, no k, an operand past
// maxStepPack; one band on two threads, which gemm would share by
// columns), which store C and then step. A row of each gradient is zero,
// and its buffers fall below momentumFloor. It checks which way each
// went: C untouched (NaN) where bands stepped, and one loop posted where
// the helper shared them.
func TestStepMatchesProductThenStep(t *testing.T) {
	posted := splitting(t)
	saved := kernel
	defer func() { kernel = saved }()
	rng := rand.New(rand.NewPCG(9, 9))
	for _, c := range []struct {
		name           string
		m, n, k        int
		transA, transB bool
		acc, apart     bool
		inBands        bool
	}{
		{"weight gradient, B read in place", 256, 784, 128, true, false, false, false, true},
		{"weight gradient, ragged, B packed", 37, 300, 70, true, true, false, false, true},
		{"weight gradient, several kc blocks", 50, 200, 600, true, false, false, false, true},
		{"several kc blocks, B packed", 30, 100, 520, true, true, false, false, true},
		{"whole pairs of panels only", 24, 64, 40, true, false, false, false, true},
		{"an operand past maxSharedPack: still bands", 64, 2100, 130, true, false, false, false, true},
		{"an operand past maxStepPack: stored, then stepped", 64, 8200, 128, true, false, false, false, false},
		{"ten units", 10, 256, 128, true, false, false, false, true},
		{"not transposed", 100, 90, 80, false, false, false, false, true},
		{"accumulating: stored, then stepped", 64, 100, 128, true, false, true, false, false},
		{"rows of C apart: stored, then stepped", 64, 100, 128, true, false, false, true, false},
		{"a single row: no tiles, stored, then stepped", 1, 50, 30, false, false, false, false, false},
		{"two bands, too little work to share", 13, 40, 8, true, false, false, false, true},
		{"no k: a step with zeros", 20, 30, 0, true, false, false, false, false},
	} {
		for _, nesterov := range []bool{false, true} {
			for _, kernel = range kernels() {
				for _, threads := range []int{1, 2} {
					name := fmt.Sprintf("%s, nesterov %v, %s, %d threads", c.name, nesterov, kernel.name, threads)
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
					Gemm(stepped)
					if !sameBits(w, wantW) || !sameBits(buf, wantBuf) {
						t.Errorf("%s: weights or buffers differ from the product and then the step", name)
					}
					// In bands where gemm too would run alone, or shared where
					// there are two bands or more; else stored, then stepped.
					work, bands := c.m*c.n*c.k, (c.m+kernel.rows-1)/kernel.rows
					alone := threads == 1 || work < minHelperWork
					inBands := c.inBands && (alone || bands >= 2)
					untouched := !c.acc && math.IsNaN(float64(stepped.C[0])) && math.IsNaN(float64(stepped.C[len(stepped.C)-1]))
					if untouched != inBands {
						t.Errorf("%s: C untouched %v, want %v (stepped in bands)", name, untouched, inBands)
					}
					if loops := posted() - before; inBands && loops != map[bool]uint64{false: 0, true: 1}[!alone] {
						t.Errorf("%s: %d loops posted, want shared %v", name, loops, !alone)
					}
				}
			}
		}
	}
}

// decaying zeros row i of op(A), and so of the gradient, and puts in
// that row of buf values that fall below momentumFloor (tiny, subnormal),
// one that stays above it, and a NaN, which passes.
func decaying(o Op, buf []float32, i int) {
	for p := range o.K {
		if o.TransA {
			o.A[p*o.LDA+i] = 0
		} else {
			o.A[i*o.LDA+p] = 0
		}
	}
	row := buf[i*o.LDC : i*o.LDC+o.N]
	for j := range row {
		row[j] = [...]float32{1e-38, -1e-39, 1e-37, -2e-38}[j%4]
	}
	row[len(row)/2] = float32(math.NaN())
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
