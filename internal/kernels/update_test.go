package kernels

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// TestUpdatesMatchGo holds the assembly optimizer updates to the Go loops,
// bit for bit, on lengths around each multiple of 16 and one long enough to
// be shared with the helper.
func TestUpdatesMatchGo(t *testing.T) {
	defer KeepHelperAwake()()
	rng := rand.New(rand.NewPCG(8, 8))
	for _, c := range []struct {
		name        string
		fast, plain func(w, buf, g []float32, lr, mu float32)
	}{
		{"momentum", MomentumStep, momentumGo},
		{"nesterov", NesterovStep, nesterovGo},
	} {
		for _, n := range []int{1, 15, 16, 17, 33, 100, 1000, 3*minHelperUpdate + 5} { // the last shared with the helper
			w, buf, g := randSlice(rng, n), randSlice(rng, n), randSlice(rng, n)
			wantW, wantBuf := slices.Clone(w), slices.Clone(buf)
			c.fast(w, buf, g, 0.1, 0.9)
			c.plain(wantW, wantBuf, g, 0.1, 0.9)
			if !slices.Equal(w, wantW) || !slices.Equal(buf, wantBuf) {
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
