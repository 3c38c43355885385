package kernels

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestSoftmaxRowMatchesMathExp holds SoftmaxRow, in assembly where this
// CPU runs it, to its Go form over math.Exp: every length up to 70 (the
// masked last eight), logits of several spreads, −Inf among them, scaled
// or not; each exponential within 4 ULP of float64 (the largest exactly
// 1), the sum within 1e-15, each y within one float32 step (and almost
// always the same); nothing written past y's and e's lengths.
func TestSoftmaxRowMatchesMathExp(t *testing.T) {
	rng := rand.New(rand.NewPCG(14, 14))
	same, all := 0, 0
	for _, scale := range []float64{1, 1.0 / 128} {
		for _, spread := range []float64{0.01, 1, 30, 1e4} {
			for n := 1; n <= 70; n++ {
				x := make([]float32, n)
				for i := range x {
					x[i] = float32(rng.NormFloat64() * spread)
				}
				if n > 3 {
					x[n/2] = float32(math.Inf(-1))
				}
				m := math.Inf(-1)
				for _, v := range x {
					m = max(m, float64(v))
				}
				e, y := make([]float64, n+9), make([]float32, n+17)
				for i := range e {
					e[i] = -1 // sentinels past the ends
				}
				for i := range y {
					y[i] = -1
				}
				sum := SoftmaxRow(y[:n], e[:n], x, m, scale)
				wantE, wantY := make([]float64, n), make([]float32, n)
				want := softmaxRowGo(wantY, wantE, x, m, scale)
				for j, v := range x {
					got, ref := e[j], wantE[j]
					if float64(v) == m && got != 1 {
						t.Fatalf("spread %v, n=%d: e^0 = %v", spread, n, got)
					}
					if diff := math.Abs(got - ref); diff > 4*ulp(ref) && diff > 1e-300 {
						t.Fatalf("spread %v, n=%d: e^(%v − %v) = %v, math.Exp %v (%.1f ULP)", spread, n, v, m, got, ref, diff/ulp(ref))
					}
					if y[j] != wantY[j] && math.Nextafter32(y[j], wantY[j]) != wantY[j] {
						t.Fatalf("spread %v, n=%d, scale %v: y[%d] = %v, the Go form's %v", spread, n, scale, j, y[j], wantY[j])
					}
					all++
					if y[j] == wantY[j] {
						same++
					}
				}
				for j := n; j < len(e); j++ {
					if e[j] != -1 {
						t.Fatalf("n=%d: e[%d] past the end written: %v", n, j, e[j])
					}
				}
				for j := n; j < len(y); j++ {
					if y[j] != -1 {
						t.Fatalf("n=%d: y[%d] past the end written: %v", n, j, y[j])
					}
				}
				if math.Abs(sum-want) > 1e-15*want {
					t.Fatalf("spread %v, n=%d: sum %v, the Go form's %v", spread, n, sum, want)
				}
			}
		}
	}
	if same < all*999/1000 {
		t.Errorf("%d of %d outputs differ from the Go form's by a float32 step", all-same, all)
	}
}

// ulp is the spacing of float64s at v.
func ulp(v float64) float64 { return math.Nextafter(v, math.Inf(1)) - v }

// TestSoftmaxRowsMatchesSoftmaxRow holds SoftmaxRows to RowMax and
// SoftmaxRow row by row, bit for bit (y and each sum; each maximum equal,
// of ±0 either): row counts that leave groups of eight
// and a rest, every width up to 66 (past maxRowsCols too), logits of
// several spreads, some far enough below the maximum to underflow, rows
// holding NaN, ±Inf or only −Inf among rows that go eight at a time, and
// nothing written past y's rows.
func TestSoftmaxRowsMatchesSoftmaxRow(t *testing.T) {
	rng := rand.New(rand.NewPCG(15, 15))
	for _, scale := range []float64{1, 1.0 / 128} {
		for _, spread := range []float64{1, 300} {
			for cols := 1; cols <= 66; cols++ {
				for _, rows := range []int{1, 7, 8, 9, 17, 24} {
					x := make([]float32, rows*cols)
					for i := range x {
						x[i] = float32(rng.NormFloat64() * spread)
					}
					if rows > 8 { // a group of eight with a special row, and a special row in the rest
						for _, r := range []int{rng.IntN(8), 8 + rng.IntN(rows-8)} {
							special := []float32{float32(math.NaN()), float32(math.Inf(1)), float32(math.Inf(-1))}[rng.IntN(3)]
							x[r*cols+rng.IntN(cols)] = special
							if rng.IntN(4) == 0 {
								for j := range cols {
									x[r*cols+j] = float32(math.Inf(-1))
								}
							}
						}
					}
					m := make([]float64, rows)
					for r := range m {
						m[r] = -7 // to be written
					}
					y, sums := make([]float32, rows*cols+5), make([]float64, rows)
					for i := range y {
						y[i] = -1
					}
					SoftmaxRows(y[:rows*cols], x, cols, m, sums, scale)
					for r := range rows {
						row := x[r*cols : (r+1)*cols]
						wantM := RowMax(row)
						if m[r] != wantM && !(math.IsNaN(m[r]) && math.IsNaN(wantM)) {
							t.Fatalf("%d×%d, spread %v: row %d's maximum %v, RowMax's %v", rows, cols, spread, r, m[r], wantM)
						}
						want, e := make([]float32, cols), make([]float64, cols)
						wantSum := SoftmaxRow(want, e, row, wantM, scale)
						if math.Float64bits(sums[r]) != math.Float64bits(wantSum) && !(math.IsNaN(sums[r]) && math.IsNaN(wantSum)) {
							t.Fatalf("%d×%d, spread %v, scale %v: row %d's sum %v, SoftmaxRow's %v", rows, cols, spread, scale, r, sums[r], wantSum)
						}
						for j := range cols {
							got := y[r*cols+j]
							if math.Float32bits(got) != math.Float32bits(want[j]) && !(got != got && want[j] != want[j]) {
								t.Fatalf("%d×%d, spread %v, scale %v: y[%d][%d] = %v, SoftmaxRow's %v", rows, cols, spread, scale, r, j, got, want[j])
							}
						}
					}
					for j := rows * cols; j < len(y); j++ {
						if y[j] != -1 {
							t.Fatalf("%d×%d: y[%d] past the rows written: %v", rows, cols, j, y[j])
						}
					}
				}
			}
		}
	}
}

