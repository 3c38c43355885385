package playground

import (
	"context"
	"encoding/base64"
	"fmt"
	"math"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf16"

	"github.com/chromedp/chromedp"

	"github.com/wigglenn/wiggle/internal/testlock"
	"github.com/wigglenn/wiggle/playground/session"
)

// chromium returns the path of Debian's chromium, or skips: .ci/run
// installs it (apt-get install chromium).
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Skip("chromium is not installed (Debian: apt-get install chromium); the browser tests need it")
	return ""
}

// page serves the playground on a free port and opens a headless chromium
// tab on it. Console messages and exceptions of the page are kept for
// failure messages.
type page struct {
	t       *testing.T
	ctx     context.Context
	url     string
	mu      sync.Mutex
	console []string
}

func openPage(t *testing.T, width, height int) *page {
	t.Helper()
	bin := chromium(t)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	serveCtx, stopServing := context.WithCancel(context.Background())
	go Server{}.Serve(serveCtx, l)
	t.Cleanup(stopServing)

	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(bin),
		chromedp.NoSandbox,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.WindowSize(width, height),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(allocCtx)
	t.Cleanup(func() { cancelCtx(); cancelAlloc() })
	p := &page{t: t, ctx: ctx, url: "http://localhost:" + portOf(l) + "/"}
	if err := chromedp.Do(ctx); err != nil { // start the browser, with no timeout on this first call
		t.Fatalf("starting chromium: %v", err)
	}
	messages := chromedp.Console(ctx)
	go func() {
		for m, err := range messages {
			if err != nil {
				return
			}
			p.log(m.String())
		}
	}()
	return p
}

func portOf(l net.Listener) string {
	_, port, _ := net.SplitHostPort(l.Addr().String())
	return port
}

func (p *page) log(s string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.console = append(p.console, s)
}

// fail stops the test with the page's console.
func (p *page) fail(err error) {
	p.t.Helper()
	p.mu.Lock()
	defer p.mu.Unlock()
	p.t.Fatalf("%v\npage console:\n%s", err, strings.Join(p.console, "\n"))
}

// do runs browser steps within the timeout.
func (p *page) do(timeout time.Duration, steps ...chromedp.Action[chromedp.Void]) {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, timeout)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		p.fail(err)
	}
}

// eval evaluates a JavaScript expression in the page (awaiting it, if it
// is a promise).
func eval[T any](p *page, expr string) T {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, 20*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		p.fail(err)
	}
	return v
}

// testid is the CSS selector of a data-testid.
func testid(id string) chromedp.CSS { return chromedp.CSS(fmt.Sprintf(`[data-testid="%s"]`, id)) }

// ready loads the page (with the URL's hash) and waits until the engine has
// set up a run.
func (p *page) ready(hash string) {
	p.t.Helper()
	p.do(60*time.Second,
		chromedp.Navigate(p.url+hash),
		chromedp.WaitVisible(testid("play")),
		waitFor(`document.querySelector('[data-testid="network"]').textContent !== ''`, 50*time.Second),
	)
}

// waitFor polls a JavaScript condition until it holds.
func waitFor(cond string, timeout time.Duration) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := chromedp.Poll[bool](cond, chromedp.WithPollingTimeout(timeout))(ctx, t)
		return err
	})
}

// text returns the text of a data-testid element.
func (p *page) text(id string) string {
	return strings.TrimSpace(eval[string](p, fmt.Sprintf(`document.querySelector('[data-testid="%s"]').textContent`, id)))
}

// screenshot captures the window and, when WIGGLE_SCREENSHOTS names a
// folder, saves it there.
func (p *page) screenshot(name string) []byte {
	p.t.Helper()
	return p.capture(name, chromedp.CaptureScreenshot())
}

// fullScreenshot saves the whole page, below the window too, when
// WIGGLE_SCREENSHOTS names a folder.
func (p *page) fullScreenshot(name string) {
	p.t.Helper()
	if os.Getenv("WIGGLE_SCREENSHOTS") != "" {
		p.capture(name, chromedp.FullScreenshot(100)) // 100: a PNG
	}
}

// capture takes a PNG by shot and saves it as name.png in the folder
// WIGGLE_SCREENSHOTS names, if it names one.
func (p *page) capture(name string, shot chromedp.Action[[]byte]) []byte {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, 20*time.Second)
	defer cancel()
	png, err := chromedp.Run(ctx, shot)
	if err != nil {
		p.fail(err)
	}
	if dir := os.Getenv("WIGGLE_SCREENSHOTS"); dir != "" {
		if err := os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644); err != nil {
			p.t.Errorf("saving the screenshot %s: %v", name, err)
		}
	}
	return png
}

func TestPageLoadsTheEngine(t *testing.T) {
	p := openPage(t, 1280, 800)
	p.ready("")
	if got := p.text("network"); !strings.Contains(got, "2-16-16-3") {
		t.Errorf("network %q; want the default 2-16-16-3 on the spiral", got)
	}
	p.screenshot("loaded")
}

