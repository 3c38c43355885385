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
// 1.02×), and the scaling table's large networks 1.01–1.17×.
//
// On Linux, where transparent huge pages of the page tables' middle level
// (hpage_pmd_size: 2 MiB on amd64) are given only to memory that asks
// ("madvise", in the top setting or that size's own) and no smaller size
// is given without asking, Floats asks for them (madvise MADV_HUGEPAGE)
// over the whole huge pages inside a slice of MinBytes or more, writes a
// zero into each so that the kernel backs it now, and then refuses them
// there again (MADV_NOHUGEPAGE): the pages made stay, and no more are
// made, so memory the Go runtime later reuses for other things gets the
// pages it would have got (under those settings, none). The advice applies
// to those addresses alone; no setting of the process changes. The kernel
// decides: a slice made of memory the runtime had already used keeps the
// pages it has, and without a free huge page a slice gets base pages,
// which stay base pages (the refusal also keeps the kernel's background
// collapsing away). Under other settings Floats asks for nothing; on other
// systems it is make.
//
// The costs: the kernel zeroes the slice's huge pages, and charges them in
// full, when Floats makes it rather than when each is first written, and
// may first compact memory for them (as its defrag setting says); and
// each slice splits the mapping of the Go heap around its pages (at most
// two more mappings a slice, merged again with like neighbours).
//
// Carve serves the small buffers that live as long as their owner: a
// network's parameters and gradients, an optimizer's state, the first
// storage of the outputs and input gradients a network keeps from batch
// to batch and of a trainer's batches (tensor's ReshapeKept), and a
// trainer's order of rows (CarveInts). Where Floats
// asks for huge pages, it cuts them one after another from slabs of huge
// pages (8 MiB each, 6–8 MiB of it backed when made) that they share, so
// that a small network's buffers take a few TLB entries rather than
// hundreds. Nothing cut is reused: a slab stays in memory while any slice
// cut from it does, up to a slab for each live slice in the worst case,
// and a process that carves anything holds one slab at least. CarveApart
// is Carve for a buffer read beside another element for element (an
// optimizer's state beside its weights), placed so that the two never
// share a set of the L1 cache.
//
// Floats, Carve, CarveInts and CarveApart are safe for concurrent use.
package hugepages

// MinBytes is the smallest slice, in bytes, that Floats asks huge pages
// for: two of 2 MiB, so that one whole page falls inside the slice
// wherever the Go runtime places it.
const MinBytes = 4 << 20

// Floats returns a zeroed slice of n float32s, in huge pages where the
// kernel gives them (see the package doc). n must not be negative.
func Floats(n int) []float32 {
	s := make([]float32, n)
	if n >= MinBytes/4 {
		advise(s)
	}
	return s
}