// TestSoftmaxEightTakesFiniteRows checks which groups of eight rows the
// AVX-512 form takes (the others go a row at a time, with the same bits,
// so TestSoftmaxRowsMatchesSoftmaxRow alone would not see it decline
// them all): rows whose largest values are finite, −Inf among them too,
// and not a row holding NaN, nor one whose largest value is ±Inf.
func TestSoftmaxEightTakesFiniteRows(t *testing.T) {
	if !HasAVX512 {
		t.Skip("no AVX-512 form on this CPU or build")
	}
	inf, nan := float32(math.Inf(1)), float32(math.NaN())
	for _, c := range []struct {
		name string
		set  func(x []float32) // x: eight rows of ten
		want bool
	}{
		{"finite", func(x []float32) {}, true},
		{"−Inf among finite", func(x []float32) { x[33] = -inf }, true},
		{"NaN", func(x []float32) { x[47] = nan }, false},
		{"+Inf", func(x []float32) { x[71] = inf }, false},
		{"a row of −Inf", func(x []float32) {
			for j := range 10 {
				x[50+j] = -inf
			}
		}, false},
	} {
		x := make([]float32, 80)
		for i := range x {
			x[i] = float32(i%13) - 6
		}
		c.set(x)
		y, m, sums := make([]float32, 80), make([]float64, 8), make([]float64, 8)
		var e [8 * maxRowsCols]float64
		if got := softmaxEightFast(y, x, 10, m, sums, 1, &e); got != c.want {
			t.Errorf("%s: taken %v, want %v", c.name, got, c.want)
		}
	}
}

// TestArgmaxMatchesTheLoop holds Argmax, in one vector where this CPU has
// AVX-512, to the loop of comparisons (argmaxGo) on every length to 20
// (past the vector's 16): values drawn from a few, so that ties are
// common, with NaN, ±Inf and ±0 among them, NaN in row[0] too; and checks
// that the vector takes rows of 1 to 16.
func TestArgmaxMatchesTheLoop(t *testing.T) {
	rng := rand.New(rand.NewPCG(16, 16))
	nan, inf := float32(math.NaN()), float32(math.Inf(1))
	values := []float32{-2, -1, float32(math.Copysign(0, -1)), 0, 1, 2, inf, -inf, nan}
	for n := 0; n <= 20; n++ {
		for trial := 0; trial < 2000; trial++ {
			row := make([]float32, n)
			for i := range row {
				row[i] = values[rng.IntN(len(values))]
			}
			if got, want := Argmax(row), argmaxGo(row); got != want {
				t.Fatalf("Argmax(%v) = %d, the loop's %d", row, got, want)
			}
		}
		if HasAVX512 && n >= 1 && n <= 16 && argmaxFast(make([]float32, n)) < 0 {
			t.Errorf("%d values: not taken in a vector", n)
		}
	}
}

// TestSoftmaxRowsTakesGroupsOfEight checks that SoftmaxRows takes whole
// groups of eight rows in vectors, and gives a group they decline to the
// row form whole rather than trying again a row later (which would take
// rows 11–18): 27 rows, a NaN in the second group, two groups taken.
func TestSoftmaxRowsTakesGroupsOfEight(t *testing.T) {
	var e [8 * maxRowsCols]float64
	if !softmaxEightFast(make([]float32, 80), make([]float32, 80), 10, make([]float64, 8), make([]float64, 8), 1, &e) {
		t.Skip("no vector form on this CPU or build")
	}
	const rows, cols = 27, 10
	x := make([]float32, rows*cols)
	for i := range x {
		x[i] = float32(i%7) - 3
	}
	x[10*cols+4] = float32(math.NaN())
	if taken := softmaxRows(make([]float32, rows*cols), x, cols, make([]float64, rows), make([]float64, rows), 1); taken != 2 {
		t.Errorf("%d groups taken in vectors; want 2", taken)
	}
}
