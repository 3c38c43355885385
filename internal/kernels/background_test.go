package kernels

import (
	"math/rand/v2"
	"sync/atomic"
	"testing"
	"time"
)

// beforeWait counts a task's chunks, and those that ran before the caller
// called Wait (on the helper: the caller was not computing chunks then).
type beforeWait struct {
	runs    []atomic.Int32
	waiting atomic.Bool
	early   atomic.Int32
	delay   time.Duration // spent in each chunk
}

func (c *beforeWait) Run(i int) {
	if !c.waiting.Load() {
		c.early.Add(1)
	}
	for start := time.Now(); time.Since(start) < c.delay; {
	}
	c.runs[i].Add(1) // at the end: a Wait that returned before the chunk did fails check
}

// check fails t unless every chunk ran once.
func (c *beforeWait) check(t *testing.T, what string) {
	t.Helper()
	for i := range c.runs {
		if got := c.runs[i].Load(); got != 1 {
			t.Fatalf("%s: chunk %d of %d ran %d times", what, i, len(c.runs), got)
		}
	}
}

// TestBackgroundRunsEachChunkOnce checks Background: after Wait every
// chunk has run once, whoever ran it: the caller alone on one thread or
// without the helper awake, the helper (all of them, given time) when it
// is free, and both when the caller waits at once. Nothing is left posted.
func TestBackgroundRunsEachChunkOnce(t *testing.T) {
	var b Background
	b.Wait() // nothing posted: returns at once
	c := &beforeWait{runs: make([]atomic.Int32, 5)}
	b.Post(c, 5) // the helper is not kept awake: Wait runs them all
	time.Sleep(time.Millisecond)
	if c.early.Load() != 0 {
		t.Fatalf("%d chunks ran before Wait without the helper awake", c.early.Load())
	}
	c.waiting.Store(true)
	b.Wait()
	c.check(t, "without the helper")

	splitting(t)
	c = &beforeWait{runs: make([]atomic.Int32, 16)}
	b.Post(c, 16)
	for deadline := time.Now().Add(10 * time.Second); b.done.Load() < 16 && time.Now().Before(deadline); {
		time.Sleep(100 * time.Microsecond)
	}
	c.waiting.Store(true)
	b.Wait()
	c.check(t, "left to the helper")
	if c.early.Load() != 16 {
		t.Errorf("the helper ran %d of 16 chunks given 10 s", c.early.Load())
	}

	for round := range 200 { // the caller waits at once: the two share the chunks
		n := 1 + round%40
		c := &beforeWait{runs: make([]atomic.Int32, n), delay: 2 * time.Microsecond}
		b.Post(c, n)
		c.waiting.Store(true)
		b.Wait()
		c.check(t, "waited for at once")
	}
	if defaultHelper.bg.Load() != nil {
		t.Error("a waited-for Background is still posted")
	}

	SetThreads(1)
	c = &beforeWait{runs: make([]atomic.Int32, 3)}
	b.Post(c, 3)
	if defaultHelper.bg.Load() != nil {
		t.Error("posted to the helper on one thread")
	}
	c.waiting.Store(true)
	b.Wait()
	c.check(t, "on one thread")
}

// TestBackgroundOffers checks where Post offers the chunks: not when the
// trial has the caller work alone (the second core busy), and to a parked
// helper, which it wakes: the helper then computes them all without Wait.
func TestBackgroundOffers(t *testing.T) {
	splitting(t)
	h := defaultHelper
	h.mu.Lock()
	saved := h.trial
	h.trial = keptTrial(true)
	h.mu.Unlock()
	var b Background
	c := &beforeWait{runs: make([]atomic.Int32, 4), delay: 200 * time.Microsecond}
	b.Post(c, 4)
	time.Sleep(5 * time.Millisecond)
	if c.early.Load() != 0 || h.bg.Load() != nil {
		t.Errorf("chunks offered to the helper while the trial has the caller alone: %d of 4 computed before Wait", c.early.Load())
	}
	c.waiting.Store(true)
	b.Wait()
	c.check(t, "alone")
	h.mu.Lock()
	h.trial = saved
	h.mu.Unlock()

	// Left to itself (no loop, no chunk) past helperSpin, the helper parks.
	// It is awake first, having computed chunks, so that no wake-up left
	// over from before is pending.
	c = &beforeWait{runs: make([]atomic.Int32, 2)}
	b.Post(c, 2)
	parked := func() bool { // parked, and still parked a while later
		for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(time.Millisecond) {
			if b.done.Load() == 2 && h.parked.Load() {
				time.Sleep(10 * time.Millisecond)
				if h.parked.Load() {
					return true
				}
			}
		}
		return false
	}
	if !parked() {
		t.Fatalf("the helper did not compute 2 chunks and park in 10 s (%d done)", b.done.Load())
	}
	b.Wait()
	c = &beforeWait{runs: make([]atomic.Int32, 4)}
	b.Post(c, 4)
	for deadline := time.Now().Add(10 * time.Second); b.done.Load() < 4 && time.Now().Before(deadline); {
		time.Sleep(100 * time.Microsecond)
	}
	if b.done.Load() < 4 {
		t.Errorf("a parked helper computed %d of 4 chunks posted to it in 10 s: not woken", b.done.Load())
	}
	c.waiting.Store(true)
	b.Wait()
	c.check(t, "posted to a parked helper")
}

// TestBackgroundGivesWayToProducts posts slow chunks, then runs products
// the helper shares: each must come out as its reference, and the helper
// must leave the chunks for the products' loops, taking bands of some
// product (from the back) while chunks are still posted, rather than
// finish the chunks first. On a loaded machine the helper may be off its
// core for a while: the products go on until it joins one or the chunks
// are done.
func TestBackgroundGivesWayToProducts(t *testing.T) {
	posted := splitting(t)
	rng := rand.New(rand.NewPCG(21, 21))
	ops, wants := make([]Op, 4), make([][]float32, 4)
	for i := range ops {
		ops[i] = randomOp(rng, 256, 512, 512, false, true, false) // about 0.5 ms each on one core
		wants[i] = refGemm(ops[i])
	}
	var b Background
	const n = 5000
	c := &beforeWait{runs: make([]atomic.Int32, n), delay: 20 * time.Microsecond} // 100 ms in all
	b.Post(c, n)
	loops, joined, products := posted(), false, 0
	for ; !joined && products < 400 && b.done.Load() < n; products++ {
		o := ops[products%len(ops)]
		Gemm(o)
		_, _, _, back := splitState(defaultHelper.state.Load())
		joined = back > 0 && b.done.Load() < n
		agree(t, "a product beside background chunks", o.C, wants[products%len(ops)], o.K)
	}
	if posted() == loops {
		t.Fatal("no product was shared with the helper")
	}
	if !joined {
		t.Errorf("the helper took no band of %d products while background chunks were posted (%d of %d done): it did not leave them for the products",
			products, b.done.Load(), n)
	}
	c.waiting.Store(true)
	b.Wait()
	c.check(t, "beside products")
}
