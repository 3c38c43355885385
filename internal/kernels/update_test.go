package kernels

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestUpdatesMatchGo holds the assembly optimizer updates to the Go loops,
// bit for bit, on lengths around each multiple of 16 and one long enough to
// be shared with the helper, with buffers that shrink past the floor
// (momentumFloor), NaN and infinities among them.
func TestUpdatesMatchGo(t *testing.T) {
	posted := splitting(t)
	rng := rand.New(rand.NewPCG(8, 8))
	for _, c := range []struct {
		name        string
		fast, plain func(w, buf, g []float32, lr, mu float32)
	}{
		{"momentum", MomentumStep, func(w, buf, g []float32, lr, mu float32) { momentumGo(w, buf, g, lr, mu, momentumFloor(lr, mu)) }},
		{"nesterov", NesterovStep, func(w, buf, g []float32, lr, mu float32) { nesterovGo(w, buf, g, lr, mu, momentumFloor(lr, mu)) }},
	} {
		for _, n := range []int{1, 15, 16, 17, 33, 100, 1000, 3*minHelperUpdate + 5} { // the last shared with the helper
			w, buf, g := randSlice(rng, n), randSlice(rng, n), randSlice(rng, n)
			for i := range buf {
				switch i % 5 {
				case 1: // no gradient: a buffer near the floor, which the step takes below it or keeps
					buf[i], g[i] = float32(i%3)*0x1p-123, 0
				case 3:
					buf[i] = []float32{float32(math.NaN()), float32(math.Inf(1)), float32(math.Inf(-1)), 0x1p-140}[i%4]
				}
			}
			wantW, wantBuf := slices.Clone(w), slices.Clone(buf)
			before := posted()
			c.fast(w, buf, g, 0.1, 0.9)
			if shared := posted() != before; shared != (n >= minHelperUpdate) {
				t.Errorf("%s, n=%d: shared with the helper %v, want %v", c.name, n, shared, !shared)
			}
			c.plain(wantW, wantBuf, g, 0.1, 0.9)
			if !sameBits(w, wantW) || !sameBits(buf, wantBuf) {
				t.Fatalf("%s, n=%d: differs from the Go loop", c.name, n)
			}
		}
	}
	for _, n := range []int{1, 15, 16, 17, 33, 100, 1000} {
		y, x := randSlice(rng, n), randSlice(rng, n)
		want := slices.Clone(y)
		Axpy(y, x, -0.3)
		axpyGo(want, x, -0.3)
		if !slices.Equal(y, want) {
			t.Fatalf("axpy, n=%d: differs from the Go loop", n)
		}
	}
}

// TestMomentumFloorFlushesOnlyTheNegligible checks the floor: 0 for a
// buffer whose step could not move a weight of 2⁻¹⁰³ or more, never for a
// NaN or an infinity, and only below the smallest normal number divided by
// lr or mu.
func TestMomentumFloorFlushesOnlyTheNegligible(t *testing.T) {
	for _, c := range []struct{ lr, mu, want float32 }{
		{0.1, 0.9, 0x1p-126 / 0.1}, {1, 0.5, 0x1p-125}, {2, 1, 0x1p-126}, {0, 0.9, 0x1p-126 / 0.9},
	} {
		if got := momentumFloor(c.lr, c.mu); got != c.want {
			t.Errorf("momentumFloor(%v, %v) = %v; want %v", c.lr, c.mu, got, c.want)
		}
	}
	floor := momentumFloor(0.01, 0.9)
	for _, c := range []struct{ b, want float32 }{
		{floor / 2, 0}, {-floor / 2, 0}, {floor, floor}, {-floor, -floor}, {1, 1},
		{float32(math.Inf(1)), float32(math.Inf(1))},
	} {
		if got := flush(c.b, floor); got != c.want {
			t.Errorf("flush(%v) = %v; want %v", c.b, got, c.want)
		}
	}
	if got := flush(float32(math.NaN()), floor); got == got {
		t.Errorf("flush(NaN) = %v; want NaN", got)
	}
	w, buf, g := []float32{1, 1}, []float32{0x1p-110, 0x1p-119}, []float32{0, 0}
	MomentumStep(w, buf, g, 0.01, 0.5) // the floor is 2⁻¹²⁶/0.01, about 2⁻¹¹⁹·⁴
	if buf[0] != 0x1p-111 || buf[1] != 0 {
		t.Errorf("buffers 2^-110 and 2^-119 after a step with mu 0.5: %v; want 2^-111 (kept) and 0 (below the floor)", buf)
	}
}

// sameBits tells whether a and b hold the same float32 bits (NaN included).
func sameBits(a, b []float32) bool {
	return slices.EqualFunc(a, b, func(x, y float32) bool { return math.Float32bits(x) == math.Float32bits(y) })
}

