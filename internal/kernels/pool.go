package kernels

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// pool is a set of persistent workers, each with its own packing buffers,
// that compute bands of rows of C. The calling goroutine computes the first
// band itself, with buffers from a free list, so products may be called from
// many goroutines at once.
type pool struct {
	mu      sync.Mutex   // one product at a time uses the workers
	threads atomic.Int32 // threads a product may use (SetThreads)
	jobs    chan job
	started int
	free    chan *scratch
	op      Op             // the product being shared, kept here so callers' Ops stay on their stacks
	wg      sync.WaitGroup // the workers still at it
	runs    atomic.Int64   // products shared among the workers, for the tests
}

// job is one worker's block of C: rows [i0, i1), columns [j0, j1).
type job struct {
	op             *Op
	i0, i1, j0, j1 int
	done           *sync.WaitGroup
}

var defaultPool = newPool(runtime.GOMAXPROCS(0))

func newPool(threads int) *pool {
	p := &pool{free: make(chan *scratch, 64)}
	p.threads.Store(int32(threads))
	return p
}

// getScratch takes packing buffers from the free list, or makes them.
func (p *pool) getScratch() *scratch {
	select {
	case s := <-p.free:
		return s
	default:
		return newScratch()
	}
}

// putScratch returns buffers to the free list (or drops them if it is full).
func (p *pool) putScratch(s *scratch) {
	select {
	case p.free <- s:
	default:
	}
}

// local computes a block of o on the calling goroutine.
func (p *pool) local(o *Op, i0, i1, j0, j1 int) {
	s := p.getScratch()
	s.gemmBlock(o, i0, i1, j0, j1)
	p.putScratch(s)
}

// SetThreads sets how many threads products and updates use (at least 1;
// with 1 the helper thread is never used) and returns the previous number.
// The default is GOMAXPROCS at start. With two or more, before the first
// loop of products, it starts measuring what other programs use of the
// CPUs (trial.prime: a program sets its threads before it loads its
// data, which leaves the first loop a while to judge the load over),
// unless a caller holds the helper. Safe to call at any time: a product
// already running finishes with the number it started with.
func SetThreads(n int) int {
	previous := int(defaultPool.threads.Swap(int32(min(max(n, 1), maxThreads))))
	if n >= 2 {
		defaultHelper.prime()
	}
	return previous
}

// maxThreads bounds SetThreads: far more than any machine's cores.
const maxThreads = 1 << 16

// Threads returns the number of threads products use.
func Threads() int { return int(defaultPool.threads.Load()) }

// minWorkPerThread is the number of multiply-adds a thread must get for
// sharing a product among parked workers to pay: waking one costs tens of
// microseconds on a virtual machine, so the MLP's products (about 26M
// multiply-adds, a sixth of a millisecond) went slower through the pool
// (29,000 samples/s against 45,000 on one thread) and go through the
// polling helper instead (helper.go).
const minWorkPerThread = 1 << 25

// split returns how many threads o should use.
func (p *pool) split(o *Op) int {
	work := o.M * o.N * o.K
	return max(1, min(int(p.threads.Load()), work/minWorkPerThread, max((o.M+kernel.rows-1)/kernel.rows, (o.N+nr-1)/nr)))
}

// run computes o on n threads. Each takes a band of whole panels: of rows
// when op(B) is the larger operand (each thread then packs all of B once
// and its own rows of A), of columns otherwise. It returns false, having
// done nothing, when another goroutine has the workers: the caller then
// computes o alone rather than wait for a lock.
func (p *pool) run(o *Op, n int) bool {
	if !p.mu.TryLock() {
		return false
	}
	defer p.mu.Unlock()
	p.runs.Add(1)
	for p.started < n-1 {
		p.startWorker()
	}
	p.op = *o
	mr := kernel.rows
	byRows := o.M*o.K <= o.K*o.N && (o.M+mr-1)/mr >= n || (o.N+nr-1)/nr < n
	size, step := o.N, nr
	if byRows {
		size, step = o.M, mr
	}
	panels := (size + step - 1) / step
	bound := func(t int) int { return min(size, (panels*t/n)*step) }
	block := func(t int) (i0, i1, j0, j1 int) {
		if byRows {
			return bound(t), bound(t + 1), 0, o.N
		}
		return 0, o.M, bound(t), bound(t + 1)
	}
	p.wg.Add(n - 1)
	for t := 1; t < n; t++ {
		i0, i1, j0, j1 := block(t)
		p.jobs <- job{op: &p.op, i0: i0, i1: i1, j0: j0, j1: j1, done: &p.wg}
	}
	i0, i1, j0, j1 := block(0)
	p.local(&p.op, i0, i1, j0, j1)
	p.wg.Wait()
	return true
}

func (p *pool) startWorker() {
	if p.jobs == nil {
		p.jobs = make(chan job)
	}
	s := newScratch()
	go func() {
		for j := range p.jobs {
			s.gemmBlock(j.op, j.i0, j.i1, j.j0, j.j1)
			j.done.Done()
		}
	}()
	p.started++
}
