package kernels

import "sync/atomic"

// Background is work a caller hands to the helper thread for the moments
// it would otherwise wait: a training step posts the gather of the next
// step's batch after its forward pass, before the loss and the last
// layers' gradients, which it computes alone. The helper runs the work's chunks while it has no loop of
// products to work on, and goes back to the loops as soon as one is
// posted, between two chunks; Wait computes whatever chunks are left on
// the calling goroutine (the helper, idle then, goes on taking them too)
// and returns when all are done. So the work costs the caller only what
// the helper's idle moments did not cover.
//
// The caller owns the Background (posting allocates nothing). It must call
// Wait before it reads what the work writes, lets go of what the work
// reads, or posts again. The helper takes one posted Background's work at
// a time.
//
// A Background belongs to one goroutine. Its chunks must not panic (on the
// helper thread a panic ends the program), nor call the engine's shared
// routines (Parallel, Halves, products large enough to share): on the
// helper they would take the helper's lock and run alone, and keep the
// caller's own products from being shared meanwhile.
type Background struct {
	task  Task
	state atomic.Uint64 // the chunks posted and taken: n<<32 | taken
	done  atomic.Int64  // chunks finished
}

// Post sets task's chunks 0 … n−1 to be computed by the time Wait
// returns, and offers them to the helper where it takes part in the
// caller's products: with two threads or more, while some caller keeps it
// awake (KeepHelperAwake), no other goroutine is using it or has work
// posted, and its trial has not found the second core busy (see trial).
// Otherwise Wait computes them. More than MaxBackgroundChunks chunks are
// computed at once, on the calling goroutine.
func (b *Background) Post(task Task, n int) {
	n = max(n, 0)
	b.task = task
	b.done.Store(0)
	if uint64(n) > MaxBackgroundChunks { // more than the state word counts
		for i := range n {
			task.Run(i)
		}
		n = 0
	}
	b.state.Store(uint64(n) << 32)
	h := defaultHelper
	if n == 0 || Threads() < 2 || h.awake.Load() == 0 || !h.mu.TryLock() {
		return
	}
	alone := h.trial.choseAlone()
	h.mu.Unlock()
	if alone || !h.bg.CompareAndSwap(nil, b) {
		return
	}
	if h.parked.Load() {
		h.signal()
	}
}

// Wait computes the chunks no thread has taken and returns when every
// posted chunk is done; at once if nothing is posted.
func (b *Background) Wait() {
	for b.runChunk() {
	}
	for spins := 1; b.done.Load() < int64(b.state.Load()>>32); spins++ { // the helper is finishing its chunk
		waitPause(spins)
	}
	defaultHelper.bg.CompareAndSwap(b, nil)
	b.task = nil // keep nothing of the work alive
}

// MaxBackgroundChunks is the most chunks Post offers: the 32 bits of the
// state word that count them.
const MaxBackgroundChunks = 1<<32 - 1

// runChunk takes the next chunk and computes it, or returns false when
// none is left.
func (b *Background) runChunk() bool {
	for {
		s := b.state.Load()
		n, taken := s>>32, s&0xffffffff
		if taken >= n {
			return false
		}
		if b.state.CompareAndSwap(s, s+1) {
			b.task.Run(int(taken))
			b.done.Add(1)
			return true
		}
	}
}

// runBackground computes chunks of the posted Background, if there is
// one, on the helper thread until none is left or a loop newer than seen
// is posted, and reports whether there was one.
func (h *helper) runBackground(seen uint64) bool {
	b := h.bg.Load()
	if b == nil {
		return false
	}
	for h.state.Load()>>48 == seen && h.bg.Load() == b { // b waited for, then posted again without offering it, is not the helper's
		if !b.runChunk() {
			h.bg.CompareAndSwap(b, nil)
			break
		}
	}
	return true
}