// TestAdamMatchesGo holds the assembly Adam step to the Go loop, bit for
// bit, with and without weight decay and eps, on lengths around each
// multiple of 8 and one split with the helper, with moments near the
// floor, NaN and infinities among them; and checks one step against
// float64 arithmetic.
func TestAdamMatchesGo(t *testing.T) {
	posted := splitting(t)
	rng := rand.New(rand.NewPCG(9, 9))
	for _, a := range []Adam{
		{Keep: 1, Beta1: 0.9, Scale1: 0.1, Beta2: 0.999, Scale2: 0.001, StepSize: 0.01, Correction: 0.0447, Eps: 1e-8},
		{Keep: 0.999, Beta1: 0.8, Scale1: 0.2, Beta2: 0.99, Scale2: 0.01, StepSize: 0.003, Correction: 0.5, Eps: 0},
	} {
		for _, n := range []int{1, 7, 8, 9, 17, 100, 1003, 3*minHelperUpdate + 5} {
			w, m, g := randSlice(rng, n), randSlice(rng, n), randSlice(rng, n)
			v := randSlice(rng, n)
			special := []float32{float32(math.NaN()), float32(math.Inf(1)), float32(math.Inf(-1))}
			for i := range v {
				v[i] *= v[i] // v ≥ 0
				switch i % 6 {
				case 1:
					m[i], v[i], g[i] = 0x1p-126, 0x1p-126, 0 // taken below the floor by this step
				case 2:
					v[i] = float32(math.Inf(1))
				case 4:
					g[i] = special[(i/6)%3]
				case 5:
					m[i] = special[(i/6)%3]
				}
			}
			wantW, wantM, wantV := slices.Clone(w), slices.Clone(m), slices.Clone(v)
			AdamStep(w, m, v, g, a)
			adamGo(wantW, wantM, wantV, g, a, adamFloor(a.Eps))
			if !sameBits(w, wantW) || !sameBits(m, wantM) || !sameBits(v, wantV) {
				t.Fatalf("%+v, n=%d: differs from the Go loop", a, n)
			}
			for i := 1; i < n && a.Eps > 0; i += 6 {
				if m[i] != 0 || v[i] != 0 {
					t.Fatalf("%+v: moments 2^-126 without gradient became m %v, v %v; want 0 (below the floor)", a, m[i], v[i])
				}
			}
		}
	}
	// One element against float64: float32 rounding leaves a few ulps.
	a := Adam{Keep: 0.999, Beta1: 0.9, Scale1: 0.1, Beta2: 0.999, Scale2: 0.001, StepSize: 0.1, Correction: 0.0447, Eps: 1e-8}
	w, m, v, g := []float32{1}, []float32{0.2}, []float32{0.03}, []float32{-0.5}
	mw := 0.9*0.2 + 0.1*-0.5
	vw := 0.999*0.03 + 0.001*0.25
	ww := 1*0.999 - 0.1*mw/(math.Sqrt(vw)/0.0447+1e-8)
	AdamStep(w, m, v, g, a)
	if math.Abs(float64(w[0])-ww) > 1e-6 || math.Abs(float64(m[0])-mw) > 1e-7 || math.Abs(float64(v[0])-vw) > 1e-8 {
		t.Errorf("AdamStep: w %v m %v v %v; float64 gives %v %v %v", w[0], m[0], v[0], ww, mw, vw)
	}
	if adamFloor(0) != 0 || adamFloor(1e-8) != 0x1p-126 {
		t.Errorf("adamFloor: %v for eps 0, %v for 1e-8", adamFloor(0), adamFloor(1e-8))
	}
	if posted() == 0 {
		t.Error("no step went to the helper")
	}
}

// TestRMSMatchesGo holds the assembly RMSprop/Adagrad step to the Go loop,
// bit for bit, for both optimizers' constants, with and without eps, on
// lengths around each multiple of 8 and one split with the helper.
func TestRMSMatchesGo(t *testing.T) {
	posted := splitting(t)
	rng := rand.New(rand.NewPCG(10, 10))
	for _, c := range []struct{ keep, scale, lr, eps float32 }{
		{0.99, 0.01, 0.01, 1e-8}, // RMSprop
		{1, 1, 0.1, 1e-10},       // Adagrad
		{0.9, 0.1, 0.01, 0},
	} {
		for _, n := range []int{1, 7, 8, 9, 17, 100, 1003, 3*minHelperUpdate + 5} {
			w, v, g := randSlice(rng, n), randSlice(rng, n), randSlice(rng, n)
			special := []float32{float32(math.NaN()), float32(math.Inf(1)), float32(math.Inf(-1))}
			for i := range v {
				v[i] *= v[i]
				switch i % 6 {
				case 1:
					v[i], g[i] = 0x1p-126, 0 // below the floor after a step with keep < 1
				case 2:
					v[i] = float32(math.Inf(1))
				case 4:
					g[i] = special[(i/6)%3]
				case 5:
					v[i] = special[(i/6)%2] // NaN or +Inf
				}
			}
			wantW, wantV := slices.Clone(w), slices.Clone(v)
			RMSStep(w, v, g, c.keep, c.scale, c.lr, c.eps)
			rmsGo(wantW, wantV, g, c.keep, c.scale, c.lr, c.eps, adamFloor(c.eps))
			if !sameBits(w, wantW) || !sameBits(v, wantV) {
				t.Fatalf("%+v, n=%d: differs from the Go loop", c, n)
			}
			for i := 1; i < n && c.eps > 0 && c.keep < 1; i += 6 {
				if v[i] != 0 {
					t.Fatalf("%+v: v 2^-126 without gradient became %v; want 0 (below the floor)", c, v[i])
				}
			}
		}
	}
	if posted() == 0 {
		t.Error("no step went to the helper")
	}
}
