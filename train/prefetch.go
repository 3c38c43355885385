package train

import (
	"slices"

	"github.com/wigglenn/wiggle/data"
	"github.com/wigglenn/wiggle/internal/kernels"
)

// Prefetch names rows of ds for a later Step: the next Step copies them
// into a second batch buffer, and the Step after it, if it trains on
// exactly these rows of the same ds, starts from that copy rather than
// gathering them. Epoch and Fit do this for each batch; a loop of one's
// own around Step can too:
//
//	tr.Prefetch(ds, batches[i+1])
//	tr.Step(ds, batches[i])
//
// The copy costs the same work as the gather it replaces. Where the
// engine's helper takes part (two threads, and engine.KeepHelperAwake
// held, as Epoch and Fit hold it), the helper makes it while the Step
// computes its loss and its last layers' gradients alone, and between its
// products, when it would otherwise wait; elsewhere the Step makes it
// before it returns.
//
// It checks the Trainer and the rows as Step does, and copies rows. ds
// must not change until the Step that trains on the rows: that Step trains
// on the values copied during the Step before it, whatever ds holds by
// then. A Step on other rows gathers its own. Nothing of the copy runs
// once a Step has returned, and results are the same, bit for bit, with
// or without Prefetch.
func (t *Trainer) Prefetch(ds *data.Dataset, rows []int) error {
	if err := t.checkFields(); err != nil {
		return err
	}
	if err := t.checkRows(ds, rows); err != nil {
		return err
	}
	t.askAhead(ds, rows)
	return nil
}

// askAhead names the rows to gather during the next step.
func (t *Trainer) askAhead(ds *data.Dataset, rows []int) {
	if t.ahead == nil {
		t.ahead = &prefetch{}
	}
	t.ahead.askedDS, t.ahead.askedRows = ds, append(t.ahead.askedRows[:0], rows...)
}

// forgetAhead drops the rows asked for and gathered, and with them the
// data set they belong to.
func (t *Trainer) forgetAhead() {
	if p := t.ahead; p != nil {
		p.askedDS, p.readyDS = nil, nil
	}
}

// prefetch is the batch of the next step, gathered during this one
// (Prefetch): the rows asked for, and those gathered.
type prefetch struct {
	bg kernels.Background // the gather, in chunks of prefetchChunk rows

	askedDS   *data.Dataset // nil: nothing asked
	askedRows []int

	readyDS   *data.Dataset // nil: nothing gathered
	readyRows []int
	batch     *data.Dataset // readyRows of readyDS, once bg is waited for
	chunk     int           // rows of a chunk of the gather
	stream    bool          // the copy's stores go around the caches (see copyRows)
	taken     int           // steps that started from a gathered batch, for tests
}

// prefetchChunk is the rows of a chunk of the gather: the helper looks for
// products to share between chunks, so a chunk is what may delay its
// joining one (8 rows of MNIST from main memory: about 4 µs).
const prefetchChunk = 8

// chunkRows is the rows of each chunk of a gather of n rows: prefetchChunk,
// or more for a batch too large for a Background's chunks to count.
func chunkRows(n int) int { return max(prefetchChunk, n/maxPrefetchChunks+1) }

// maxPrefetchChunks is the most chunks a gather goes in.
const maxPrefetchChunks = 1 << 20

// take returns the gathered batch if it holds rows of ds, handing back
// spare, a batch buffer the step no longer needs, for the next gather;
// else it returns false. Either way it forgets what was gathered, and an
// ask for these same rows.
func (p *prefetch) take(ds *data.Dataset, rows []int, spare *data.Dataset) (*data.Dataset, bool) {
	if p == nil {
		return nil, false
	}
	if p.askedDS == ds && slices.Equal(p.askedRows, rows) {
		p.askedDS = nil
	}
	ready := p.readyDS == ds && slices.Equal(p.readyRows, rows)
	p.readyDS = nil
	if !ready {
		return nil, false
	}
	batch := p.batch
	p.batch = spare
	p.taken++
	return batch, true
}

// start posts the gather of the rows asked for, into p.batch, and reports
// whether it did; the step then calls Wait on p.bg before it returns. The
// rows are checked again, as the step's own were: ds may have changed
// since Prefetch, and what the copy reads must be there (copyRows reads
// only what checkRows checks), or the helper would panic.
func (p *prefetch) start(t *Trainer) bool {
	if p == nil || p.askedDS == nil {
		return false
	}
	ds := p.askedDS
	p.askedDS = nil
	if t.checkRows(ds, p.askedRows) != nil {
		return false
	}
	p.readyDS = ds
	p.readyRows, p.askedRows = p.askedRows, p.readyRows
	p.batch = sizeBatch(p.batch, ds, len(p.readyRows))
	p.chunk = chunkRows(len(p.readyRows))
	p.stream = kernels.StreamStores()
	p.bg.Post(p, (len(p.readyRows)+p.chunk-1)/p.chunk)
	return true
}

// Run copies chunk i of the rows.
func (p *prefetch) Run(i int) {
	copyRows(p.batch, p.readyDS, p.readyRows, i*p.chunk, min((i+1)*p.chunk, len(p.readyRows)), p.stream)
}
