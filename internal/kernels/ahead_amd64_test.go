//go:build amd64 && !purego

package kernels

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"unsafe"
)

// TestFetchingKernelsWalk calls the fetching kernels with counts of
// lines within their steps' budget and past it, from the start of a row
// and from within one, and holds where each kernel's walk stopped to the
// Go model's (fetchAhead.walk): the same number of lines fetched, along
// the same rows.
func TestFetchingKernelsWalk(t *testing.T) {
	if !HasAVX512 {
		t.Skip("no AVX-512")
	}
	rng := rand.New(rand.NewPCG(25, 25))
	region := randSlice(rng, 300*1010)
	f := fetchAhead{first: unsafe.Pointer(&region[0]), ld: 1010, lines: 3}
	a := randSlice(rng, 12*(256+5))
	b0, b1 := randSlice(rng, 256*nr), randSlice(rng, 256*nr)
	c := randSlice(rng, 12*2*nr)
	for _, k := range []int{1, 4, 7, 12, 13, 14, 40, 256} {
		for _, start := range []struct{ row, line int }{{0, 0}, {5, 2}} {
			from, left := start.row*f.ld*4+start.line*64, f.lines-start.line
			for _, count := range []int{-2, 0, 1, 2, 6, 20, 1000} {
				name := fmt.Sprintf("k %d, from row %d line %d, %d lines", k, start.row, start.line, count)
				steps := k - min(k, 12) // after the steps that fetch C
				for _, form := range []struct {
					name   string
					kernel func(k int, a, b0, b1 *float32, ldb int, c *float32, ldc int, store, relu bool, bias, ahead *float32, aheadFrom, aheadLd, aheadLines, aheadLeft, aheadCount int) int
					budget int
				}{
					{"packed A", gemmPairAheadAVX512_12x32, steps / 2},
					{"packed A, dense", gemmPairAheadDenseAVX512_12x32, steps},
				} {
					_, want := f.walk(from, left, max(0, min(count, form.budget)))
					got := form.kernel(k, &a[0], &b0[0], &b1[0], nr, &c[0], 2*nr, false, false, nil, &region[0], from, f.ld, f.lines, left, count)
					if got != want {
						t.Errorf("%s, %s: the walk stopped %d bytes past ahead, want %d", form.name, name, got, want)
					}
				}
				rowsBudget := rowsFetchBudget(k)
				_, want := f.walk(from, left, max(0, min(count/2*2, rowsBudget)))
				got := gemmPairRowsAheadAVX512_12x32(k, &a[0], 256+5, &b0[0], &b1[0], nr, &c[0], 2*nr, false, false, nil, &region[0], from, f.ld, f.lines, left, count)
				if got != want {
					t.Errorf("A in place, %s: the walk stopped %d bytes past ahead, want %d", name, got, want)
				}
			}
		}
	}
}
