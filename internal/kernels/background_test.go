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
	c.runs[i].Add(1)
	if !c.waiting.Load() {
		c.early.Add(1)
	}
	for start := time.Now(); time.Since(start) < c.delay; {
	}
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
		c := &beforeWait{runs: make([]atomic.Int32, n)}
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

// TestBackgroundGivesWayToProducts posts slow chunks, then runs products
// the helper shares: each must come out as its reference, and the helper
// must leave the chunks for the products' loops (it takes bands of them,
// from the back, while chunks are still posted), not finish them first.
func TestBackgroundGivesWayToProducts(t *testing.T) {
	posted := splitting(t)
	rng := rand.New(rand.NewPCG(21, 21))
	ops, wants := make([]Op, 4), make([][]float32, 4)
	for i := range ops {
		ops[i] = randomOp(rng, 256, 512, 512, false, true, false) // about 0.5 ms each on one core
		wants[i] = refGemm(ops[i])
	}
	var b Background
	const n = 2000
	c := &beforeWait{runs: make([]atomic.Int32, n), delay: 20 * time.Microsecond} // 40 ms in all
	b.Post(c, n)
	loops, joined := posted(), 0
	for i, o := range ops {
		Gemm(o)
		if _, _, _, back := splitState(defaultHelper.state.Load()); back > 0 {
			joined++
		}
		agree(t, "a product beside background chunks", o.C, wants[i], o.K)
	}
	if posted() == loops {
		t.Fatal("no product was shared with the helper")
	}
	if joined == 0 || b.done.Load() == n {
		t.Errorf("the helper took bands of %d of %d products, and %d of %d background chunks were done after them: it did not leave the chunks for the products",
			joined, len(ops), b.done.Load(), n)
	}
	c.waiting.Store(true)
	b.Wait()
	c.check(t, "beside products")
}
