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
	mu sync.Mutex // held by the one caller using the helper
	l  loop       // what the posted loop computes, reused

	_     [64]byte      // state and done each on a cache line of their own:
	state atomic.Uint64 // the posted loop (see post); the helper polls it
	_     [64]byte      // the two threads pass them back and forth
	done  atomic.Int64  // chunks of the posted loop finished
	_     [64]byte

	parked atomic.Bool
	wake   chan struct{}
	once   sync.Once
	s      *scratch // the helper's packing buffers
}

// The state word: a generation counting posted loops, the loop's number of
// chunks, and how many chunks have been taken from the front and from the
// back, 16 bits each. A chunk is taken by swapping in a word with one more
// taken, so a thread holding an old generation can take nothing of a new
// loop, and one whose take succeeded reads h.l knowing the caller will not
// change it until that chunk is done.
func stateWord(gen, n, front, back uint64) uint64 { return gen<<48 | n<<32 | front<<16 | back }

func splitState(s uint64) (gen uint64, n, front, back int) {
	return s >> 48, int(s >> 32 & 0xffff), int(s >> 16 & 0xffff), int(s & 0xffff)
}

// loop is what a posted loop computes: bands of a product or of an
// optimizer update, chunk i of n. Its fields are kept here, not in a
// closure, so posting a loop allocates nothing and callers' Ops stay on
// their stacks.
type loop struct {
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

// take claims the next chunk of loop gen from the front or the back, or
// returns false when none is left or the loop is no longer gen.
func (h *helper) take(gen uint64, back bool) (int, bool) {
	for {
		s := h.state.Load()
		g, n, front, fromBack := splitState(s)
		if g != gen || front+fromBack >= n {
			return 0, false
		}
		next, chunk := s+1<<16, front
		if back {
			next, chunk = s+1, n-1-fromBack
		}
		if h.state.CompareAndSwap(s, next) {
			return chunk, true
		}
	}
}

// work computes chunks of loop gen from one end until none is left.
func (h *helper) work(gen uint64, back bool, s *scratch) {
	for {
		chunk, ok := h.take(gen, back)
		if !ok {
			return
		}
		h.l.body(chunk, s)
		h.done.Add(1)
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

// run posts h.l as n chunks, the first already the caller's, and works on
// it until every chunk is done.
func (h *helper) run(n int) {
	h.once.Do(h.start)
	s := defaultPool.getScratch()
	defer defaultPool.putScratch(s)
	gen := (h.state.Load()>>48 + 1) & 0xffff
	h.done.Store(0)
	h.state.Store(stateWord(gen, uint64(n), 1, 0))
	if h.parked.Load() {
		select { // wake it for the next loop; this one does not wait
		case h.wake <- struct{}{}:
		default:
		}
	}
	h.l.body(0, s)
	h.done.Add(1)
	h.work(gen, false, s)
	for h.done.Load() < int64(n) { // the helper is finishing its last chunk
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
		if gen := h.state.Load() >> 48; gen != seen {
			seen = gen
			h.work(gen, true, h.s)
			idleSince, polls = time.Now(), 0
			continue
		}
		if polls%256 == 0 && time.Since(idleSince) > helperSpin {
			h.park(seen)
			idleSince, polls = time.Now(), 0
		}
		spinPause()
	}
}

// park blocks until run wakes the helper. A loop posted while parking is
// seen by the check after parked is set, or by run, which then wakes it.
func (h *helper) park(seen uint64) {
	h.parked.Store(true)
	if h.state.Load()>>48 == seen {
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
