package kernels

import "testing"

// TestCallerShareAdapts checks that the caller's share grows when it keeps
// waiting for the helper, shrinks when it does not, stays between its
// bounds, and splits whole panels.
func TestCallerShareAdapts(t *testing.T) {
	h := &helper{callerShare: 8}
	if got := h.callerPart(256, 16); got != 128 {
		t.Fatalf("first split of 256: caller takes %d, want 128", got)
	}
	if got := h.callerPart(1, 16); got != 16 {
		t.Fatalf("split of 1: caller takes %d, want one panel of 16", got)
	}
	loops := func(n int, waited bool) {
		for range n {
			h.adapt(waited)
		}
	}
	loops(64, true)
	if h.callerShare != 9 {
		t.Fatalf("after 64 waits: share %d/16, want 9", h.callerShare)
	}
	if got := h.callerPart(256, 16); got != 144 {
		t.Fatalf("share 9/16 of 256: %d, want 144", got)
	}
	loops(64*20, true)
	if h.callerShare != maxShare {
		t.Fatalf("after many waits: share %d/16, want the bound %d", h.callerShare, maxShare)
	}
	for range 64 { // as often waiting as not: no move
		h.adapt(h.loops%2 == 0)
	}
	if h.callerShare != maxShare {
		t.Fatalf("balanced waits moved the share to %d/16", h.callerShare)
	}
	loops(64*20, false)
	if h.callerShare != minShare {
		t.Fatalf("after no waits: share %d/16, want the bound %d", h.callerShare, minShare)
	}
}
