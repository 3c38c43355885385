// Package hugepages allocates the engine's large float32 buffers (a data
// set's rows, a large layer's weights, gradients and optimizer state, a
// large batch's activations) so that the kernel may back them with 2 MiB
// pages.
//
// A batch gathered from rows all over a data set, and weights streamed in
// tiles whose rows lie pages apart, miss the TLB on page after page, and
// each miss walks the page tables (two levels of them in a virtual
// machine). In 2 MiB pages MNIST's 188 MB take about 90 entries. On the
// Intel Xeon VM of docs/PERFORMANCE.md, BenchmarkGather's batch of 128
// random MNIST rows took 94–132 µs in 4 KiB pages and 58–60 µs in 2 MiB
// pages; a whole training step on MNIST gained much less (train.Fit
// 1.02×), and the scaling table's large networks 1.00–1.11×.
//
// On Linux, where transparent huge pages are set to "madvise" (given only
// to memory that asks), Floats asks for them (madvise MADV_HUGEPAGE) over
// the whole 2 MiB pages inside a slice of MinBytes or more, before
// anything touches them. The advice applies to those addresses alone; no
// setting of the process changes. When the slice becomes garbage, a
// finalizer refuses them there again (MADV_NOHUGEPAGE, which under
// "madvise" gives what the default gives), so that no new 2 MiB page forms
// in memory the Go runtime reuses for other things; those already there
// stay until the runtime returns the memory to the kernel. The kernel
// decides: a slice made of memory the runtime had already used keeps the
// pages it has, and without a free 2 MiB page a slice gets 4 KiB pages as
// any other. With "always" every large slice may get them without asking,
// and with "never" none does, so Floats asks for nothing; on other systems
// it is make.
//
// The costs: the first touch of an advised page may wait while the kernel
// compacts memory for it (when its defrag setting includes "madvise"); each
// advice splits the mapping of the Go heap around the slice's pages (at
// most two more mappings a slice, merged again with like neighbours); and a
// garbage slice is kept until the next collection for its finalizer. The
// finalizer is set on the slice's first element: code must not set
// another there.
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