// TestOpenedFromDiskSaysToServeIt: an export opened as a file (file://),
// where a browser starts no Web Worker, says how to serve it rather than
// showing empty controls.
func TestOpenedFromDiskSaysToServeIt(t *testing.T) {
	p := openPage(t, 1280, 800)
	dir := t.TempDir()
	if err := Export(dir); err != nil {
		t.Fatal(err)
	}
	p.do(30*time.Second,
		chromedp.Navigate("file://"+filepath.Join(dir, "index.html")),
		waitFor(`!document.querySelector('[data-testid="message"]').hidden`, 20*time.Second))
	if got := p.text("message"); !strings.Contains(got, "python3 -m http.server") {
		t.Errorf("the message %q; want it to say how to serve the folder", got)
	}
	p.screenshot("opened-from-disk")
	// A change of setting, Play, or another language keeps it said (in
	// that language), and nothing throws for want of an engine.
	p.choose("learning-rate", "0.1")
	p.do(5*time.Second, chromedp.Click(testid("play")), chromedp.Click(testid("step")))
	p.choose("language", "ko")
	hidden, got := eval[bool](p, `document.querySelector('[data-testid="message"]').hidden`), p.text("message")
	if hidden || !strings.Contains(got, "웹 서버") {
		t.Errorf("after a change, Play and Korean: the message hidden %v, %q; want it shown, in Korean", hidden, got)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, line := range p.console {
		if strings.HasPrefix(line, "exception") || strings.Contains(line, "Uncaught") {
			t.Errorf("the page threw: %s", line)
		}
	}
}

// choose sets a <select> or <input> by data-testid and fires its change
// event, as a person's choice does.
func (p *page) choose(id, value string) {
	p.t.Helper()
	eval[bool](p, fmt.Sprintf(`(() => { const el = document.querySelector('[data-testid="%s"]');
		el.value = %q; el.dispatchEvent(new Event('change', {bubbles: true})); return true })()`, id, value))
}

// number reads a data-testid element's number: a percent as a fraction.
func (p *page) number(id string) float64 {
	return eval[float64](p, fmt.Sprintf(`(() => { const t = document.querySelector('[data-testid="%s"]').textContent.trim();
		const v = parseFloat(t); return isNaN(v) ? -1 : (t.endsWith('%%') ? v / 100 : v) })()`, id))
}

// TestSpiralReluLearns: spiral, relu, play: the test accuracy passes 90%
// within 60 s.
func TestSpiralReluLearns(t *testing.T) {
	p := openPage(t, 1280, 800)
	p.ready("")
	p.choose("dataset", "spiral")
	p.choose("activation", "relu")
	p.do(20*time.Second, waitFor(`document.querySelector('[data-testid="network"]').textContent.includes('2-')`, 15*time.Second),
		chromedp.Click(testid("play")))
	start := time.Now()
	p.do(70*time.Second, waitFor(`parseFloat(document.querySelector('[data-testid="test-accuracy"]').textContent) > 90`, 60*time.Second))
	t.Logf("test accuracy %s after %.1f s, epoch %s", p.text("test-accuracy"), time.Since(start).Seconds(), p.text("epoch"))
	p.do(5*time.Second, chromedp.Sleep(300*time.Millisecond))
	p.screenshot("spiral-relu")
}

// TestDeepNarrowNetworkIsFast: 6 hidden layers of 8, relu, spiral, batch
// 10 (TF Playground's largest network): the epoch counter advances at
// least 200 a second.
func TestDeepNarrowNetworkIsFast(t *testing.T) {
	p := openPage(t, 1280, 800)
	p.ready("#data=spiral&hidden=8,8,8,8,8,8&act=relu&batch=10&lr=0.03")
	testlock.Exclusive(t)
	p.do(10*time.Second, chromedp.Click(testid("play")), chromedp.Sleep(time.Second))
	epochs, views := p.bestRates(6, 2*time.Second, 300, 24)
	t.Logf("%.0f epochs/s and %.1f views/s (the page says %s epochs/s; %.1f ms a view)", epochs, views, p.text("epochs-per-second"), eval[float64](p, `state.viewCost`))
	if epochs < 200 {
		t.Errorf("%.0f epochs/s on 6×8; want at least 200", epochs)
	}
	if views < 20 {
		t.Errorf("the regions were redrawn %.1f times a second while training; want at least 20", views)
	}
}

// TestDivergenceIsExplained: a learning rate of 100 stops the run with the
// divergence message, and no NaN reaches the page.
func TestDivergenceIsExplained(t *testing.T) {
	p := openPage(t, 1280, 800)
	p.ready("#lr=100")
	p.do(20*time.Second, chromedp.Click(testid("play")),
		waitFor(`!document.querySelector('[data-testid="message"]').hidden`, 15*time.Second))
	if msg := p.text("message"); !strings.Contains(msg, "diverged") || !strings.Contains(msg, "lower learning rate") {
		t.Errorf("message %q; want the divergence and what helps", msg)
	}
	if eval[bool](p, `document.body.innerText.includes('NaN')`) {
		t.Error("the page shows NaN")
	}
	views := eval[float64](p, `state.views`)
	p.do(5*time.Second, chromedp.Sleep(500*time.Millisecond))
	if eval[float64](p, `state.views`) != views {
		t.Error("views of the diverged network were drawn")
	}
	if !eval[bool](p, `document.querySelector('[data-testid="pause"]').disabled`) {
		t.Error("the run still plays after diverging")
	}
	// The health chart's figures are the last before it diverged: it says so.
	if label := eval[string](p, `document.querySelector('[data-testid="health"]').getAttribute('aria-label')`); !strings.Contains(label, "(diverged: its figures from before)") {
		t.Errorf("the health chart after the run diverged: %q; want it said", label)
	}
	// The run has stopped for good: Play and Step, which could only say so
	// again, are off, and the message says what starts a run; Reset does.
	if !eval[bool](p, `document.querySelector('[data-testid="play"]').disabled && document.querySelector('[data-testid="step"]').disabled`) {
		t.Error("Play or Step still offered on a run that diverged")
	}
	if msg := p.text("message"); !strings.Contains(msg, "press Reset") {
		t.Errorf("message %q; want what starts the run again", msg)
	}
	p.screenshot("diverged")
	// In Korean the message says it in Korean, the engine's figures in it
	// (it had stayed the engine's English).
	p.choose("language", "ko")
	p.do(10*time.Second, waitFor(`location.hash.includes('lang=ko')`, 5*time.Second))
	if msg := p.text("message"); !strings.Contains(msg, "발산했습니다") || !strings.Contains(msg, "지금 100") || !strings.Contains(msg, "초기화") || strings.Contains(msg, "diverged") {
		t.Errorf("the message in Korean: %q; want the divergence, the rate and Reset in Korean", msg)
	}
	p.screenshot("diverged-korean")
	p.choose("language", "en")
	p.do(10*time.Second, waitFor(`location.hash.includes('lang=en') || !location.hash.includes('lang=')`, 5*time.Second))
	if msg := p.text("message"); !strings.Contains(msg, "diverged") {
		t.Errorf("the message back in English: %q", msg)
	}
	p.do(10*time.Second, chromedp.Click(testid("reset")),
		waitFor(`!document.querySelector('[data-testid="play"]').disabled && !document.querySelector('[data-testid="step"]').disabled && document.querySelector('[data-testid="message"]').hidden`, 8*time.Second))

	// A run that trained a while and then diverged in a slice of no whole
	// epoch keeps its last test figures beside its last training ones, as
	// its loss chart keeps the test point (they had read "–"). The engine's
	// message of such a slice, as the worker posts it.
	p.ready("#data=xor")
	p.do(10*time.Second, chromedp.Click(testid("step")), waitFor(`state.history.test.length === 1`, 8*time.Second))
	testShown := p.text("test-accuracy")
	eval[bool](p, `(() => { handle({ type: 'stats', run: state.pageRun, result: { epochs: 0, losses: [], error: 'training diverged in epoch 2', runDiverged: true } }); return true })()`)
	if got := p.text("test-accuracy"); got != testShown || got == "–" {
		t.Errorf("after a divergence in a slice of no whole epoch, the test accuracy reads %q; want the last measured, %q", got, testShown)
	}
}

// TestLearningRateTunesTheRunningNetwork: a learning rate, L2 or batch
// size changed while training applies to the network in training, as in
// TensorFlow Playground: the epochs and the loss curve go on, the run
// keeps playing, and the link holds the new value; a value the engine
// refuses is said and the box goes back to the run's. (Every change had
// started a new run: "lower the rate and watch it settle" could not be
// shown.)
func TestLearningRateTunesTheRunningNetwork(t *testing.T) {
	p := openPage(t, 1280, 800)
	p.ready("#data=spiral&k=2&hidden=8,8&act=tanh&lr=0.3")
	p.do(20*time.Second, chromedp.Click(testid("play")), waitFor(`state.history.train.length >= 20`, 15*time.Second))
	asked := eval[float64](p, `state.asked`)
	box := eval[[]float64](p, `(() => { const r = document.querySelector('[data-testid="regions"]').getBoundingClientRect(); return [r.x + r.width*0.3, r.y + r.height*0.3] })()`)
	p.do(10*time.Second, chromedp.MouseClickXY(box[0], box[1]), waitFor(`state.added.length === 1`, 5*time.Second)) // a point of the class's own: the run's set turns custom in the engine, not on the page
	p.choose("learning-rate", "0.01")
	epochs := eval[float64](p, `state.history.train.length`)
	p.choose("l2", "0.001")
	p.choose("batch", "5")
	p.do(20*time.Second, waitFor(fmt.Sprintf(`state.history.train.length >= %v`, epochs+20), 15*time.Second))
	if got := eval[float64](p, `state.asked`); got != asked {
		t.Errorf("a learning rate, L2 and batch size changed while training asked for %v new runs; want none", got-asked)
	}
	if eval[bool](p, `document.querySelector('[data-testid="pause"]').disabled`) {
		t.Error("the run stopped playing when its learning rate changed")
	}
	if n := p.number("epoch"); n < epochs+20 {
		t.Errorf("the epoch reads %v after the change at %v and 20 epochs more; want the count gone on", n, epochs)
	}
	link := eval[string](p, `location.hash`)
	for _, want := range []string{"lr=0.01", "l2=0.001", "batch=5"} {
		if !strings.Contains(link, want) {
			t.Errorf("the link %q lacks %s", link, want)
		}
	}
	p.choose("learning-rate", "-1")
	p.do(10*time.Second, waitFor(`!document.querySelector('[data-testid="message"]').hidden && document.querySelector('[data-testid="learning-rate"]').value === '0.01'`, 8*time.Second))
	if msg := p.text("message"); !strings.Contains(msg, "Not changed") || !strings.Contains(msg, "learning rate") {
		t.Errorf("a learning rate of -1: the message %q; want it refused by name", msg)
	}
	if got := eval[float64](p, `state.config.lr`); got != 0.01 || eval[float64](p, `state.asked`) != asked {
		t.Errorf("after a refused rate the run's is %v, %v runs asked for; want 0.01 and none", got, eval[float64](p, `state.asked`)-asked)
	}
	// After a change the engine refused (a layer of 100), a rate it refuses
	// is still said and undone (the page had dropped the engine's replies).
	p.choose("hidden", "100")
	p.do(10*time.Second, waitFor(`document.querySelector('[data-testid="message"]').textContent.includes('Not changed') && state.wanted === null`, 8*time.Second))
	p.choose("learning-rate", "-2")
	p.do(10*time.Second, waitFor(`document.querySelector('[data-testid="learning-rate"]').value === '0.01' && document.querySelector('[data-testid="message"]').textContent.includes('learning rate')`, 8*time.Second))
	p.do(10*time.Second, chromedp.Click(testid("pause")))
}

// TestClassesChosen: the number of classes is a control, as the noise is,
// where the set takes a choice (a two-class spiral, as TensorFlow
// Playground's, had been a link's k=2 alone), and shows a set's own
// where it has one.
func TestClassesChosen(t *testing.T) {
	p := openPage(t, 1280, 800)
	p.ready("#data=spiral")
	if got := eval[string](p, `document.querySelector('[data-testid="classes"]').value`); got != "3" {
		t.Errorf("the spiral's classes read %q; want its own 3", got)
	}
	p.choose("classes", "2")
	p.do(10*time.Second, waitFor(`state.shown === state.asked && state.info.classes === 2 && location.hash.includes('k=2')`, 8*time.Second))
	for _, c := range []struct{ data, want string }{{"xor", "2"}, {"sine", "0"}, {"blobs", "3"}} {
		p.choose("dataset", c.data)
		p.do(10*time.Second, waitFor(fmt.Sprintf(`state.shown === state.asked && state.config.data === %q`, c.data), 8*time.Second))
		got := eval[string](p, `document.querySelector('[data-testid="classes"]').value`)
		disabled := eval[bool](p, `document.querySelector('[data-testid="classes"]').disabled`)
		if got != c.want || disabled != (c.data != "blobs") {
			t.Errorf("%s: classes %q, disabled %v; want %s, disabled %v", c.data, got, disabled, c.want, c.data != "blobs")
		}
	}
}

// TestSharedURLComesBack: the configuration lives in the URL; reloading it
// gives the same settings, and the same seed the same loss after an epoch.
func TestSharedURLComesBack(t *testing.T) {
	p := openPage(t, 1280, 800)
	p.ready("")
	p.choose("dataset", "moons")
	p.do(10*time.Second, waitFor(`location.hash.includes('data=moons')`, 8*time.Second))
	p.choose("activation", "tanh")
	p.do(10*time.Second, waitFor(`location.hash.includes('act=tanh')`, 8*time.Second))
	p.choose("hidden", "5,3")
	p.choose("learning-rate", "0.03")
	p.choose("seed", "7")
	p.choose("l1", "0.001")
	p.do(10*time.Second, waitFor(`location.hash.includes('seed=7') && location.hash.includes('l1=0.001') && decodeURIComponent(location.hash).includes('hidden=5,3')`, 8*time.Second))
	p.do(10*time.Second, chromedp.Click(testid("step")), waitFor(`document.querySelector('[data-testid="epoch"]').textContent === '1'`, 8*time.Second))
	loss := eval[string](p, `document.querySelector('[data-testid="train-loss"]').dataset.value`)
	url := eval[string](p, `location.href`)

	q := openPage(t, 1280, 800)
	q.ready(url[strings.Index(url, "#"):])
	for id, want := range map[string]string{"dataset": "moons", "activation": "tanh", "hidden": "5,3", "learning-rate": "0.03", "seed": "7", "l1": "0.001"} {
		if got := eval[string](q, fmt.Sprintf(`document.querySelector('[data-testid="%s"]').value`, id)); got != want {
			t.Errorf("after reloading the shared URL, %s is %q, want %q", id, got, want)
		}
	}
	q.do(10*time.Second, chromedp.Click(testid("step")), waitFor(`document.querySelector('[data-testid="epoch"]').textContent === '1'`, 8*time.Second))
	if again := eval[string](q, `document.querySelector('[data-testid="train-loss"]').dataset.value`); again != loss || loss == "" {
		t.Errorf("loss after one epoch %q, and %q from the shared URL; want the same", loss, again)
	}
}

// TestScreenshots trains for a moment at a desktop and a phone size and
// checks the views are drawn: the regions hold more than two colours and
// the loss curve is not blank. Set WIGGLE_SCREENSHOTS to a folder to look.
func TestScreenshots(t *testing.T) {
	for _, size := range []struct {
		name          string
		width, height int
	}{{"desktop", 1280, 800}, {"phone", 390, 844}, {"projector", 1920, 1080}, {"landscape", 740, 360}} {
		p := openPage(t, 1280, 800)
		p.do(10*time.Second, chromedp.EmulateViewport(int64(size.width), int64(size.height)))
		p.ready("#data=spiral&act=tanh&hidden=16,16")
		p.do(20*time.Second, chromedp.Click(testid("play")), chromedp.Sleep(1500*time.Millisecond), chromedp.Click(testid("pause")), chromedp.Sleep(200*time.Millisecond))
		colours := eval[float64](p, `(() => { const c = document.querySelector('[data-testid="regions"]');
			const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; const seen = new Set();
			for (let i = 0; i < d.length; i += 4 * 97) seen.add(d[i] >> 4 << 8 | d[i+1] >> 4 << 4 | d[i+2] >> 4); return seen.size })()`)
		inked := eval[float64](p, `(() => { const c = document.querySelector('[data-testid="curves"]');
			const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; let n = 0;
			for (let i = 0; i < d.length; i += 4) if (d[i] < 128) n++; return n })()`)
		if colours < 6 || inked < 200 {
			t.Errorf("%s: the regions show %v colours and the loss curve %v dark pixels; want drawn views", size.name, colours, inked)
		}
		// A neuron's map and a lens: not blank either.
		for _, id := range []string{"neuron-1-1", "lens-1"} {
			shades := eval[float64](p, fmt.Sprintf(`(() => { const c = document.querySelector('[data-testid="%s"]');
				const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; const seen = new Set();
				for (let i = 0; i < d.length; i += 4) seen.add(d[i] >> 3 << 10 | d[i+1] >> 3 << 5 | d[i+2] >> 3); return seen.size })()`, id))
			if shades < 4 {
				t.Errorf("%s: %s shows %v shades; want it drawn", size.name, id, shades)
			}
		}
		if tall := eval[float64](p, `document.querySelector('[data-testid="regions"]').getBoundingClientRect().height - window.innerHeight`); tall > 0 {
			t.Errorf("%s: the plot is %v px taller than the window; want it seen whole (a phone on its side had shown a third of it)", size.name, tall)
		}
		if wider := eval[float64](p, `document.documentElement.scrollWidth - window.innerWidth`); wider > 0 {
			t.Errorf("%s: the page is %v px wider than the window; it should scroll only down", size.name, wider)
		}
		// The loss chart's, the lens's and the health chart's lettering read
		// at 12 CSS pixels however wide the layout shows their canvases (the
		// loss chart's 12 canvas pixels read at 8 beside the regions, the
		// lens's 20 at 10, the health chart's 12 at 6 on a phone).
		for _, id := range []string{"curves", "lens-1", "health"} {
			shownFont := eval[float64](p, fmt.Sprintf(`(() => { const c = document.querySelector('[data-testid="%s"]');
				return parseFloat(c.getContext('2d').font) * c.getBoundingClientRect().width / c.width })()`, id))
			if shownFont < 11 || shownFont > 13 {
				t.Errorf("%s: %s's lettering shows %.1f CSS pixels high; want 12", size.name, id, shownFont)
			}
		}
		// On a projector's 1920 the network stands beside the output, as
		// TensorFlow Playground shows them: a class sees a neuron's map and
		// the decision regions change together (it had started 1350 px
		// down, below the plot, at every width).
		if size.name == "projector" {
			bottoms := eval[[]float64](p, `['regions', 'graph'].map((id) => document.querySelector('[data-testid="' + id + '"]').getBoundingClientRect().bottom)`)
			if bottoms[0] > float64(size.height) || bottoms[1] > float64(size.height) {
				t.Errorf("projector: the plot ends %v px down and the network %v, in a window %d high; want both in view", bottoms[0], bottoms[1], size.height)
			}
		}
		p.screenshot(size.name)
		p.fullScreenshot(size.name + "-full")
	}
}

// TestSaturationShows: a deep sigmoid network with large initial weights
// saturates at once: its neurons are marked saturated, and the lens shades
// the tails where most pre-activations sit.
func TestSaturationShows(t *testing.T) {
	p := openPage(t, 1280, 800)
	p.ready("#act=sigmoid&hidden=16,16,16,16&scale=40")
	p.do(15*time.Second, waitFor(`document.querySelectorAll('[data-testid^="neuron-"][data-state]').length === 64`, 10*time.Second))
	saturated := eval[float64](p, `document.querySelectorAll('[data-testid^="neuron-"][data-state="saturated"]').length`)
	if saturated < 32 {
		t.Errorf("%v of 64 neurons marked saturated; want most, with weights 40 times the default", saturated)
	}
	// The lens of the last layer: the shaded (flat) parts hold most of the
	// histogram's ink.
	shaded := eval[float64](p, `(() => { const c = document.querySelector('[data-testid="lens-4"]');
		const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; let n = 0;
		for (let i = 0; i < d.length; i += 4) if (d[i] > 235 && d[i+1] < 235 && d[i+2] > 235) n++; return n / (d.length / 4) })()`)
	if shaded < 0.2 {
		t.Errorf("the lens shades %.0f%% of its area; want the flat tails shaded", 100*shaded)
	}
	p.do(5*time.Second, chromedp.ScrollIntoView(testid("layers")))
	p.screenshot("saturated")
	// relu's lower side is off, not saturated: the panel says so, and its
	// lens shades it grey, not in the saturated pink.
	p.choose("activation", "relu")
	p.do(10*time.Second, waitFor(`document.querySelector('[data-testid="act-info"]').textContent.includes('x -> -inf: off') && state.layers && state.layers[0].act === 'relu'`, 8*time.Second))
	pink := eval[float64](p, `(() => { const c = document.querySelector('[data-testid="lens-1"]');
		const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; let n = 0;
		for (let i = 0; i < d.length; i += 4) if (d[i] > 235 && d[i+1] < 235 && d[i+2] > 235) n++; return n / (d.length / 4) })()`)
	if pink > 0.01 {
		t.Errorf("relu's lens shades %.0f%% of its area pink (saturated); want its off side grey", 100*pink)
	}
}

// TestHealthyReluShowsNoMarks: the default relu run marks few neurons, and
// hovering a neuron shows its weights.
func TestNeuronHoverShowsWeights(t *testing.T) {
	p := openPage(t, 1280, 800)
	p.ready("#hidden=4")
	p.do(15*time.Second, waitFor(`document.querySelectorAll('[data-testid^="neuron-1-"]').length === 4`, 10*time.Second),
		chromedp.ScrollIntoView(testid("neuron-1-2")))
	box := eval[[]float64](p, `(() => { const r = document.querySelector('[data-testid="neuron-1-2"]').getBoundingClientRect(); return [r.x + r.width/2, r.y + r.height/2] })()`)
	p.do(10*time.Second, chromedp.MouseEvent("mouseMoved", box[0], box[1]),
		waitFor(`!document.querySelector('[data-testid="tooltip"]').hidden`, 5*time.Second))
	if tip := p.text("tooltip"); !strings.Contains(tip, "neuron 2") || !strings.Contains(tip, "bias") {
		t.Errorf("tooltip %q; want neuron 2's weights and bias", tip)
	}
	// and the neuron's map beside the pointer (the big plot's is often off
	// the screen from the cards)
	if drawn := eval[float64](p, `(() => { const c = document.querySelector('[data-testid="tooltip"] [data-testid="tooltip-picture"]'); if (!c) return -1;
		const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; let n = 0; for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++; return n / (d.length / 4) })()`); drawn < 0.9 {
		t.Errorf("the tooltip's map: %v of it drawn (-1: none); want the neuron's map", drawn)
	}
}

// bestRates measures epochs and views a second over up to n windows while
// the page trains, and returns the best of each (stopping once both pass
// enough): go test runs other packages' tests beside this one, and a
// window they crowd says nothing of the page. The caller holds the lock
// that keeps wiggle's heaviest tests away.
func (p *page) bestRates(n int, window time.Duration, enough ...float64) (epochs, views float64) {
	for range n {
		if len(enough) == 2 && epochs >= enough[0] && views >= enough[1] {
			break
		}
		e0, v0, t0 := p.number("epoch"), eval[float64](p, `state.views`), time.Now()
		p.do(window+10*time.Second, chromedp.Sleep(window))
		dt := time.Since(t0).Seconds()
		epochs = max(epochs, (p.number("epoch")-e0)/dt)
		views = max(views, (eval[float64](p, `state.views`)-v0)/dt)
	}
	return epochs, views
}

// wiggleCLI builds the wiggle command into a temporary folder.
func wiggleCLI(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "wiggle")
	if out, err := exec.Command("go", "build", "-o", bin, "../cmd/wiggle").CombinedOutput(); err != nil {
		t.Fatalf("go build ../cmd/wiggle: %v\n%s", err, out)
	}
	return bin
}

