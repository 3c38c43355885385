package playground

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// The page without a mouse, without colour, and on a phone: what
// accessibility trials found only a mouse or an eye could do.

// TestGraphKeys: the graph reached by keyboard: the arrow keys choose a
// drawn line, column by column and line by line, named beside it; Enter
// opens the editor on it, and Enter there sets the weight and gives the
// focus back to the graph; Escape lets the line go.
func TestGraphKeys(t *testing.T) {
	p := openPage(t, 1280, 800)
	p.ready("#hidden=4,3&seed=5")
	p.do(10*time.Second, waitFor(`!!state.graphGeom && !!state.layers`, 8*time.Second))
	press := func(k string) string { // the key on whatever has the focus; the tooltip, "" if hidden
		return eval[string](p, fmt.Sprintf(`(() => { document.activeElement.dispatchEvent(new KeyboardEvent('keydown', { key: %q, bubbles: true }));
			const tip = document.querySelector('[data-testid="tooltip"]'); return tip.hidden ? '' : tip.textContent })()`, k))
	}
	eval[bool](p, `(() => { const g = document.querySelector('[data-testid="graph"]'); g.scrollIntoView(); g.focus(); return true })()`)
	first := eval[string](p, `(() => { const l = drawnLines(0)[0]; return lineText(0, l[0], l[1]) })()`)
	if got := press("ArrowDown"); got != first {
		t.Errorf("the first arrow: %q; want the first drawn line of the first column, %q", got, first)
	}
	second := eval[string](p, `(() => { const l = drawnLines(0)[1]; return lineText(0, l[0], l[1]) })()`)
	if got := press("ArrowDown"); got != second {
		t.Errorf("↓: %q; want the next drawn line, %q", got, second)
	}
	if got := press("ArrowRight"); !strings.Contains(got, "Layer 1, neuron") || !strings.Contains(got, "→ Layer 2, neuron") {
		t.Errorf("→: %q; want a line from layer 1 to layer 2", got)
	}
	p.screenshot("graph-keys")
	line := eval[[]int](p, `state.graphLine`)
	weight := fmt.Sprintf(`state.graph.edges[%d].w[%d * state.graph.edges[%d].from + %d].toFixed(3)`, line[0], line[2], line[0], line[1])
	press("Enter")
	if got, want := eval[string](p, `document.querySelector('[data-testid="weight-edit"]').hidden ? '' : document.querySelector('[data-testid="weight-edit"]').value`), eval[string](p, weight); got != want {
		t.Fatalf("Enter on the chosen line: the editor holds %q; want its weight %q", got, want)
	}
	eval[bool](p, `(() => { document.querySelector('[data-testid="weight-edit"]').value = '-2.25'; return true })()`)
	press("Enter")
	p.do(10*time.Second, waitFor(weight+` === '-2.250'`, 8*time.Second))
	if got := eval[string](p, `document.activeElement.dataset.testid || document.activeElement.tagName`); got != "graph" {
		t.Errorf("after the weight was set the focus is on %s; want the graph again", got)
	}
	p.do(10*time.Second, waitFor(`!document.querySelector('[data-testid="tooltip"]').hidden && document.querySelector('[data-testid="tooltip"]').textContent.includes('-2.25')`, 8*time.Second)) // the line named again, its weight as set
	if got := press("Escape"); got != "" || eval[bool](p, `state.graphLine !== null`) {
		t.Errorf("Escape: tooltip %q, line %v; want none", got, eval[bool](p, `state.graphLine !== null`))
	}
}

