package kernels

import (
	"slices"
	"testing"
)

// FetchLines changes nothing, whatever the slice: empty, one float, a
// slice that starts mid-line or ends at its array's last element.
func TestFetchLinesChangesNothing(t *testing.T) {
	buf := make([]float32, 4099)
	for i := range buf {
		buf[i] = float32(i) * 0.5
	}
	want := slices.Clone(buf)
	for _, s := range [][]float32{nil, buf[:0], buf[:1], buf[3:20], buf[4000:], buf[len(buf)-1:], buf} {
		FetchLines(s)
	}
	if !slices.Equal(buf, want) {
		t.Fatal("FetchLines changed values")
	}
}

func TestLinesSpanned(t *testing.T) {
	for _, c := range []struct {
		off       uintptr
		floats    int
		ld        int
		wantLines int
	}{
		{0, 1, 16, 1},
		{0, 16, 16, 1},     // one whole line
		{0, 17, 16, 2},     // and a float of the next
		{60, 1, 16, 1},     // a line's last float
		{60, 2, 16, 2},     // across a line's end
		{4, 16, 16, 2},     // a line's worth, from the second float
		{32, 784, 784, 50}, // an MNIST row half a line in
		{0, 16, 20, 2},     // rows 20 floats apart start anywhere: the worst, 60 bytes in
	} {
		if got := linesSpanned(c.off, c.floats, c.ld); got != c.wantLines {
			t.Errorf("linesSpanned(%d, %d, %d) = %d, want %d", c.off, c.floats, c.ld, got, c.wantLines)
		}
	}
}
