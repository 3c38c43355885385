package kernels

import (
	"sync"
	"sync/atomic"
	"time"
)

// helper is a second thread for work too short to wait for a parked
// worker: single-sample inference (microseconds), and the products and
// optimizer updates of a training step (a fraction of a millisecond each).
// The caller posts a loop of independent chunks and takes them from the
// front; the helper, if it is awake, takes them from the back. The caller
// never waits for the helper to wake up: if the helper is parked, the caller
// does every chunk itself and wakes it for next time. After a loop the
// helper stays awake, polling, for helperSpin before it parks again.
//
// Training shares its products and updates in two halves, split at the
// same unit of each layer, so each core keeps the same half of the weights
// in its cache step after step; moving them between cores costs more than
// the second core saves.
//
// Each chunk is computed the same way whichever thread takes it, so results
// do not depend on the split.
type helper struct {
	mu     sync.Mutex           // held by the one caller using the helper
	l      loop                 // the loop being run, reused
	job    atomic.Pointer[loop] // the posted loop, or nil
	gen    atomic.Uint64        // counts posted loops
	active atomic.Bool          // the helper is inside a loop
	parked atomic.Bool
	wake   chan struct{}
	once   sync.Once
	s      *scratch // the helper's packing buffers
}

// loop is a posted set of chunks 0..n−1: bands of a product or of an
// optimizer update. claimed packs how many chunks have been taken from the
// front (low 32 bits) and from the back (high 32 bits). Its fields are kept
// here, not in a closure, so posting a loop allocates nothing and callers'
// Ops stay on their stacks.
type loop struct {
	n       int
	claimed atomic.Uint64
	done    atomic.Int64

	update bool // an update rather than a product
	width  int  // rows or columns of C (elements of an update) per chunk

	op     Op
	byRows bool // bands of rows of C, else of columns

	w, buf, grad []float32
	lr, mu       float32
	nesterov     bool
}

// body computes one chunk.
func (l *loop) body(chunk int, s *scratch) {
	o := &l.op
	size := o.N
	switch {
	case l.update:
		size = len(l.w)
	case l.byRows:
		size = o.M
	}
	lo, hi := chunk*l.width, min(size, (chunk+1)*l.width)
	switch {
	case l.update && l.nesterov:
		nesterovRange(l.w[lo:hi], l.buf[lo:hi], l.grad[lo:hi], l.lr, l.mu)
	case l.update:
		momentumRange(l.w[lo:hi], l.buf[lo:hi], l.grad[lo:hi], l.lr, l.mu)
	case o.M <= 2 && o.TransB && !o.TransA:
		gemvCols(o, lo, hi)
	case l.byRows:
		s.gemmBlock(o, lo, hi, 0, o.N)
	default:
		s.gemmBlock(o, 0, o.M, lo, hi)
	}
}

// helperSpin is how long the helper polls for the next loop before it
// parks: longer than the gaps between the products of a training step, and
// between back-to-back inference calls.
const helperSpin = 200 * time.Microsecond

var defaultHelper = &helper{wake: make(chan struct{}, 1)}

// claim takes the next chunk from the front or the back, or returns false
// when none is left.
func (l *loop) claim(back bool) (int, bool) {
	for {
		c := l.claimed.Load()
		front, fromBack := int(c&0xffffffff), int(c>>32)
		if front+fromBack >= l.n {
			return 0, false
		}
		next, chunk := c+1, front
		if back {
			next, chunk = c+1<<32, l.n-1-fromBack
		}
		if l.claimed.CompareAndSwap(c, next) {
			return chunk, true
		}
	}
}

// work runs chunks from one end until none is left.
func (l *loop) work(back bool, s *scratch) {
	for {
		chunk, ok := l.claim(back)
		if !ok {
			return
		}
		l.body(chunk, s)
		l.done.Add(1)
	}
}

// share computes o in chunks of width columns (or rows) on the calling
// goroutine and the helper. It returns false, having done nothing, when
// another goroutine has the helper: the caller then computes o alone rather
// than wait.
func (h *helper) share(o *Op, width int, byRows bool) bool {
	if !h.mu.TryLock() {
		return false
	}
	defer h.mu.Unlock()
	l := &h.l
	l.update, l.op, l.width, l.byRows = false, *o, width, byRows
	size := o.N
	if byRows {
		size = o.M
	}
	h.run((size + width - 1) / width)
	return true
}

// shareUpdate runs a momentum (or Nesterov) update in two halves, or
// returns false as share does.
func (h *helper) shareUpdate(w, buf, grad []float32, lr, mu float32, nesterov bool) bool {
	if !h.mu.TryLock() {
		return false
	}
	defer h.mu.Unlock()
	l := &h.l
	l.update, l.w, l.buf, l.grad, l.lr, l.mu, l.nesterov = true, w, buf, grad, lr, mu, nesterov
	l.width = halfPanels(len(w), nr)
	h.run(2)
	l.w, l.buf, l.grad = nil, nil, nil
	return true
}

// run posts h.l as n chunks and works on it until every chunk is done.
func (h *helper) run(n int) {
	h.once.Do(h.start)
	l := &h.l
	l.n = n
	l.claimed.Store(0)
	l.done.Store(0)
	s := defaultPool.getScratch()
	defer defaultPool.putScratch(s)
	h.gen.Add(1)
	h.job.Store(l)
	if h.parked.Load() {
		select { // wake it for the next loop; this one does not wait
		case h.wake <- struct{}{}:
		default:
		}
	}
	l.work(false, s)
	for l.done.Load() < int64(l.n) { // the helper is finishing its last chunk
		spinPause()
	}
	h.job.Store(nil)
	for h.active.Load() { // the helper may still hold l; it is reused after
		spinPause()
	}
}

func (h *helper) start() {
	h.s = newScratch()
	go h.serve()
}

// serve is the helper's loop: poll for posted loops, park when idle.
func (h *helper) serve() {
	idleSince, seen := time.Now(), uint64(0)
	for polls := 0; ; polls++ {
		if l, gen := h.job.Load(), h.gen.Load(); l != nil && gen != seen {
			h.active.Store(true)
			if h.job.Load() == l && h.gen.Load() == gen { // still posted: its fields are current
				l.work(true, h.s)
				seen = gen
			}
			h.active.Store(false)
			idleSince, polls = time.Now(), 0
			continue
		}
		if polls%256 == 0 && time.Since(idleSince) > helperSpin {
			h.park()
			idleSince, polls = time.Now(), 0
		}
		spinPause()
	}
}

// park blocks until run wakes the helper. A loop posted while parking is
// seen by the check after parked is set, or by run, which then wakes it.
func (h *helper) park() {
	h.parked.Store(true)
	if h.job.Load() == nil {
		<-h.wake
	}
	h.parked.Store(false)
	select { // drop a wake that raced with the check
	case <-h.wake:
	default:
	}
}

// minHelperWork is the fewest multiply-adds a product must have for the
// helper to take part: below it, posting the loop costs more than half the
// product.
const minHelperWork = 1 << 15