// TestKeysAndScreenReaders: what an accessibility trial found only a mouse
// or an eye could do. Points are added from the keys (the plot had no
// focus); a layer's + pressed from the keys keeps the focus (the card it
// was in is made anew; it had fallen to the page); the − and + are not in
// the card's heading's name; Escape closes a neuron's tooltip; Space on a
// link does not start the run; the graph's chosen line is said in a live
// region, not only shown; the settings' regions and the page's title
// speak Korean on a Korean page.
func TestKeysAndScreenReaders(t *testing.T) {
	p := openPage(t, 1280, 800)
	p.ready("#hidden=4,3&seed=5")
	p.do(10*time.Second, waitFor(`!!state.layers && !!state.info && document.querySelector('[data-testid="layer-1-add"]') !== null`, 8*time.Second))
	press := func(k string) { // the key on whatever has the focus
		eval[bool](p, fmt.Sprintf(`(() => { document.activeElement.dispatchEvent(new KeyboardEvent('keydown', { key: %q, bubbles: true, cancelable: true })); return true })()`, k))
	}
	focus := func(id string) {
		eval[bool](p, fmt.Sprintf(`(() => { document.querySelector('[data-testid="%s"]').focus(); return true })()`, id))
	}
	focused := func() string {
		return eval[string](p, `document.activeElement.dataset.testid || document.activeElement.tagName`)
	}

	focus("regions")
	for range 4 {
		press("ArrowRight")
	}
	press("ArrowUp")
	press("Enter")
	if got, said := eval[float64](p, `state.added.length`), p.text("plot-said"); got != 1 || !strings.Contains(said, "added a point of class 0") || !strings.HasPrefix(said, "x 0.") {
		t.Errorf("four → , one ↑ and Enter on the plot: %v points added, said %q; want one, right of the middle, said", got, said)
	}

	focus("layer-1-add")
	p.do(10*time.Second, chromedp.KeyEvent("\r"), waitFor(`state.config.hidden.join() === '5,3' && [...document.querySelectorAll('.layer-card')].map((c) => c.dataset.units).join() === '5,3'`, 8*time.Second))
	if got := focused(); got != "layer-1-add" {
		t.Errorf("after + from the keys the focus is on %s; want layer 1's + still", got)
	}
	if said := p.text("run-said"); said != "Layer 1: 5 units" {
		t.Errorf("after + the page says %q; want the layer's new width", said)
	}
	if got := eval[string](p, `document.querySelector('[data-testid="layer-1"] h3').textContent`); got != "Layer 1" {
		t.Errorf("layer 1's heading reads %q; want its name alone", got)
	}

	focus("neuron-1-1")
	eval[bool](p, `(() => { const c = document.querySelector('[data-testid="neuron-1-1"]'), r = c.getBoundingClientRect();
		c.dispatchEvent(new MouseEvent('mouseenter', { clientX: r.right, clientY: r.bottom })); return true })()`)
	p.do(10*time.Second, waitFor(`!document.querySelector('[data-testid="tooltip"]').hidden`, 5*time.Second))
	press("Escape")
	eval[bool](p, `(() => { if (state.hover) state.hover.ask(); return true })()`) // as the next view of a playing run does (it had opened the tooltip again)
	p.do(5*time.Second, chromedp.Sleep(300*time.Millisecond))
	if !eval[bool](p, `document.querySelector('[data-testid="tooltip"]').hidden`) || focused() != "neuron-1-1" {
		t.Errorf("Escape on a neuron: tooltip hidden %v, focus on %s; want it closed, the neuron kept", eval[bool](p, `document.querySelector('[data-testid="tooltip"]').hidden`), focused())
	}

	eval[bool](p, `(() => { document.querySelector('[data-testid="lesson-dies"]').focus(); return true })()`)
	press(" ")
	if eval[bool](p, `state.playing`) {
		t.Error("Space on a link started the run")
	}

	focus("graph")
	press("ArrowDown")
	if said := p.text("graph-said"); !strings.Contains(said, "weight") {
		t.Errorf("the graph's chosen line is said as %q; want it named with its weight", said)
	}
	// A weight set from the keys is said as set, once the engine has it
	// (it had gone on saying the old weight until the next arrow key).
	press("Enter")
	eval[bool](p, `(() => { const box = document.querySelector('[data-testid="weight-edit"]'); box.value = '2.5';
		box.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true })); return true })()`)
	p.do(10*time.Second, waitFor(`document.querySelector('[data-testid="graph-said"]').textContent.includes('weight 2.500')`, 8*time.Second))
	if got := focused(); got != "graph" {
		t.Errorf("after a weight set from the keys the focus is on %s; want the graph", got)
	}
	press("Escape")

	p.choose("language", "ko")
	p.do(10*time.Second, waitFor(`location.hash.includes('lang=ko')`, 5*time.Second))
	if got := eval[string](p, `document.title + ' | ' + document.querySelector('section.controls').getAttribute('aria-label') + ' | ' + document.querySelector('[data-testid="regions"]').getAttribute('aria-label')`); !strings.Contains(got, "놀이터") || !strings.Contains(got, "| 설정 |") || !strings.Contains(got, "방향키") {
		t.Errorf("the title, the settings' region and the plot in Korean: %q", got)
	}
}

