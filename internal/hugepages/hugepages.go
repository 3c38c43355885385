// Package hugepages allocates the engine's large float32 buffers (a data
// set's rows, a large layer's weights, gradients and optimizer state, a
// large batch's activations) so that the kernel may back them with 2 MiB
// pages.
//
// A batch gathered from rows all over a data set, and weights streamed in
// tiles whose rows lie pages apart, miss the TLB on page after page, and
// each miss walks the page tables (two levels of them in a virtual
// machine). With 2 MiB pages a few hundred entries cover MNIST. On the
// Intel Xeon VM of docs/PERFORMANCE.md, BenchmarkGather's batch of 128
// random MNIST rows took 94–126 µs in 4 KiB pages and 58–60 µs in 2 MiB
// pages.
//
// On Linux, where transparent huge pages are set to "madvise" (given only
// to memory that asks), Floats asks for them (madvise MADV_HUGEPAGE) over a
// slice of MinBytes or more, before anything touches it. The advice covers
// that slice's addresses alone and changes no setting of the process. When
// the slice becomes garbage a finalizer refuses them for those addresses
// again (MADV_NOHUGEPAGE, which under "madvise" behaves as the default), so
// memory the Go runtime reuses for other things is not kept in 2 MiB
// pages (the finalizer keeps the garbage slice until the next collection). The kernel decides: a slice made of memory the runtime had
// already used keeps the pages it has, and without a free 2 MiB page a
// slice gets 4 KiB pages as any other. With "always" every large slice may
// get them without asking, and with "never" none does, so Floats asks for
// nothing; on other systems it is make.
//
// Floats is safe for concurrent use.
package hugepages

// MinBytes is the smallest slice, in bytes, that Floats asks 2 MiB pages
// for: two pages, so that one whole 2 MiB page falls inside the slice
// wherever the Go runtime places it.
const MinBytes = 4 << 20

// Floats returns a zeroed slice of n float32s, in 2 MiB pages where the
// kernel gives them (see the package doc). n must not be negative.
func Floats(n int) []float32 {
	s := make([]float32, n)
	if n >= MinBytes/4 {
		advise(s)
	}
	return s
}
