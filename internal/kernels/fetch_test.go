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