// TestModelFilesGoBothWays: a model trained in the page downloads as a
// file `wiggle eval` reads, and a model `wiggle train` saved opens in the
// page.
func TestModelFilesGoBothWays(t *testing.T) {
	cli := wiggleCLI(t)
	dir := t.TempDir()
	p := openPage(t, 1280, 800)
	p.ready("#hidden=12,12&act=tanh")
	p.do(20*time.Second, chromedp.Click(testid("play")), chromedp.Sleep(time.Second), chromedp.Click(testid("pause")),
		chromedp.Click(testid("download-model")), waitFor(`document.querySelector('[data-testid="model-link"]') !== null`, 10*time.Second))
	encoded := eval[string](p, `(async () => { const b = new Uint8Array(await (await fetch(document.querySelector('[data-testid="model-link"]').href)).arrayBuffer());
		let s = ''; for (const x of b) s += String.fromCharCode(x); return btoa(s) })()`)
	raw, err := base64.StdEncoding.DecodeString(encoded)
	if err != nil {
		t.Fatal(err)
	}
	fromPage := filepath.Join(dir, "page.safetensors")
	if err := os.WriteFile(fromPage, raw, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(cli, "eval", "--model", fromPage, "--data", "spiral", "--json").CombinedOutput()
	if err != nil || !strings.Contains(string(out), `"accuracy"`) {
		t.Fatalf("wiggle eval of the page's model: %v\n%s", err, out)
	}
	t.Logf("wiggle eval of the page's model: %s", strings.TrimSpace(string(out)))

	fromCLI := filepath.Join(dir, "cli.safetensors")
	if out, err := exec.Command(cli, "train", "--data", "spiral", "--hidden", "7", "--act", "elu", "--epochs", "20", "--out", fromCLI).CombinedOutput(); err != nil {
		t.Fatalf("wiggle train: %v\n%s", err, out)
	}
	p.do(20*time.Second, chromedp.SetUploadFiles(testid("load-model"), []string{fromCLI}),
		waitFor(`document.querySelector('[data-testid="network"]').textContent.includes('2-7-3')`, 10*time.Second))
	if got := eval[string](p, `document.querySelector('[data-testid="activation"]').value`); got != "elu" {
		t.Errorf("after opening an elu model, the activation control shows %q", got)
	}
	// How good the model is shows at once, before any training.
	p.do(10*time.Second, waitFor(`parseFloat(document.querySelector('[data-testid="train-accuracy"]').textContent) > 50 && document.querySelector('[data-testid="epoch"]').textContent === '0'`, 8*time.Second))
	p.do(10*time.Second, chromedp.Click(testid("step")), waitFor(`document.querySelector('[data-testid="epoch"]').textContent === '1'`, 8*time.Second))
	if acc := p.number("train-accuracy"); acc < 0.5 {
		t.Errorf("the CLI's trained model starts at %.2f training accuracy in the page; want its trained weights", acc)
	}
}

// TestTeachersControls: Speed holds a run to that many epochs a second,
// New draws another seed, a link's value that is no number is said rather
// than read as a default, and controls that cannot act on the run are off.
func TestTeachersControls(t *testing.T) {
	p := openPage(t, 1280, 800)
	p.ready("#lr=abc&hidden=4,x")
	if msg := p.text("message"); !strings.Contains(msg, "lr=abc") || !strings.Contains(msg, "hidden=4,x") {
		t.Errorf("a link of values that are no numbers says %q; want both named", msg)
	}
	if lr, hidden := eval[float64](p, `state.config.lr`), eval[string](p, `state.config.hidden.join()`); lr != 0.03 || hidden != "16,16" {
		t.Errorf("the link's run has lr %v and hidden %q; want the defaults, 0.03 and 16,16", lr, hidden)
	}
	p.choose("speed", "10")
	p.do(10*time.Second, chromedp.Click(testid("play")), chromedp.Sleep(1500*time.Millisecond), chromedp.Click(testid("pause")))
	p.waitStopped()
	if epochs := p.number("epoch"); epochs < 5 || epochs > 20 {
		t.Errorf("at 10 epochs a second, 1.5 s of play trained %v epochs; want about 15", epochs)
	}
	if link := eval[string](p, `location.hash`); !strings.Contains(link, "speed=10") {
		t.Errorf("the link %q does not keep the speed", link)
	}
	seed := eval[float64](p, `state.config.seed`)
	p.do(10*time.Second, chromedp.Click(testid("new-seed")), waitFor(fmt.Sprintf(`state.config.seed !== %v && state.shown === state.asked`, seed), 8*time.Second))
	// A network of no hidden layer has no activation to choose; the
	// spiral's three classes take no two-class loss, nor mse.
	p.ready("#hidden=")
	p.do(10*time.Second, waitFor(`state.config.hidden.length === 0`, 8*time.Second))
	if !eval[bool](p, `document.querySelector('[data-testid="activation"]').disabled`) {
		t.Error("the activation can be chosen for a network of no hidden layer")
	}
	if got := eval[string](p, `[...document.querySelector('[data-testid="loss"]').options].filter((o) => o.disabled).map((o) => o.value).join()`); got != "logistic,binary-hinge,mse" {
		t.Errorf("on the spiral the losses off are %q; want logistic,binary-hinge,mse", got)
	}
	if eval[bool](p, `document.querySelector('[data-testid="noise"]').disabled`) {
		t.Error("the noise of a generated set is off")
	}
	// A layer of neurons is one tab stop, its neurons reached by the arrow
	// keys: 64 of them had been 64 tab stops.
	p.ready("#hidden=64,64")
	p.do(10*time.Second, waitFor(`document.querySelectorAll('[data-testid^="neuron-2-"]').length === 64`, 8*time.Second))
	if n := eval[float64](p, `[...document.querySelectorAll('[data-testid^="neuron-"]')].filter((c) => c.tabIndex === 0).length`); n != 2 {
		t.Errorf("%v neurons are tab stops in two layers of 64; want one a layer", n)
	}
	got := eval[string](p, `(() => { const c = document.querySelector('[data-testid="neuron-1-1"]'); c.focus();
		c.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowRight', bubbles: true }));
		document.activeElement.dispatchEvent(new KeyboardEvent('keydown', { key: 'End', bubbles: true }));
		const a = document.activeElement; return a.dataset.testid + ' ' + a.tabIndex + ' ' + c.tabIndex })()`)
	if got != "neuron-1-64 0 -1" {
		t.Errorf("→ then End from the first neuron: %q; want the last neuron focused, the layer's tab stop", got)
	}
}

// TestActivationParameters: an activation's parameters get inputs, and a
// changed one reaches the run and the URL as the CLI's --act spells it.
func TestActivationParameters(t *testing.T) {
	p := openPage(t, 1280, 800)
	p.ready("")
	p.choose("activation", "leaky_relu")
	p.do(10*time.Second, waitFor(`document.querySelector('[data-testid="param-negative_slope"]') !== null`, 8*time.Second))
	p.choose("param-negative_slope", "0.2")
	p.do(10*time.Second, waitFor(`decodeURIComponent(location.hash).includes('act=leaky_relu(negative_slope=0.2)')`, 8*time.Second))
	p.choose("activation", "gelu")
	p.do(10*time.Second, waitFor(`document.querySelector('[data-testid="param-approximate"]') !== null`, 8*time.Second))
	p.choose("param-approximate", "tanh")
	p.do(10*time.Second, waitFor(`decodeURIComponent(location.hash).includes('act=gelu(approximate=tanh)')`, 8*time.Second),
		chromedp.Click(testid("step")), waitFor(`document.querySelector('[data-testid="epoch"]').textContent === '1'`, 8*time.Second))
}

// TestWideDeepNetworkTrains: 8 hidden layers of 64, a network TF Playground
// cannot build, trains at 21 epochs a second or more.
func TestWideDeepNetworkTrains(t *testing.T) {
	p := openPage(t, 1280, 800)
	p.ready("#hidden=64,64,64,64,64,64,64,64&act=relu&batch=10&lr=0.01")
	testlock.Exclusive(t)
	p.do(10*time.Second, chromedp.Click(testid("play")), chromedp.Sleep(time.Second))
	rate, _ := p.bestRates(6, 2*time.Second, 30, 0)
	t.Logf("8×64: %.1f epochs/s", rate)
	if rate < 21 {
		t.Errorf("%.1f epochs/s on 8 layers of 64; want at least 21", rate)
	}
}

// TestPageTrainsAsNative: the same configuration and seed give the same
// losses in the page (plain-Go kernels in WebAssembly) as natively (where
// the session matches `wiggle train` bit for bit: see cmd/wiggle), within
// 1e-4 relative: only the kernels' summation order differs. L1 rides along,
// so a page that dropped it would differ.
func TestPageTrainsAsNative(t *testing.T) {
	cfg := session.Default()
	cfg.TestFraction, cfg.Hidden, cfg.Act, cfg.Seed, cfg.L1 = 0, []int{8, 8}, "tanh", 3, 0.01
	s, err := session.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	cfg.L1 = 0
	withoutL1, err := session.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	p := openPage(t, 1280, 800)
	p.ready("#test=0&hidden=8,8&act=tanh&seed=3&l1=0.01")
	for epoch := 1; epoch <= 5; epoch++ {
		st, err := s.Epoch()
		if err != nil {
			t.Fatal(err)
		}
		other, err := withoutL1.Epoch()
		if err != nil {
			t.Fatal(err)
		}
		if epoch == 5 && math.Abs(other.TrainLoss-st.TrainLoss) < 1e-3*st.TrainLoss {
			t.Fatalf("L1 0.01 changed the fifth epoch's loss by less than 1e-3 (%v, %v): the test cannot see whether the page takes it", st.TrainLoss, other.TrainLoss)
		}
		p.do(10*time.Second, chromedp.Click(testid("step")),
			waitFor(fmt.Sprintf(`document.querySelector('[data-testid="epoch"]').textContent === '%d'`, epoch), 8*time.Second))
		got, err := strconv.ParseFloat(eval[string](p, `document.querySelector('[data-testid="train-loss"]').dataset.value`), 64)
		if err != nil {
			t.Fatal(err)
		}
		if rel := math.Abs(got-st.TrainLoss) / st.TrainLoss; rel > 1e-4 {
			t.Errorf("epoch %d: the page's loss %v, native %v (relative difference %.2g)", epoch, got, st.TrainLoss, rel)
		}
	}
}

// TestCompareMode: relu against sigmoid, side by side: both regions drawn,
// both networks trained from the same start (their first-epoch losses are
// those of two native runs from the same seed).
func TestCompareMode(t *testing.T) {
	p := openPage(t, 1280, 800)
	p.ready("#act=relu&hidden=8,8")
	p.choose("compare", "sigmoid")
	p.do(10*time.Second, waitFor(`decodeURIComponent(location.hash).includes('vs=sigmoid') && !document.querySelector('[data-testid="regions-compare"]').closest('figure').hidden`, 8*time.Second),
		chromedp.Click(testid("play")),
		waitFor(`parseFloat(document.querySelector('[data-testid="compare-train-accuracy"]').textContent) > 40`, 20*time.Second),
		chromedp.Click(testid("pause")), chromedp.Sleep(300*time.Millisecond))
	colours := eval[float64](p, `(() => { const c = document.querySelector('[data-testid="regions-compare"]');
		const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; const seen = new Set();
		for (let i = 0; i < d.length; i += 4 * 97) seen.add(d[i] >> 4 << 8 | d[i+1] >> 4 << 4 | d[i+2] >> 4); return seen.size })()`)
	if colours < 6 {
		t.Errorf("the compared network's regions show %v colours; want them drawn", colours)
	}
	// The side's scores are the run's, named as its plot is (they had no
	// name beside the twin's, under its own plot).
	if name := eval[string](p, `(() => { const e = document.querySelector('[data-testid="scores-name"]'); return e.hidden ? 'hidden' : e.textContent })()`); name != "relu" {
		t.Errorf("the run's scores are named %q in compare mode; want relu", name)
	}
	before := p.text("compare-train-accuracy")
	p.choose("language", "ko") // the labels change; the twin's scores stay
	p.do(10*time.Second, waitFor(`location.hash.includes('lang=ko')`, 5*time.Second))
	if got := p.text("compare-train-accuracy"); got != before {
		t.Errorf("the twin's training accuracy %q after a change of language; want %q kept", got, before)
	}
	p.screenshot("compare")
	p.choose("compare", "")
	p.do(10*time.Second, waitFor(`!decodeURIComponent(location.hash).includes('vs=')`, 8*time.Second))
	if !eval[bool](p, `document.querySelector('[data-testid="scores-name"]').hidden`) {
		t.Error("the scores' name stays shown with nothing compared")
	}
}

// TestCompareLegendOnAPhone: in compare mode the loss chart's legend names
// both networks, and on a phone, where it takes two lines, each network's
// training and test keys stay on one line (its "test" had wrapped alone).
func TestCompareLegendOnAPhone(t *testing.T) {
	p := openPage(t, 1280, 800)
	p.do(10*time.Second, chromedp.EmulateViewport(390, 844))
	p.ready("#act=sigmoid&vs=leaky_relu&hidden=8,8")
	keys := eval[[]string](p, `[...document.querySelectorAll('[data-testid="curves-legend"] .keys')].filter((k) => !k.hidden).map((k) => {
		const tops = [...k.querySelectorAll('.swatch')].map((s) => Math.round(s.getBoundingClientRect().top));
		return k.textContent.replace(/\s+/g, ' ').trim() + (tops.every((y) => y === tops[0]) ? '' : ' (wrapped: swatches at ' + tops.join(', ') + ')') })`)
	want := []string{"sigmoid training test", "leaky_relu training test"}
	if !slices.Equal(keys, want) {
		t.Errorf("the loss chart's legend on a phone: %q; want %q, each on one line", keys, want)
	}
	lines := eval[float64](p, `(() => { const l = document.querySelector('[data-testid="curves-legend"]'); return Math.round(l.getBoundingClientRect().height / parseFloat(getComputedStyle(l).lineHeight)) })()`)
	if lines != 2 { // one would not test the wrap
		t.Errorf("the legend takes %v lines on a phone; want two, a network each", lines)
	}
	p.do(5*time.Second, chromedp.ScrollIntoView(testid("curves-legend")))
	p.screenshot("compare-legend-phone")
}

// TestCompareHealth: in compare mode the health chart shows the twin's
// layers beside the run's: a deep sigmoid twin's first gradient vanishing
// beside leaky_relu's, pale bars drawn, and both named in the chart's label.
func TestCompareHealth(t *testing.T) {
	p := openPage(t, 1280, 800)
	p.ready("#act=leaky_relu&vs=sigmoid&hidden=8,8,8,8,8,8") // leaky_relu: no unit of it dies
	p.do(10*time.Second, waitFor(`state.twinHealth && state.twinHealth.length === 6`, 10*time.Second))
	if label := eval[string](p, `document.querySelector('[data-testid="health"]').getAttribute('aria-label')`); !strings.Contains(label, "dead 0%, saturated 0%, mean ‖dW‖ –; sigmoid dead 0%, saturated 0%, mean ‖dW‖ –") {
		t.Errorf("the health chart before a step: %q; want no gradient told (–), where 0 had read as none", label)
	}
	p.do(20*time.Second, chromedp.Click(testid("play")), chromedp.Sleep(1500*time.Millisecond), chromedp.Click(testid("pause")))
	p.waitStopped()
	ratio := eval[[]float64](p, `[state.layers[0].gradNorm / state.layers[5].gradNorm, state.twinHealth[0].gradNorm / state.twinHealth[5].gradNorm]`)
	if !(ratio[1] < 1e-2 && ratio[1] < ratio[0]/10) {
		t.Errorf("the first layer's gradient over the last's: leaky_relu %.3g, its sigmoid twin %.3g; want the twin's vanishing", ratio[0], ratio[1])
	}
	label := eval[string](p, `document.querySelector('[data-testid="health"]').getAttribute('aria-label')`)
	if !strings.Contains(label, "Layer 6: leaky_relu") || !strings.Contains(label, "; sigmoid dead") {
		t.Errorf("the health chart's label %q; want each layer's leaky_relu and sigmoid figures", label)
	}
	// The twin's bars are the run's colours, pale: the gradient's blue at
	// 35% over white is about (166, 203, 228).
	pale := eval[float64](p, `(() => { const c = document.querySelector('[data-testid="health"]');
		const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; let n = 0;
		for (let i = 0; i < d.length; i += 4) if (Math.abs(d[i] - 166) < 12 && Math.abs(d[i+1] - 203) < 12 && Math.abs(d[i+2] - 228) < 12) n++; return n })()`)
	if pale < 200 {
		t.Errorf("%v pale blue pixels in the health chart; want the twin's gradient bars drawn", pale)
	}
	p.do(5*time.Second, chromedp.ScrollIntoView(testid("health")))
	p.screenshot("compare-health")
}

// TestLessonLinks: the panel's three links each open the run that shows
// its lesson, and it shows: a deep sigmoid network's first layer gets a
// gradient far below its last's, its leaky_relu twin's not; a relu network
// at lr 0.1 with momentum loses most of a layer's units, its leaky_relu
// twin none; and tanh trains beside sigmoid in compare mode. Each puts the
// loss chart's epochs on a log scale, where the first epochs keep their room,
// and opens at the page's top.
func TestLessonLinks(t *testing.T) {
	p := openPage(t, 1280, 800)
	p.ready("")
	logScale := func(lesson string) {
		if !eval[bool](p, `document.querySelector('[data-testid="log-epochs"]').checked && location.hash.includes('logepochs=1')`) {
			t.Errorf("the %s lesson's loss chart is not on the log scale of epochs", lesson)
		}
	}
	p.do(20*time.Second, chromedp.Click(testid("lesson-saturates")),
		waitFor(`state.info && state.info.config.act === 'sigmoid' && state.info.config.vs === 'leaky_relu' && state.info.config.hidden.length === 6 && state.twinHealth && state.twinHealth.length === 6`, 10*time.Second),
		chromedp.Click(testid("play")), chromedp.Sleep(1500*time.Millisecond), chromedp.Click(testid("pause")))
	p.waitStopped()
	logScale("vanishing")
	p.do(5*time.Second, chromedp.Click(testid("log-epochs")), waitFor(`!location.hash.includes('logepochs')`, 3*time.Second)) // the next lesson turns it on again
	if ratio := eval[[]float64](p, `[state.layers[0].gradNorm / state.layers[5].gradNorm, state.twinHealth[0].gradNorm / state.twinHealth[5].gradNorm]`); !(ratio[0] < 1e-2 && ratio[0] < ratio[1]/10) {
		t.Errorf("the vanishing lesson: sigmoid's first layer's gradient %.3g of its last's, leaky_relu's %.3g; want sigmoid's vanishing (below 1%%), far below leaky_relu's", ratio[0], ratio[1])
	}
	p.do(20*time.Second, chromedp.Click(testid("lesson-dies")),
		waitFor(`state.info && state.info.config.act === 'relu' && state.info.config.vs === 'leaky_relu' && state.info.config.lr === 0.1 && state.twinHealth && state.twinHealth.length === 2`, 10*time.Second))
	deadShares := `state.layers.map((l) => l.deadFraction).concat(state.twinHealth.map((l) => l.deadFraction))` // relu's two layers, then leaky_relu's
	before := eval[[]float64](p, deadShares)
	p.do(30*time.Second, chromedp.Click(testid("play")), waitFor(`state.history.train.length >= 600`, 25*time.Second), chromedp.Click(testid("pause")))
	p.waitStopped()
	logScale("dying relu")
	// some relu units start dead on the spiral; the rate kills most of the rest within a few hundred epochs
	if after := eval[[]float64](p, deadShares); after[0]+after[1] < before[0]+before[1]+0.3 || min(after[0], after[1]) < 0.5 || max(after[2], after[3]) > 0.05 {
		t.Errorf("the dying relu lesson: relu's layers %.0f%% and %.0f%% dead before Play, %.0f%% and %.0f%% after 600 epochs; leaky_relu's %.0f%% and %.0f%%; want most of relu's units killed, none of leaky_relu's",
			100*before[0], 100*before[1], 100*after[0], 100*after[1], 100*after[2], 100*after[3])
	}
	eval[bool](p, `(window.scrollTo(0, document.body.scrollHeight), true)`) // the links out of view: a click scrolls to them
	p.do(20*time.Second, chromedp.Click(testid("lesson-centred")),
		waitFor(`state.info && state.info.config.act === 'tanh' && state.info.config.vs === 'sigmoid' && !document.querySelector('[data-testid="regions-compare"]').closest('figure').hidden`, 10*time.Second))
	logScale("zero-centred")
	if y := eval[float64](p, `window.scrollY`); y != 0 {
		t.Errorf("after a lesson link, the page is scrolled %v pixels down; want its top, Play and the plots, in view", y)
	}
}

// TestKorean: the labels switch to Korean, the choice is kept in the URL,
// and a link with lang=ko opens in Korean.
func TestKorean(t *testing.T) {
	p := openPage(t, 1280, 800)
	p.ready("")
	if got := p.text("play"); !strings.Contains(got, "Play") {
		t.Errorf("play button %q in English", got)
	}
	p.choose("language", "ko")
	p.do(10*time.Second, waitFor(`location.hash.includes('lang=ko')`, 5*time.Second))
	if got := p.text("play"); !strings.Contains(got, "학습") {
		t.Errorf("play button %q after choosing Korean", got)
	}
	if got := p.text("lesson"); !strings.Contains(got, "노트") {
		t.Errorf("the lesson %q is not in Korean", got)
	}
	p.choose("activation", "sigmoid") // saturates on "both sides", flat "nowhere"
	p.do(10*time.Second, waitFor(`document.querySelector('[data-testid="act-info"]').textContent.includes('sigmoid')`, 8*time.Second))
	if info, network := p.text("act-info"), p.text("network"); strings.Contains(info, "nowhere") || strings.Contains(info, "both sides") || !strings.Contains(network, "뉴런") {
		t.Errorf("the activation's properties %q and the network %q: want their words in Korean", info, network)
	}
	q := openPage(t, 1280, 800)
	q.ready("#lang=ko&act=sigmoid")
	if got := eval[string](q, `document.documentElement.lang + ' ' + document.querySelector('[data-testid="pause"]').textContent`); !strings.Contains(got, "ko") || !strings.Contains(got, "멈춤") {
		t.Errorf("a lang=ko link opens as %q", got)
	}
	q.screenshot("korean")
}

// TestOwnDataAndInputs: points uploaded as CSV train (saved as UTF-16 with
// its byte-order mark, as Windows PowerShell 5's > writes a table; the
// other uploads are UTF-8); a click on the plot adds a point of the chosen
// class; extra inputs and a per-layer activation reach the network.
func TestOwnDataAndInputs(t *testing.T) {
	var csv strings.Builder
	csv.WriteString("x,y,colour\n")
	for i := range 80 {
		x, y := float64(i%9)/4-1, float64(i%7)/3-1
		label := "red"
		if x*x+y*y < 0.5 {
			label = "blue"
		}
		fmt.Fprintf(&csv, "%g,%g,%s\n", x, y, label)
	}
	utf16le := []byte{0xff, 0xfe}
	for _, u := range utf16.Encode([]rune(csv.String())) {
		utf16le = append(utf16le, byte(u), byte(u>>8))
	}
	path := filepath.Join(t.TempDir(), "points.csv")
	if err := os.WriteFile(path, utf16le, 0o644); err != nil {
		t.Fatal(err)
	}
	p := openPage(t, 1280, 800)
	p.ready("")
	p.do(20*time.Second, chromedp.SetUploadFiles(testid("upload-csv"), []string{path}),
		waitFor(`document.querySelector('[data-testid="dataset"]').value === 'custom' && document.querySelectorAll('[data-testid^="point-class-"]').length === 2`, 10*time.Second))
	// The classes go by the file's labels (they read 0 and 1), and the
	// data's menu names the file.
	if got := eval[string](p, `[...document.querySelectorAll('[data-testid="point-class"] label')].map((l) => l.textContent.trim()).join(',')`); got != "blue,red" {
		t.Errorf("the classes to click read %q; want the file's labels, blue,red", got)
	}
	if option := eval[string](p, `document.querySelector('[data-testid="dataset"] option[value="custom"]').textContent`); !strings.Contains(option, "points.csv") {
		t.Errorf("the uploaded points' option reads %q; want the file named", option)
	}
	p.do(10*time.Second, chromedp.Click(testid("point-class-1")))
	before := eval[float64](p, `state.info.train.length`)
	box := eval[[]float64](p, `(() => { const r = document.querySelector('[data-testid="regions"]').getBoundingClientRect(); return [r.x + r.width*0.5, r.y + r.height*0.5] })()`)
	p.do(10*time.Second, chromedp.MouseClickXY(box[0], box[1]),
		waitFor(fmt.Sprintf(`state.info.train.length === %v`, before+1), 5*time.Second))
	if got := eval[float64](p, `state.info.train[state.info.train.length-1].label`); got != 1 {
		t.Errorf("the clicked point has class %v, want 1", got)
	}
	if link, option := eval[string](p, `decodeURIComponent(location.hash)`), eval[string](p, `document.querySelector('[data-testid="dataset"] option[value="custom"]').textContent`); !strings.Contains(link, "pts=") || !strings.Contains(option, "+1)") {
		t.Errorf("after a click: the link %q, the data's option %q; want the point in the link and counted", link, option)
	}
	p.do(10*time.Second, chromedp.Click(testid("input-x2")),
		waitFor(`document.querySelector('[data-testid="network"]').textContent.includes('3-16')`, 8*time.Second))
	p.do(10*time.Second, waitFor(`document.querySelector('[data-testid="layer-act-2"]') !== null`, 8*time.Second))
	p.choose("layer-act-2", "tanh")
	p.do(10*time.Second, waitFor(`decodeURIComponent(location.hash).includes('acts=;tanh')`, 8*time.Second))
	// Learned within 20 s, however busy the machine (a fixed 2 s of
	// training fell short with other tests running beside it): play
	// until the accuracy passes 80%, pause, and read it once the worker
	// has stopped, training on if a slice that landed after the pause
	// took it back below (0.73 once, the accuracy still moving).
	acc := -1.0
	for deadline := time.Now().Add(20 * time.Second); acc < 0.8 && time.Now().Before(deadline); {
		p.do(25*time.Second, chromedp.Click(testid("play")),
			waitFor(`parseFloat(document.querySelector('[data-testid="train-accuracy"]').textContent) >= 80`, time.Until(deadline)),
			chromedp.Click(testid("pause")))
		p.waitStopped()
		acc = p.number("train-accuracy")
	}
	if acc < 0.8 {
		t.Errorf("training accuracy %.2f on the uploaded points, paused; want them learned", acc)
	}
	p.screenshot("own-data")

	// An empty file is refused as one, the uploaded points staying; with
	// no file loaded and no point clicked on, "your points" is no choice.
	empty := filepath.Join(t.TempDir(), "empty.csv")
	if err := os.WriteFile(empty, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	p.do(20*time.Second, chromedp.SetUploadFiles(testid("upload-csv"), []string{empty}),
		waitFor(`!document.querySelector('[data-testid="message"]').hidden`, 10*time.Second))
	if msg := p.text("message"); !strings.Contains(msg, "the file is empty") {
		t.Errorf("an empty upload says %q; want that the file is empty", msg)
	}
	// Twelve whole numbers in the target: values, and the page says why.
	var grades strings.Builder
	grades.WriteString("x,y,grade\n")
	for i := range 48 {
		fmt.Fprintf(&grades, "%g,%g,%d\n", float64(i%7)/7, float64(i%5)/5, i%12)
	}
	many := filepath.Join(t.TempDir(), "grades.csv")
	if err := os.WriteFile(many, []byte(grades.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	p.do(20*time.Second, chromedp.SetUploadFiles(testid("upload-csv"), []string{many}),
		waitFor(`state.config.loss === 'mse' && !document.querySelector('[data-testid="message"]').hidden`, 10*time.Second))
	if msg := p.text("message"); !strings.Contains(msg, "read as values") {
		t.Errorf("a target of twelve whole numbers, read as values, says %q; want why", msg)
	}
	q := openPage(t, 1280, 800)
	q.ready("")
	if n := eval[float64](q, `document.querySelectorAll('[data-testid="dataset"] option[value="custom"]').length`); n != 0 {
		t.Errorf("a fresh page offers %v options of points of one's own; want none", n)
	}
	q.ready("#data=custom") // a link to a run on an uploaded file: the file does not come with it
	q.do(10*time.Second, waitFor(`!document.querySelector('[data-testid="message"]').hidden`, 8*time.Second))
	if msg := q.text("message"); !strings.Contains(msg, "upload the CSV file again") || strings.Contains(msg, "unknown data set") {
		t.Errorf("a link to uploaded points says %q; want that the file must be uploaded again", msg)
	}
}

// waitStopped waits until the page's worker has stopped training after a
// pause: the epoch counter holds for 300 ms.
func (p *page) waitStopped() {
	p.t.Helper()
	p.do(10*time.Second, waitFor(`(() => {
		const e = document.querySelector('[data-testid="epoch"]').textContent, now = performance.now();
		if (window.lastEpochSeen !== e) { window.lastEpochSeen = e; window.epochSeenSince = now; return false }
		return now - window.epochSeenSince >= 300 })()`, 8*time.Second))
}

// TestSineRegression: the regression set draws the fitted curve and trains.
func TestSineRegression(t *testing.T) {
	p := openPage(t, 1280, 800)
	p.ready("")
	p.choose("dataset", "sine")
	p.do(20*time.Second, waitFor(`document.querySelector('[data-testid="loss"]').value === 'mse' && document.querySelector('[data-testid="network"]').textContent.includes('1-')`, 10*time.Second),
		chromedp.Click(testid("play")), chromedp.Sleep(2*time.Second), chromedp.Click(testid("pause")), chromedp.Sleep(200*time.Millisecond))
	if loss := p.number("train-loss"); !(loss >= 0 && loss < 0.1) {
		t.Errorf("sine: training loss %v after 2 s; want the curve fitted (below 0.1)", loss)
	}
	if !eval[bool](p, `document.querySelector('[data-testid="train-accuracy"]').closest('div').hidden`) {
		got := p.text("train-accuracy")
		t.Errorf("sine: training accuracy shows %q; regression has none", got)
	}
	// Each unit is drawn as its curve over x (the cards had kept the
	// spiral's maps), and the plane's option to discretise is not shown
	// (a label's own display had overridden hidden).
	drawn := eval[float64](p, `(() => { let n = 0; for (const c of document.querySelectorAll('[data-testid^="neuron-1-"]')) {
		const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
		for (let i = 0; i < d.length; i += 4) if (d[i] !== d[i+2]) { n++; break } } return n })()`)
	if units := eval[float64](p, `document.querySelectorAll('[data-testid^="neuron-1-"]').length`); units == 0 || drawn < units/2 {
		t.Errorf("sine: %v of layer 1's %v units drawn in colour; want their curves", drawn, units)
	}
	if kind := eval[string](p, `document.querySelector('[data-testid="layer-1"]').dataset.plane + ' ' + document.querySelector('[data-testid="neuron-1-1"]').width`); kind != "false 32" {
		t.Errorf("sine: layer 1's card made for %q (plane, canvas width); want \"false 32\", a curve's", kind)
	}
	if shown := eval[bool](p, `document.getElementById('discrete').offsetParent !== null`); shown {
		t.Error("sine: the option to discretise the plane's output is shown for a curve")
	}
	p.screenshot("sine")
}

// TestPlaneRegression: a 2-D regression set (gaussians, from a link
// without a loss) trains on the page, which draws the network's
// prediction over the plane on the points' scale: after training, each
// bump's centre shows its sign (blue above 0, orange below, as TensorFlow
// Playground colours them). The inputs
// stay offered, the legend speaks of values, and the graph's output node
// is the surface, not a grey box.
func TestPlaneRegression(t *testing.T) {
	p := openPage(t, 1280, 800)
	p.ready("#data=gaussians&hidden=12,12&act=tanh&opt=adam&lr=0.01&test=0.2")
	if loss := eval[string](p, `document.querySelector('[data-testid="loss"]').value`); loss != "mse" {
		t.Fatalf("a link to gaussians: loss %q; want mse", loss)
	}
	if eval[bool](p, `document.querySelector('[data-testid="inputs"]').hidden`) || !strings.Contains(p.text("points-legend"), "squares: test points") ||
		!strings.Contains(p.text("discrete-label"), "sign") {
		t.Errorf("gaussians: inputs hidden %v, legend %q, %q; want the inputs offered and the legend and option of values",
			eval[bool](p, `document.querySelector('[data-testid="inputs"]').hidden`), p.text("points-legend"), p.text("discrete-label"))
	}
	p.do(30*time.Second, chromedp.Click(testid("play")), waitFor(`!!(state.stats && state.stats.epoch >= 400 && state.graphDrawn)`, 25*time.Second), chromedp.Click(testid("pause")))
	p.waitStopped()
	p.do(5*time.Second, chromedp.Sleep(300*time.Millisecond)) // the last view drawn
	redOverBlue := eval[[]float64](p, `(() => { const c = document.querySelector('[data-testid="regions"]'), ctx = c.getContext('2d'), b = state.info.bounds;
		return [[-2/3, .5], [0, .5], [2/3, .5], [-2/3, -.5], [0, -.5], [2/3, -.5]].map(([x, y]) => {
			const d = ctx.getImageData(Math.round((x - b.xmin) / (b.xmax - b.xmin) * c.width) - 4, Math.round((b.ymax - y) / (b.ymax - b.ymin) * c.height) - 4, 9, 9).data;
			let sum = 0; for (let i = 0; i < d.length; i += 4) sum += d[i] - d[i+2]; return sum / 81 }) })()`)
	for k, v := range redOverBlue {
		want := 1.0 // the centres of a 3×2 grid whose neighbours differ in sign
		if (k%3+k/3)%2 == 1 {
			want = -1
		}
		if -v*want < 40 {
			t.Errorf("bump %d: red minus blue %.0f over its centre; want %s", k, v, map[bool]string{true: "blue (below -40)", false: "orange (above 40)"}[want > 0])
		}
	}
	if loss := p.number("train-loss"); !(loss >= 0 && loss < 0.02) || !eval[bool](p, `document.querySelector('[data-testid="test-accuracy"]').closest('div').hidden`) {
		t.Errorf("gaussians after 400 epochs: training loss %v, accuracy shown %q; want under 0.02 and none", loss, p.text("test-accuracy"))
	}
	out := eval[[]float64](p, `(() => { const c = document.querySelector('[data-testid="graph"]'), k = c.width / c.getBoundingClientRect().width;
		const cx = c.width - 40 * k, cy = (22 + (320 - 28) / 2) * k; // the one output node's centre, as drawGraph lays it out
		const d = c.getContext('2d').getImageData(cx - 12 * k, cy - 12 * k, 24 * k, 24 * k).data; let orange = 0, blue = 0;
		for (let i = 0; i < d.length; i += 4) { if (d[i] > d[i+2] + 60) orange++; else if (d[i+2] > d[i] + 60) blue++; } return [orange, blue] })()`)
	if out[0] < 20 || out[1] < 20 {
		t.Errorf("the graph's output node: %v orange and %v blue pixels; want the surface drawn", out[0], out[1])
	}
	p.screenshot("gaussians")
	p.fullScreenshot("gaussians-full")

	// A file of one's own with values: read as values, with mse, though
	// the page asked for no loss of its own.
	var csv strings.Builder
	csv.WriteString("x,y,height\n")
	for i := range 60 {
		x, y := float64(i%9)/4-1, float64(i%7)/3-1
		fmt.Fprintf(&csv, "%g,%g,%g\n", x, y, x*y+0.01*float64(i))
	}
	path := filepath.Join(t.TempDir(), "heights.csv")
	if err := os.WriteFile(path, []byte(csv.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	p.choose("dataset", "spiral")
	p.do(10*time.Second, waitFor(`state.config.data === 'spiral' && state.config.loss === 'softmax'`, 8*time.Second))
	if n := eval[float64](p, `state.info.train.length + state.info.test.length`); n != 300 {
		t.Errorf("spiral chosen after gaussians: %v points; want its own 300 (gaussians' 300 in all are not 300 a class)", n)
	}
	if eval[bool](p, `document.querySelector('[data-testid="train-accuracy"]').closest('div').hidden`) {
		t.Error("spiral chosen after gaussians: the accuracy is still hidden")
	}
	p.do(20*time.Second, chromedp.SetUploadFiles(testid("upload-csv"), []string{path}),
		waitFor(`state.config.data === 'custom' && state.config.loss === 'mse' && state.info.plane && state.info.train.length > 0`, 10*time.Second))
	if !strings.Contains(p.text("points-legend"), "squares: test points") {
		t.Errorf("a file of values: legend %q; want the legend of values", p.text("points-legend"))
	}
}

// TestQuickChangesKeepPoints: points clicked onto the plot are neither lost
// nor doubled by quick changes of the settings, and a stale run's losses
// do not reach the new one's curve.
func TestQuickChangesKeepPoints(t *testing.T) {
	p := openPage(t, 1280, 800)
	p.ready("#test=0")
	before := eval[float64](p, `state.info.train.length`)
	box := eval[[]float64](p, `(() => { const r = document.querySelector('[data-testid="regions"]').getBoundingClientRect(); return [r.x + r.width*0.3, r.y + r.height*0.3] })()`)
	p.do(10*time.Second, chromedp.MouseClickXY(box[0], box[1]), waitFor(fmt.Sprintf(`state.info.train.length === %v`, before+1), 5*time.Second),
		chromedp.Click(testid("play")), chromedp.Sleep(300*time.Millisecond))
	eval[bool](p, `(() => { changeConfig({ lr: 0.05 }); changeConfig({ seed: 9 }); changeConfig({ batch: 20 }); return true })()`)
	p.do(10*time.Second, chromedp.MouseClickXY(box[0]+20, box[1]+20))
	p.do(10*time.Second, waitFor(`state.shown === state.asked && state.info.config.batch === 20 && state.info.config.seed === 9`, 8*time.Second),
		chromedp.Sleep(500*time.Millisecond))
	if got := eval[float64](p, `state.info.train.length`); got != before+2 {
		t.Errorf("%v training points after two clicks and three quick changes; want %v", got, before+2)
	}
	if got := eval[float64](p, `state.history.train.length`); got != 0 {
		t.Errorf("the new run's curve holds %v epochs before it trained; want none", got)
	}
	// The link holds the two points: opened anew, its run has them too.
	link := eval[string](p, `location.hash`)
	q := openPage(t, 1280, 800)
	q.ready(link)
	q.do(10*time.Second, waitFor(fmt.Sprintf(`state.info.train.length === %v`, before+2), 8*time.Second))
	// A link edited in its points alone makes a run of those points.
	q.do(10*time.Second, chromedp.Evaluate[chromedp.Void](`location.hash = location.hash.replace(/pts=[^&]*/, 'pts=0.1:0.1:0')`),
		waitFor(fmt.Sprintf(`state.shown === state.asked && state.info.train.length === %v && state.added.length === 1`, before+1), 8*time.Second))
	// An emptied number box keeps its value: no learning rate of 0.
	lr := eval[string](q, `document.querySelector('[data-testid="learning-rate"]').value`)
	eval[bool](q, `(() => { const e = document.querySelector('[data-testid="learning-rate"]'); e.value = ''; e.dispatchEvent(new Event('change')); return true })()`)
	if got, asked := eval[string](q, `document.querySelector('[data-testid="learning-rate"]').value`), eval[float64](q, `state.asked`); got != lr || asked != 2 {
		t.Errorf("an emptied learning rate: the box reads %q (was %q), %v runs asked for; want it kept and no change", got, lr, asked)
	}
}

// TestLinkPointsARunCannotTake: a link's point of a class the data lacks
// is refused, said, and left out of the link, while its others go in;
// the regression set takes none.
func TestLinkPointsARunCannotTake(t *testing.T) {
	p := openPage(t, 1280, 800)
	p.ready("#data=xor&test=0")
	base := eval[float64](p, `state.info.train.length`)
	q := openPage(t, 1280, 800)
	q.ready("#data=xor&test=0&pts=0.1:0.1:0;1:1:5;0.5:0.5:1")
	q.do(10*time.Second, waitFor(fmt.Sprintf(`state.info.train.length === %v && document.querySelector('[data-testid="message"]').textContent.includes('left out: 1')`, base+2), 8*time.Second))
	if link := eval[string](q, `decodeURIComponent(location.hash)`); strings.Contains(link, "1:1:5") || !strings.Contains(link, "0.5:0.5:1") {
		t.Errorf("the link after a point of class 5 on xor: %q; want it left out and the others kept", link)
	}
	r := openPage(t, 1280, 800)
	r.ready("#data=sine&loss=mse&pts=0.5:0.5:0")
	if added, link, message := eval[float64](r, `state.added.length`), eval[string](r, `location.hash`), r.text("message"); added != 0 || strings.Contains(link, "pts=") || !strings.Contains(message, "left out: 1") {
		t.Errorf("a sine link with a point: %v points kept, link %q, message %q; want none kept, and it said", added, link, message)
	}
}

// TestMixedLayers: tanh, prelu and maxout layers each get their card, in
// order, and the page shows no error.
func TestMixedLayers(t *testing.T) {
	p := openPage(t, 1280, 800)
	p.ready("#hidden=4,5,6&acts=tanh;prelu;maxout")
	p.do(10*time.Second, waitFor(`document.querySelectorAll('[data-testid^="layer-act-"]').length === 3`, 8*time.Second),
		chromedp.Click(testid("step")), chromedp.Sleep(300*time.Millisecond))
	got := eval[[]any](p, `[1,2,3].map((k) => document.querySelectorAll('[data-testid^="neuron-' + k + '-"]').length)`)
	if fmt.Sprint(got) != "[4 5 6]" {
		t.Errorf("neurons per card %v, want [4 5 6]", got)
	}
	// Without hidden layers the health box says so in words.
	eval[bool](p, `(() => { changeConfig({ hidden: [], acts: null }); return true })()`)
	p.do(10*time.Second, waitFor(`state.shown === state.asked && state.info.config.hidden.length === 0`, 8*time.Second),
		waitFor(`!document.querySelector('[data-testid="no-hidden"]').hidden && document.querySelector('[data-testid="health"]').hidden`, 5*time.Second))
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, line := range p.console {
		if strings.Contains(line, "rror") || strings.Contains(line, "xception") {
			t.Errorf("the page logged %q", line)
		}
	}
}

// TestBadSettingsLeaveARun: a link the engine refuses shows the defaults
// and says why; a setting it refuses leaves the run as it was (its epochs,
// the controls); text that is not a list of widths is refused on the page;
// a link edited in the address bar is followed; the layer buttons stop at
// their limits. No script error on the way.
func TestBadSettingsLeaveARun(t *testing.T) {
	p := openPage(t, 1280, 800)
	p.ready("#hidden=100&data=moons")
	eval[bool](p, `(() => { window.pageErrors = []; window.addEventListener('error', (e) => window.pageErrors.push(String(e.message))); return true })()`)
	if msg := p.text("message"); !strings.Contains(msg, "The link's settings could not be used") || !strings.Contains(msg, "want 1 to 64") {
		t.Errorf("a link with a layer of 100 neurons: message %q; want why, and that the defaults are shown", msg)
	}
	if got := eval[string](p, `document.querySelector('[data-testid="hidden"]').value`); got != "16,16" {
		t.Errorf("after a refused link the hidden layers read %q; want the defaults' 16,16", got)
	}
	p.do(10*time.Second, chromedp.Click(testid("step")), waitFor(`document.querySelector('[data-testid="epoch"]').textContent === '1'`, 8*time.Second))

	p.choose("hidden", "100")
	p.do(10*time.Second, waitFor(`document.querySelector('[data-testid="message"]').textContent.includes('Not changed')`, 8*time.Second))
	if got := eval[string](p, `document.querySelector('[data-testid="hidden"]').value`); got != "16,16" {
		t.Errorf("after a refused change the hidden layers read %q; want the run's 16,16", got)
	}
	if got := p.text("epoch"); got != "1" || eval[float64](p, `state.history.train.length`) != 1 {
		t.Errorf("after a refused change the epoch reads %q and the curve holds %v epochs; want the run's 1 and 1", got, eval[float64](p, `state.history.train.length`))
	}
	p.do(10*time.Second, chromedp.Click(testid("step")), waitFor(`document.querySelector('[data-testid="epoch"]').textContent === '2'`, 8*time.Second))

	// A file the engine refuses leaves the run's data, and later changes work.
	eval[bool](p, `(() => { changeConfig({ data: 'custom', noise: 0, k: 0 }, { csv: 'x,y,label\n0x10,1,0\n1,2,1\n', clearAdded: true }); return true })()`)
	p.do(10*time.Second, waitFor(`!document.querySelector('[data-testid="message"]').hidden && document.querySelector('[data-testid="message"]').textContent.includes('0x10')`, 8*time.Second))
	if eval[bool](p, `state.csv !== undefined`) {
		t.Errorf("a refused file became the page's: state.csv %q", eval[string](p, `String(state.csv)`))
	}
	eval[bool](p, `(() => { changeConfig({ lr: 0.05, seed: 2 }); return true })()`)
	p.do(10*time.Second, waitFor(`state.config.lr === 0.05 && state.config.seed === 2 && state.shown === state.asked && document.querySelector('[data-testid="message"]').hidden`, 8*time.Second))
	if data := eval[string](p, `state.config.data`); data != "spiral" {
		t.Errorf("after a refused file and a change of rate and seed, the data is %q; want the run's spiral", data)
	}

	// Two changes at once, the second refused: the first, a learning rate,
	// went to the running network, which goes on with its epochs.
	p.do(10*time.Second, chromedp.Click(testid("step")), waitFor(`document.querySelector('[data-testid="epoch"]').textContent === '1'`, 8*time.Second))
	eval[bool](p, `(() => { changeConfig({ lr: 0.02 }); changeConfig({ hidden: [100] }); return true })()`)
	p.do(10*time.Second, waitFor(`!document.querySelector('[data-testid="message"]').hidden && document.querySelector('[data-testid="message"]').textContent.includes('Not changed') && state.config.lr === 0.02`, 8*time.Second))
	if n, epoch := eval[float64](p, `state.history.train.length`), p.text("epoch"); n != 1 || epoch != "1" {
		t.Errorf("the run tuned to lr 0.02 shows a curve of %v epochs at epoch %q; want its 1 and 1", n, epoch)
	}
	if !strings.Contains(eval[string](p, `location.hash`), "lr=0.02") {
		t.Errorf("the link %q does not hold the run's lr 0.02", eval[string](p, `location.hash`))
	}

	// Two refusals in a row, a point clicked on while the second waits: the
	// run's curve stays, and the point reaches its run once.
	p.do(10*time.Second, chromedp.Click(testid("step")), waitFor(`document.querySelector('[data-testid="epoch"]').textContent === '2'`, 8*time.Second))
	points := eval[float64](p, `state.info.train.length`)
	eval[bool](p, `(() => { changeConfig({ hidden: [100] }); return true })()`)
	p.do(10*time.Second, waitFor(`!document.querySelector('[data-testid="message"]').hidden && state.shown === state.asked`, 8*time.Second))
	box := eval[[]float64](p, `(() => { const r = document.querySelector('[data-testid="regions"]').getBoundingClientRect(); return [r.x + r.width*0.3, r.y + r.height*0.3] })()`)
	eval[bool](p, `(() => { changeConfig({ hidden: [200] }); return true })()`)
	p.do(10*time.Second, chromedp.MouseClickXY(box[0], box[1]),
		waitFor(`state.shown === state.asked && state.info.train.length === `+fmt.Sprint(points+1), 8*time.Second), chromedp.Sleep(300*time.Millisecond))
	if n, added := eval[float64](p, `state.history.train.length`), eval[float64](p, `state.info.train.length`); n != 2 || added != points+1 {
		t.Errorf("after two refusals in a row: a curve of %v epochs and %v points; want the run's 2 and %v", n, added, points+1)
	}
	eval[bool](p, `(() => { state.added = []; return true })()`) // the rest of the test starts afresh

	// A link edited to settings the engine refuses: the address bar goes back to the run's.
	eval[bool](p, `(() => { location.hash = 'hidden=100'; return true })()`)
	p.do(10*time.Second, waitFor(`!document.querySelector('[data-testid="message"]').hidden && document.querySelector('[data-testid="message"]').textContent.includes('Not changed') && !location.hash.includes('hidden=100')`, 8*time.Second))
	// A link edited in its language alone: the run goes on.
	p.do(10*time.Second, chromedp.Click(testid("step")), waitFor(`document.querySelector('[data-testid="epoch"]').textContent === '3'`, 8*time.Second))
	eval[bool](p, `(() => { location.hash = location.hash.slice(1) + '&lang=ko'; return true })()`)
	p.do(10*time.Second, waitFor(`document.documentElement.lang === 'ko' || document.querySelector('[data-testid="play"]').textContent.includes('학습')`, 8*time.Second))
	if got := p.text("epoch"); got != "3" {
		t.Errorf("after a link edited in its language alone the epoch reads %q; want the run's 3", got)
	}
	eval[bool](p, `(() => { location.hash = location.hash.replace('lang=ko', 'lang=en'); return true })()`)
	p.do(10*time.Second, waitFor(`document.querySelector('[data-testid="play"]').textContent.includes('Play')`, 8*time.Second))

	network := p.text("network")
	p.choose("hidden", "abc")
	if msg := p.text("message"); !strings.Contains(msg, `Hidden layers: want whole numbers`) || !strings.Contains(msg, `"abc"`) {
		t.Errorf("hidden layers \"abc\": message %q", msg)
	}
	if got := eval[string](p, `document.querySelector('[data-testid="hidden"]').value`); got != "16,16" || p.text("network") != network {
		t.Errorf("hidden layers \"abc\" left the field at %q and the network at %q; want 16,16 and %q", got, p.text("network"), network)
	}

	eval[bool](p, `(() => { location.hash = 'data=sine&hidden='; return true })()`)
	p.do(10*time.Second, waitFor(`state.config && state.config.data === 'sine' && state.config.hidden.length === 0`, 8*time.Second))
	if loss := eval[string](p, `document.querySelector('[data-testid="loss"]').value`); loss != "mse" {
		t.Errorf("a link to the sine without a loss: loss %q; want mse", loss)
	}
	if !eval[bool](p, `document.querySelector('[data-testid="layer-remove"]').disabled`) || eval[bool](p, `document.querySelector('[data-testid="layer-add"]').disabled`) {
		t.Error("with no hidden layer, want − disabled and + enabled")
	}
	eval[bool](p, `(() => { location.hash = 'data=xor&hidden=4,4,4,4,4,4,4,4'; return true })()`)
	p.do(10*time.Second, waitFor(`state.config && state.config.data === 'xor' && state.config.hidden.length === 8`, 8*time.Second))
	if !eval[bool](p, `document.querySelector('[data-testid="layer-add"]').disabled`) {
		t.Error("with 8 hidden layers, want + disabled")
	}
	if errs := eval[[]string](p, `window.pageErrors`); len(errs) > 0 {
		t.Errorf("script errors: %v", errs)
	}
}

// TestViewOptions: the test points can be hidden and the output
// discretised, as in TensorFlow Playground, the loss chart's epochs put on
// a log scale (its decades marked), and a link keeps all three.
func TestViewOptions(t *testing.T) {
	p := openPage(t, 1280, 800)
	p.ready("#data=circles&test=0.5")
	p.do(20*time.Second, chromedp.Click(testid("play")), waitFor(`state.stats && state.stats.epoch >= 30`, 15*time.Second), chromedp.Click(testid("pause")),
		chromedp.Sleep(200*time.Millisecond))
	// white: the fill of a test point's ring (the regions are always tinted);
	// colours: the distinct colours on a grid of samples of the regions.
	white := `(() => { const c = document.querySelector('[data-testid="regions"]'); const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
		let n = 0; for (let i = 0; i < d.length; i += 4) if (d[i] === 255 && d[i+1] === 255 && d[i+2] === 255) n++; return n })()`
	colours := `(() => { const c = document.querySelector('[data-testid="regions"]'); const ctx = c.getContext('2d'); const seen = new Set();
		for (let y = 20; y < c.height - 40; y += 11) for (let x = 50; x < c.width - 20; x += 11) seen.add(ctx.getImageData(x, y, 1, 1).data.slice(0, 3).join()); return seen.size })()` // clear of the ticks' values at the left and bottom edges
	shown, smooth := eval[float64](p, white), eval[float64](p, colours)
	curves := `document.querySelector('[data-testid="curves"]')`
	linear, linearTicks := eval[string](p, curves+`.toDataURL()`), eval[string](p, curves+`.dataset.ticks`)
	p.do(5*time.Second, chromedp.Click(testid("show-test")), chromedp.Click(testid("discrete")), chromedp.Click(testid("log-epochs")),
		waitFor(`location.hash.includes('showtest=0') && location.hash.includes('discrete=1') && location.hash.includes('logepochs=1')`, 3*time.Second))
	epochs := eval[float64](p, `state.history.train.length`)
	ticks := eval[string](p, curves+`.dataset.ticks`)
	if linearTicks != "" || !logTicksAt(ticks, epochs) {
		t.Errorf("the loss chart's decade labels (epoch@place along the axis): %q on the linear scale, %q on the log scale after %v epochs; want none, then 1, 10 and so on, each at log(e)/log(%v)", linearTicks, ticks, epochs, epochs)
	}
	if eval[string](p, curves+`.toDataURL()`) == linear {
		t.Error("the loss chart drew the same picture on the log scale as on the linear one")
	}
	// a run left playing for minutes (the page trains hundreds of epochs a
	// second, and redraws the chart tens of times): a redraw reads the
	// losses at the chart's half pixels, not every epoch's
	long := `(() => { const c = ` + curves + `, h = state.history, kept = h.train; let reads = 0;
		h.train = new Proxy(Array.from({ length: 300000 }, (_, i) => 1 / (1 + i)), { get(a, k) { if (/^[0-9]+$/.test(String(k))) reads++; return a[k] } });
		drawCurves(); const got = [+c.dataset.points, reads, c.getBoundingClientRect().width]; h.train = kept; drawCurves(); return got })()`
	if got := eval[[]float64](p, long); got[0] < got[2]/2 || got[0] > 2*got[2]+2 || got[1] > 3*got[2] {
		t.Errorf("a 300,000-epoch curve drawn with %v points, %v of its losses read, on a chart %v pixels wide; want about two a pixel", got[0], got[1], got[2])
	}
	hidden, crisp := eval[float64](p, white), eval[float64](p, colours)
	if !(hidden < shown/4) {
		t.Errorf("white pixels (test points' rings) %v with the test points shown, %v hidden; want far fewer hidden", shown, hidden)
	}
	if !(crisp < smooth/3) || crisp > 48 { // the classes' two colours, and the points' edges sampled where they lie (a square's too, since classes have shapes: 41 seen)
		t.Errorf("distinct colours in the regions: %v smooth, %v discretised; want a few classes' colours (and the points')", smooth, crisp)
	}
	url := eval[string](p, `location.href`)
	q := openPage(t, 1280, 800)
	q.ready(url[strings.Index(url, "#"):])
	if eval[bool](q, `document.querySelector('[data-testid="show-test"]').checked`) || !eval[bool](q, `document.querySelector('[data-testid="discrete"]').checked`) ||
		!eval[bool](q, `document.querySelector('[data-testid="log-epochs"]').checked`) {
		t.Error("the link did not keep the view's options")
	}
	p.screenshot("view-options")
}

// logTicksAt tells whether the loss chart's decade labels, "e@place"
// joined by commas, are 1 and 10 at least, then each next decade, every
// one at log(e)/log(epochs) along the axis (to its three decimals).
func logTicksAt(ticks string, epochs float64) bool {
	parts := strings.Split(ticks, ",")
	if len(parts) < 2 {
		return false
	}
	for i, part := range parts {
		e, place, ok := strings.Cut(part, "@")
		want := math.Pow(10, float64(i))
		at, err := strconv.ParseFloat(place, 64)
		if !ok || e != strconv.Itoa(int(want)) || err != nil || math.Abs(at-math.Log(want)/math.Log(epochs)) > 0.001 {
			return false
		}
	}
	return true
}

// TestGraphTooltips: the pointer over one of the graph's lines names its
// weight (as the engine has it) and its two ends, over a node names the
// node, over nothing shows nothing; into a maxout layer the weight is
// said to be its pieces' largest.
// largestLine is JavaScript giving [from, to] of the line of column c's
// largest weight: a line drawn (a weight near 0's is not, nor can it be
// hovered or clicked).
func largestLine(c int) string {
	return fmt.Sprintf(`(() => { const e = state.graph.edges[%d]; let b = 0; e.w.forEach((w, k) => { if (Math.abs(w) > Math.abs(e.w[b])) b = k }); return [b %% e.from, Math.floor(b / e.from)] })()`, c)
}

// regionsSample is JavaScript giving a sample of the big plot's pixels,
// to tell whether it changed.
const regionsSample = `Array.from(document.querySelector('[data-testid="regions"]').getContext('2d').getImageData(0, 0, 560, 560).data.filter((_, k) => k % 4000 === 0)).join()`

func TestGraphTooltips(t *testing.T) {
	p := openPage(t, 1280, 800)
	hover := func(c, i, j int, along float64) string { // along column c's line from node i to column c+1's node j; along < 0: over node i itself
		return eval[string](p, fmt.Sprintf(`(() => { const canvas = document.querySelector('[data-testid="graph"]'), r = canvas.getBoundingClientRect(), g = state.graphGeom;
			const c = %d, i = %d, j = %d, along = %v;
			const [x, y] = along >= 0 ? linePoint(c, i, j, along) : [g.xs[c], g.ys[c][i]];
			canvas.dispatchEvent(new MouseEvent('mousemove', { clientX: r.left + x, clientY: r.top + y, bubbles: true }));
			const tip = document.querySelector('[data-testid="tooltip"]'); return tip.hidden ? '' : tip.textContent })()`, c, i, j, along))
	}
	p.ready("#hidden=5,3&inputs=x,y,xy")
	p.do(20*time.Second, chromedp.Click(testid("play")), waitFor(`!!(state.graphGeom && state.stats && state.stats.epoch > 20)`, 15*time.Second), chromedp.Click(testid("pause")))
	p.waitStopped()
	// Lines of weights near 0 are not drawn, so not hovered: take each column's largest.
	largest := func(c int) (from, to int) {
		ends := eval[[]int](p, largestLine(c))
		return ends[0], ends[1]
	}
	from, to := largest(1)
	want := fmt.Sprintf("weight %s: Layer 1, neuron %d → Layer 2, neuron %d", eval[string](p, fmt.Sprintf(`state.graph.edges[1].w[%d * 5 + %d].toFixed(3)`, to, from)), from+1, to+1)
	if got := hover(1, from, to, 0.3); got != want {
		t.Errorf("over the line from layer 1's neuron %d to layer 2's %d: %q; want %q", from+1, to+1, got, want)
	}
	plot := eval[string](p, regionsSample)
	if got := hover(0, 2, 0, -1); got != "input x·y" {
		t.Errorf("over the third input: %q; want %q", got, "input x·y")
	}
	// A node hovered shows its map in the plot, named above it, as
	// TensorFlow Playground does; the output comes back when the pointer leaves.
	peek := `document.querySelector('[data-testid="regions"]').dataset.peek`
	if name := eval[string](p, peek); name != "input x·y" || eval[string](p, regionsSample) == plot {
		t.Errorf("over the input x·y: the plot shows %q, its pixels changed %v; want its map, named", name, eval[string](p, regionsSample) != plot)
	}
	if got := hover(1, 0, 0, -1); got != "Layer 1, neuron 1" || eval[string](p, peek) != "Layer 1, neuron 1" {
		t.Errorf("over layer 1's first neuron: tooltip %q, the plot shows %q", got, eval[string](p, peek))
	}
	p.screenshot("peek")
	eval[bool](p, `(() => { document.querySelector('[data-testid="graph"]').dispatchEvent(new MouseEvent('mouseleave')); return true })()`)
	if name := eval[string](p, peek); name != "" || eval[string](p, regionsSample) != plot {
		t.Errorf("the pointer gone: the plot shows %q, back to the output %v; want the output", name, eval[string](p, regionsSample) == plot)
	}
	// So does a neuron of the layers' cards, hovered or reached by keyboard.
	on := func(event string) string {
		return eval[string](p, fmt.Sprintf(`(() => { document.querySelector('[data-testid="neuron-1-2"]').dispatchEvent(new Event(%q)); return document.querySelector('[data-testid="regions"]').dataset.peek })()`, event))
	}
	if got := on("mouseenter"); got != "Layer 1, neuron 2" {
		t.Errorf("a card's neuron hovered: the plot shows %q; want its map", got)
	}
	// The map shown is that neuron's: the plot's pixels at the centres of
	// its 16×16 cells are the card's (but where points, axes or the label
	// cover them).
	same := eval[float64](p, `(() => { const card = document.querySelector('[data-testid="neuron-1-2"]'), plot = document.querySelector('[data-testid="regions"]');
		const a = card.getContext('2d').getImageData(0, 0, 16, 16).data, pc = plot.getContext('2d'), cell = plot.width / 16; let same = 0;
		for (let y = 0; y < 16; y++) for (let x = 0; x < 16; x++) {
			const b = pc.getImageData(Math.floor((x + 0.5) * cell), Math.floor((y + 0.5) * cell), 1, 1).data, k = 4 * (16 * y + x);
			if (Math.abs(a[k] - b[0]) <= 3 && Math.abs(a[k + 1] - b[1]) <= 3 && Math.abs(a[k + 2] - b[2]) <= 3) same++;
		} return same / 256 })()`)
	if same < 0.7 {
		t.Errorf("the plot's cells match the hovered neuron's map at %.0f%% of them; want most", 100*same)
	}
	if got := on("mouseleave"); got != "" {
		t.Errorf("a card's neuron left: the plot shows %q; want the output", got)
	}
	if got := eval[string](p, `(() => { const canvas = document.querySelector('[data-testid="graph"]'), r = canvas.getBoundingClientRect();
		canvas.dispatchEvent(new MouseEvent('mousemove', { clientX: r.left + 2, clientY: r.bottom - 2, bubbles: true }));
		const tip = document.querySelector('[data-testid="tooltip"]'); return tip.hidden ? '' : tip.textContent })()`); got != "" {
		t.Errorf("over the graph's empty corner: %q; want no tooltip", got)
	}
	p.ready("#hidden=4&act=maxout")
	p.do(20*time.Second, waitFor(`!!state.graphGeom && state.graphGeom.xs.length === 3`, 15*time.Second))
	from, to = largest(0)
	if got := hover(0, from, to, 0.4); !strings.Contains(got, fmt.Sprintf("(the largest of its pieces; not set by hand): input %s → Layer 1, neuron %d", []string{"x", "y"}[from], to+1)) {
		t.Errorf("over a line into a maxout layer: %q; want it said to be its pieces' largest", got)
	}
}

// TestEditWeight: a click on one of the graph's lines opens an editor
// holding its weight; Enter sets what is typed, and the graph, the engine,
// the regions and the training loss follow; Escape leaves the weight; an
// empty entry keeps the editor open, marked; a line into a maxout layer
// opens none.
func TestEditWeight(t *testing.T) {
	p := openPage(t, 1280, 800)
	click := func(c, i, j int) string { // clicks 30% along column c's line from node i to node j; the editor's value, "" if closed
		return eval[string](p, fmt.Sprintf(`(() => { const canvas = document.querySelector('[data-testid="graph"]'), r = canvas.getBoundingClientRect();
			const [x, y] = linePoint(%d, %d, %d, 0.3);
			canvas.dispatchEvent(new MouseEvent('click', { clientX: r.left + x, clientY: r.top + y, bubbles: true }));
			const box = document.querySelector('[data-testid="weight-edit"]'); return box.hidden ? '' : box.value })()`, c, i, j))
	}
	hit := func(c, i, j int) string { // what graphHit finds 30% along that line, as JSON
		return eval[string](p, fmt.Sprintf(`JSON.stringify(graphHit(...linePoint(%d, %d, %d, 0.3)))`, c, i, j))
	}
	key := func(value, k string) {
		eval[bool](p, fmt.Sprintf(`(() => { const box = document.querySelector('[data-testid="weight-edit"]'); box.value = %q;
			box.dispatchEvent(new KeyboardEvent('keydown', { key: %q, bubbles: true })); return true })()`, value, k))
	}
	p.ready("#hidden=4,3&seed=5")
	p.do(10*time.Second, waitFor(`!!state.graphGeom && !!state.view`, 8*time.Second))
	// The column's largest weight: its line is drawn (a weight near 0's is not, nor can it be clicked).
	ends := eval[[]int](p, largestLine(1))
	from, to := ends[0], ends[1]
	weight := fmt.Sprintf(`state.graph.edges[1].w[%d * 4 + %d].toFixed(3)`, to, from)
	if got, want := click(1, from, to), eval[string](p, weight); got != want {
		t.Fatalf("the editor opened with %q; want the line's weight %q", got, want)
	}
	before, loss := eval[string](p, regionsSample), p.text("train-loss")
	key("7.5", "Enter")
	p.do(10*time.Second, waitFor(weight+` === '7.500'`, 8*time.Second))
	p.do(10*time.Second, waitFor(fmt.Sprintf(`document.querySelector('[data-testid="train-loss"]').textContent !== %q`, loss), 8*time.Second))
	if eval[bool](p, `!document.querySelector('[data-testid="weight-edit"]').hidden`) {
		t.Error("the editor stayed open after Enter")
	}
	p.do(10*time.Second, chromedp.Sleep(300*time.Millisecond))
	if eval[string](p, regionsSample) == before {
		t.Error("the regions did not change with a weight of 7.5")
	}
	eval[bool](p, `(() => { document.querySelector('[data-testid="graph"]').scrollIntoView(); return true })()`)
	click(1, from, to)
	p.screenshot("edit-weight")
	key("-3", "Escape")
	p.do(5*time.Second, chromedp.Sleep(300*time.Millisecond))
	if got := eval[string](p, weight); got != "7.500" || !eval[bool](p, `document.querySelector('[data-testid="weight-edit"]').hidden`) {
		t.Errorf("after Escape the weight is %s and the editor hidden %v; want it left at 7.500, the editor closed", got, eval[bool](p, `document.querySelector('[data-testid="weight-edit"]').hidden`))
	}
	click(1, from, to)
	key("", "Enter")
	if eval[bool](p, `document.querySelector('[data-testid="weight-edit"]').hidden || !document.querySelector('[data-testid="weight-edit"]').classList.contains('invalid')`) {
		t.Error("an empty weight: the editor closed or was not marked; want it kept open, marked")
	}
	key("", "Escape")
	// An editor open when the run changes closes: its line is the old run's.
	click(1, from, to)
	p.choose("hidden", "5,3")
	p.do(10*time.Second, waitFor(`state.config.hidden.join() === '5,3' && document.querySelector('[data-testid="weight-edit"]').hidden`, 8*time.Second))
	p.ready("#hidden=4&act=maxout")
	p.do(10*time.Second, waitFor(`!!state.graphGeom && state.graphGeom.xs.length === 3 && !!state.layers`, 8*time.Second))
	if got := hit(0, 1, 2); got != `{"edge":[0,1,2]}` {
		t.Fatalf("graphHit on the line into the maxout layer: %s; want that line (else the click below tests nothing)", got)
	}
	if got := click(0, 1, 2); got != "" {
		t.Errorf("a click on a line into a maxout layer opened the editor with %q; want none (the line stands for several pieces)", got)
	}
}

// TestNetworkGraph: the network drawn as TensorFlow Playground draws it, a
// node a unit and a line a weight, orange and blue by the weight's sign.
func TestNetworkGraph(t *testing.T) {
	p := openPage(t, 1280, 800)
	for _, c := range []struct {
		hash         string
		nodes, edges float64
	}{
		{"#hidden=5,3&inputs=x,y,xy", 3 + 5 + 3 + 3, 3*5 + 5*3 + 3*3},
		{"#hidden=4&act=maxout", 2 + 4 + 3, 2*4 + 4*3},
	} {
		p.ready(c.hash)
		p.do(20*time.Second, chromedp.Click(testid("play")), waitFor(`state.graphDrawn && state.stats && state.stats.epoch > 20`, 15*time.Second), chromedp.Click(testid("pause")))
		if nodes, edges := eval[float64](p, `state.graphDrawn.nodes`), eval[float64](p, `state.graphDrawn.edges + state.graphDrawn.faint`); nodes != c.nodes || edges != c.edges {
			t.Errorf("%s: %v nodes and %v lines drawn or too faint to draw; want %v and %v", c.hash, nodes, edges, c.nodes, c.edges)
		}
		faint := eval[[]float64](p, `(() => { drawGraph(); // the weights drawn and counted here, not a later view's
			return [state.graphDrawn.faint, state.graph.edges.reduce((n, e) => { const most = Math.max(1, ...Array.from(e.w, Math.abs)); return n + Array.from(e.w).filter((w) => Math.abs(w) < most / 100).length }, 0)] })()`)
		if faint[0] != faint[1] {
			t.Errorf("%s: %v lines left undrawn; %v weights are under 1%% of their column's scale", c.hash, faint[0], faint[1])
		}
		colours := eval[[]float64](p, `(() => { const c = document.querySelector('[data-testid="graph"]'); const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
			let orange = 0, blue = 0; for (let i = 0; i < d.length; i += 4) { const [r, g, b] = [d[i], d[i+1], d[i+2]];
			if (r > b + 60 && g > b + 20) orange++; else if (b > r + 60) blue++; } return [orange, blue] })()`)
		if colours[0] < 100 || colours[1] < 100 {
			t.Errorf("%s: %v orange and %v blue pixels in the graph; want lines of both signs", c.hash, colours[0], colours[1])
		}
	}
	p.fullScreenshot("graph")

	// L1 thins the network out, and the graph shows it: lines of weights
	// near 0 are not drawn (against a scale of at least 1, not the
	// largest weight, which L1 brings near 0 too).
	p.ready("#hidden=8,8&act=tanh&l1=0.03")
	p.do(20*time.Second, chromedp.Click(testid("play")), waitFor(`!!(state.graphDrawn && state.stats && state.stats.epoch > 60)`, 15*time.Second), chromedp.Click(testid("pause")))
	p.waitStopped()
	if faint, all := eval[float64](p, `state.graphDrawn.faint`), eval[float64](p, `state.graphDrawn.edges + state.graphDrawn.faint`); faint < 0.8*all || all != 2*8+8*8+8*3 {
		t.Errorf("L1 0.03 after 60 epochs: %v of %v lines too faint to draw; want most of the 104", faint, all)
	}
}

// TestNeuronButtons: each layer's − and + take a neuron away or add one,
// from 1 to the widest layer.
func TestNeuronButtons(t *testing.T) {
	p := openPage(t, 1280, 800)
	p.ready("#hidden=2,64")
	p.do(20*time.Second, chromedp.Click(testid("play")), waitFor(`document.querySelector('[data-testid="layer-1-add"]') !== null`, 15*time.Second), chromedp.Click(testid("pause")))
	if !eval[bool](p, `document.querySelector('[data-testid="layer-2-add"]').disabled`) || eval[bool](p, `document.querySelector('[data-testid="layer-1-remove"]').disabled`) {
		t.Error("want + disabled at 64 neurons and − enabled at 2")
	}
	// Each change builds the layers' cards again once its run is set up:
	// the next click waits for that, not to land on a card going away.
	cards := func(units string) string {
		return `[...document.querySelectorAll('.layer-card')].map((c) => c.dataset.units).join() === '` + units + `'`
	}
	p.do(10*time.Second, chromedp.Click(testid("layer-1-add")), waitFor(`state.config.hidden.join() === '3,64' && `+cards("3,64"), 8*time.Second))
	p.do(10*time.Second, chromedp.Click(testid("layer-2-remove")), waitFor(`state.config.hidden.join() === '3,63' && `+cards("3,63"), 8*time.Second))
	if got := eval[string](p, `document.querySelector('[data-testid="hidden"]').value`); got != "3,63" {
		t.Errorf("the hidden layers read %q after + on layer 1 and − on layer 2; want 3,63", got)
	}
	p.ready("#hidden=1")
	p.do(20*time.Second, chromedp.Click(testid("play")), waitFor(`document.querySelector('[data-testid="layer-1-remove"]') !== null`, 15*time.Second), chromedp.Click(testid("pause")))
	if !eval[bool](p, `document.querySelector('[data-testid="layer-1-remove"]').disabled`) {
		t.Error("want − disabled at 1 neuron")
	}
}

// TestSlowPageKeepsUp: on a page four times slower (a phone's CPU), a
// run that plays leaves the page answering within two seconds: the
// worker's messages (over a hundred a second) change the state, and a
// frame draws it once. Each message had drawn, and a trial's page on a
// phone's CPU fell behind without bound (2.4 s to answer, then 12, 34,
// past 45).
func TestSlowPageKeepsUp(t *testing.T) {
	p := openPage(t, 412, 915)
	p.ready("")
	p.do(10*time.Second, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		return tg.Call(ctx, "Emulation.setCPUThrottlingRate", map[string]any{"rate": 4}, nil)
	}), chromedp.Click(testid("play")))
	for range 4 {
		time.Sleep(2 * time.Second)
		start := time.Now()
		epoch := eval[string](p, `document.querySelector('[data-testid="epoch"]').textContent`)
		lag := time.Since(start)
		t.Logf("answered in %v at epoch %s", lag.Round(time.Millisecond), epoch)
		if lag > 2*time.Second {
			t.Fatalf("the page took %v to answer while the run played (epoch %s); want it within 2 s", lag.Round(time.Millisecond), epoch)
		}
	}
	p.do(20*time.Second, chromedp.Click(testid("pause")))
	p.waitStopped()
}

// TestLoadingSaid: while the engine loads (seconds on a phone over a slow
// link), the page says so and Play waits for it; once a run is made, the
// words go and Play can be pressed. A trial's page had shown an empty
// plot and a Play that set it "playing" before any engine was there.
func TestLoadingSaid(t *testing.T) {
	p := openPage(t, 412, 915)
	p.do(60*time.Second, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		return tg.Call(ctx, "Emulation.setCPUThrottlingRate", map[string]any{"rate": 6}, nil) // the engine's compilation, seconds long
	}), chromedp.Navigate(p.url), chromedp.WaitVisible(testid("play")))
	loading := eval[[]any](p, `[document.querySelector('[data-testid="play"]').disabled, document.querySelector('[data-testid="message"]').hidden, document.querySelector('[data-testid="message"]').textContent, !!state.info]`)
	if loading[3] == true {
		t.Skip("the engine was ready before the page could be looked at")
	}
	if loading[0] != true || loading[1] != false || loading[2] != "Loading the engine…" {
		t.Errorf("while the engine loads: Play disabled %v, message hidden %v, %q; want Play disabled and the loading said", loading[0], loading[1], loading[2])
	}
	p.do(60*time.Second, waitFor(`document.querySelector('[data-testid="network"]').textContent !== ''`, 50*time.Second))
	if ready := eval[[]any](p, `[document.querySelector('[data-testid="play"]').disabled, document.querySelector('[data-testid="message"]').hidden]`); ready[0] != false || ready[1] != true {
		t.Errorf("the engine ready: Play disabled %v, message hidden %v; want Play enabled, the loading words gone", ready[0], ready[1])
	}
}