// TestPanelsInReadingOrder: the page's panels come in the order they are
// seen, on a phone (the output first) and on a desktop (the settings left
// of the output), so that Tab and a screen reader meet them as the eye
// does (CSS had moved the output up on a phone and left Tab going through
// the settings below it first); a turn of the phone keeps the focus.
func TestPanelsInReadingOrder(t *testing.T) {
	p := openPage(t, 1280, 800)
	p.ready("#hidden=4&seed=5")
	order := func() string { // the panels in the page's order, and whether each is below or right of the one before it
		return eval[string](p, `(() => {
			const panels = ['settings-panel', 'output-panel', 'inside-panel'].map((id) => document.querySelector('[data-testid="' + id + '"]'));
			panels.sort((a, b) => (a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING) ? -1 : 1);
			return panels.map((el, i) => {
				if (i === 0) return el.dataset.testid;
				const r = el.getBoundingClientRect(), q = panels[i - 1].getBoundingClientRect();
				const after = r.top >= q.bottom - 1 || (r.left >= q.right - 1 && r.top < q.bottom);
				return el.dataset.testid + (after ? '' : ' (seen before the one ahead of it)');
			}).join(', ');
		})()`)
	}
	if got, want := order(), "settings-panel, output-panel, inside-panel"; got != want {
		t.Errorf("on a desktop the panels come as %s; want %s", got, want)
	}
	eval[bool](p, `(() => { document.querySelector('[data-testid="learning-rate"]').focus(); return true })()`)
	// The page hears of the new width in an event after matchMedia reads
	// it: wait for the event to have had its turn (the order it sets is
	// checked below, as it was before the page moved its panels).
	resize := func(width, height int64, narrow bool) {
		p.do(10*time.Second, chromedp.EmulateViewport(width, height),
			waitFor(fmt.Sprintf(`matchMedia('(max-width: 760px)').matches === %v`, narrow), 5*time.Second), chromedp.Sleep(300*time.Millisecond))
	}
	resize(390, 844, true)
	if got, want := order(), "output-panel, settings-panel, inside-panel"; got != want {
		t.Errorf("on a phone the panels come as %s; want %s", got, want)
	}
	if got := eval[string](p, `document.activeElement.dataset.testid || document.activeElement.tagName`); got != "learning-rate" {
		t.Errorf("after the page turned narrow the focus is on %s; want the learning rate still", got)
	}
	resize(1280, 800, false)
	if got, want := order(), "settings-panel, output-panel, inside-panel"; got != want {
		t.Errorf("back on a desktop the panels come as %s; want %s", got, want)
	}
	if got := eval[string](p, `document.activeElement.dataset.testid || document.activeElement.tagName`); got != "learning-rate" { // its panel moved this time
		t.Errorf("after the page turned wide again the focus is on %s; want the learning rate still", got)
	}
}

// TestClassesByShape: each class's points have a shape of their own, not
// only a colour, and the legend of the classes shows it. Each mark is drawn
// alone on a blank canvas; no two may cover the same pixels, and the
// legend's swatch must be clipped to the mark's outline.
func TestClassesByShape(t *testing.T) {
	p := openPage(t, 1280, 800)
	p.ready("#data=spiral&k=4&hidden=4&seed=5")
	p.do(10*time.Second, waitFor(`document.querySelectorAll('[data-testid^="class-mark-"]').length === 4`, 8*time.Second))
	masks := eval[[]string](p, `MARKS.map((_, c) => {
		const canvas = document.createElement('canvas'); canvas.width = canvas.height = 40;
		const ctx = canvas.getContext('2d'); markPath(ctx, c, 20, 20, 14); ctx.fill();
		const d = ctx.getImageData(0, 0, 40, 40).data; let bits = '';
		for (let i = 3; i < d.length; i += 4) bits += d[i] > 127 ? '1' : '0';
		return bits })`)
	if len(masks) != 7 {
		t.Fatalf("%d marks; want 7, coprime with the 8 colours (no two classes below 56 alike in both)", len(masks))
	}
	for i := range masks {
		filled := strings.Count(masks[i], "1")
		if filled < 300 || filled > 1000 { // a unit circle at 14 pixels covers 616
			t.Errorf("class %d's mark covers %d pixels; want about a circle's 616", i, filled)
		}
		for j := range i {
			differ := 0
			for k := range masks[i] {
				if masks[i][k] != masks[j][k] {
					differ++
				}
			}
			if differ < 60 {
				t.Errorf("classes %d and %d have marks that differ in %d pixels of 1,600; want shapes told apart", j, i, differ)
			}
		}
	}
	clips := eval[[]string](p, `[...document.querySelectorAll('[data-testid^="class-mark-"]')].map((d) => getComputedStyle(d).clipPath)`)
	for c, clip := range clips {
		want := "polygon"
		if c == 0 {
			want = "circle"
		}
		if !strings.HasPrefix(clip, want) || (c > 0 && clip == clips[c-1]) {
			t.Errorf("class %d's swatch in the legend is clipped to %q; want its own %s", c, clip, want)
		}
	}
	p.do(5*time.Second, chromedp.ScrollIntoView(testid("regions")))
	p.screenshot("classes-by-shape")
}
