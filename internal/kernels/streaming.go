package kernels

import "unsafe"

// Stores that go around the caches. In a training step split between the
// caller and the helper, the buffer the next batch is copied into was
// read by the other core in the step before, with whole-line loads. On a
// 2-vCPU Zen 5 EPYC with the vCPUs about 1 µs apart, rewriting 128 KB
// that the other core had read so took 18.8–20.5 µs, against 1.6 µs for
// lines only this core had touched and 3.7 µs for lines the other core
// had written; fetching the lines first, to read (PREFETCHT0) or to write
// (PREFETCHW), changed nothing. With non-temporal stores, which send the
// lines to memory and drop every cached copy, it took 2.8–3.1 µs; the
// next reader then takes the lines from memory. With the vCPUs about
// 200 ns apart, the same stores made the step slower, so the engine has
// them only where the cores are far apart, as measured while it runs
// (StreamStores, handoff.go). Figures: docs/PERFORMANCE.md, "Stores
// around the caches, chosen by the cores' distance".

// CopyStreaming copies src into dst, as copy does, len(src) floats (dst
// at least that long), with non-temporal stores for the whole cache lines
// of dst where the assembly kernels have them: dst's lines are in memory
// afterwards, in no cache. For a buffer whose lines another thread has
// read since this one last wrote them, and which another thread reads
// next; from this thread's own cache, copy is faster. The values are
// copy's; the slices must not overlap. Safe for concurrent use on
// different dst.
//
//	dst, src: [n]
func CopyStreaming(dst, src []float32) {
	dst = dst[:len(src)]
	head := headToLine(dst)
	copy(dst[:head], src[:head])
	done := head + copyStreamingFast(dst[head:], src[head:])
	copy(dst[done:], src[done:])
}

// headToLine returns how many floats of s come before its first 64-byte
// boundary, at most len(s).
func headToLine(s []float32) int {
	if len(s) == 0 {
		return 0
	}
	off := int(uintptr(unsafe.Pointer(unsafe.SliceData(s))) % 64)
	return min(len(s), (64-off)%64/4)
}
