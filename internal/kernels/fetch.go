package kernels

import "unsafe"

// FetchLines asks the core's caches for the lines that hold x (PREFETCHT0
// of each) and returns at once, for a loop about to read x from main
// memory: fetching what the loop reads next while it works on the present
// keeps several lines' latency under way at once (train's copyRows, a
// batch's gather, fetches each row two rows before it copies it: see
// rowsAhead there). It changes no value and never faults. Without the
// assembly kernels it does nothing. Safe for concurrent use.
//
//	x: [n]
func FetchLines(x []float32) {
	if len(x) == 0 {
		return
	}
	p := &x[0]
	off := uintptr(unsafe.Pointer(p)) % 64
	// One row: with ld a multiple of 16, linesSpanned counts from x's own
	// offset into its first line.
	fetchLines(p, linesSpanned(off, len(x), 16))
}
