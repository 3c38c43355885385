package lab

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"html"
	"image/png"
	"io/fs"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/wigglenn/wiggle/loss"
	"github.com/wigglenn/wiggle/nn"
	"github.com/wigglenn/wiggle/optim"
	"github.com/wigglenn/wiggle/train"
)

// TestQuickLabWritesEveryExperiment runs the whole lab in quick mode and
// checks the report: every experiment with its fields, checks with
// criteria, numbers and findings, verdicts from the allowed words and
// consistent with the checks, plots that are real PNG files, and a page
// that opens with the summary table.
func TestQuickLabWritesEveryExperiment(t *testing.T) {
	dir := t.TempDir()
	var heard []string
	results, err := Run(nil, Env{Dir: dir, Quick: true, Seed: 1}, func(p Progress) {
		if p.Result != nil {
			heard = append(heard, p.Name)
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := WriteReport(dir, results); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(heard, ExperimentNames()) {
		t.Errorf("progress heard %v", heard)
	}
	raw, err := os.ReadFile(filepath.Join(dir, "report.json"))
	if err != nil {
		t.Fatal(err)
	}
	var report []map[string]any
	if err := json.Unmarshal(raw, &report); err != nil {
		t.Fatal(err)
	}
	for _, r := range report {
		for _, field := range []string{"name", "claim", "source", "verdict", "checks", "plots", "seconds", "seeds", "seed_quote", "key"} {
			if _, ok := r[field]; !ok {
				t.Errorf("%v: report.json has no %q", r["name"], field)
			}
		}
		if r["quick"] != true {
			t.Errorf("%v: report.json's quick is %v, want true for a quick run", r["name"], r["quick"])
		}
	}
	var names []string
	for i, r := range results {
		names = append(names, r.Name)
		checkResult(t, dir, r)
		if declared := Experiments()[i].Plots; !slices.Equal(slices.Sorted(slices.Values(r.Plots)), slices.Sorted(slices.Values(declared))) {
			t.Errorf("%s wrote the plots %v; its Plots (which Files gives, for checking before a run) say %v", r.Name, r.Plots, declared)
		}
	}
	if !slices.Equal(names, ExperimentNames()) {
		t.Errorf("report has %v, want %v", names, ExperimentNames())
	}
	page, _ := os.ReadFile(filepath.Join(dir, "index.html"))
	summary := strings.Index(string(page), `data-testid="summary"`)
	for i, n := range names {
		section := strings.Index(string(page), `id="`+n+`"`)
		if section < 0 || summary < 0 || section < summary {
			t.Errorf("index.html: the section of %s (at %d) does not follow the summary table (at %d)", n, section, summary)
		}
		own := 0
		for _, c := range results[i].Checks {
			if c.Own {
				own++
			}
		}
		part := string(page[max(section, 0):])
		if end := strings.Index(part[1:], "<section"); end > 0 {
			part = part[:end+1]
		}
		if got := strings.Count(part, `data-testid="own"`); got != own {
			t.Errorf("index.html: %s's section marks %d checks as the lab's own questions; want %d", n, got, own)
		}
		if note := results[i].Quote.Note; note != "" && !strings.Contains(string(page), `data-testid="note-`+n+`"><b>How the lab reads it.</b> `+html.EscapeString(note)) {
			t.Errorf("index.html: no note of how the lab reads %s's sentence", n)
		}
		if c := results[i].Caveat; c != "" && !strings.Contains(html.UnescapeString(part), `data-testid="caveat-`+n+`"><b>But.</b> `+c) { // html/template escapes more than html does (+ as &#43;)
			t.Errorf("index.html: %s's section lacks its caveat %q", n, c)
		}
	}
	// The words the findings use are defined once, before the sections.
	for _, term := range []string{"unit-example", "saturated", "dead unit", "‖dW‖"} {
		if terms := strings.Index(string(page), `data-testid="terms"`); terms < 0 || terms > summary || !strings.Contains(string(page[terms:summary]), "<dt>"+html.EscapeString(term)+"</dt>") {
			t.Errorf("index.html: %q is not defined before the summary", term)
		}
	}
}

// checkResult checks one experiment's entry.
func checkResult(t *testing.T, dir string, r Result) {
	t.Helper()
	if r.Claim == "" || r.Short == "" || r.Source == "" || r.Quote.English == "" || r.Key == "" || len(r.Checks) == 0 || len(r.Plots) == 0 || len(r.Seeds) != 3 {
		t.Errorf("%s: incomplete entry %+v", r.Name, r)
	}
	held, judged := 0, 0
	for _, c := range r.Checks {
		if c.Claim == "" || c.Criterion == "" || c.Finding == "" || len(c.Measured) == 0 {
			t.Errorf("%s: incomplete check %+v", r.Name, c)
		}
		if !slices.Contains([]string{Reproduced, NotReproduced, Flips, Inconclusive}, c.Verdict) {
			t.Errorf("%s: check verdict %q", r.Name, c.Verdict)
		}
		if c.Own {
			continue
		}
		judged++
		if c.Verdict == Reproduced {
			held++
		}
	}
	if all := held == judged; all != (r.Verdict == Reproduced) || !slices.Contains([]string{Reproduced, Partly, NotReproduced, Inconclusive}, r.Verdict) {
		t.Errorf("%s: verdict %q with %d of %d checks reproduced", r.Name, r.Verdict, held, len(r.Checks))
	}
	if (r.Verdict == Reproduced) != (r.Explanation == "") {
		t.Errorf("%s: %s, explained %q", r.Name, r.Verdict, r.Explanation)
	}
	for _, p := range r.Plots {
		f, err := os.Open(filepath.Join(dir, p))
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(f)
		f.Close()
		if err != nil || img.Bounds().Dx() < 100 {
			t.Errorf("%s: plot %s is not a PNG picture: %v", r.Name, p, err)
		}
	}
}

// TestJudge checks how checks make an experiment's verdict.
func TestJudge(t *testing.T) {
	c := func(v string) Check { return Check{Verdict: v, Finding: v + "."} }
	own := func(v string) Check { return Check{Verdict: v, Finding: v + ".", Own: true} }
	for _, tc := range []struct {
		checks       []Check
		verdict, why string
	}{
		{[]Check{c(Reproduced), c(Reproduced)}, Reproduced, ""},
		{[]Check{c(Reproduced), c(NotReproduced)}, Partly, "not reproduced."},
		{[]Check{c(NotReproduced), c(Flips)}, Partly, "not reproduced. flips between seeds."},
		{[]Check{c(NotReproduced), c(NotReproduced)}, NotReproduced, "not reproduced. not reproduced."},
		{[]Check{c(Reproduced), own(NotReproduced)}, Reproduced, ""}, // the lab's own question is reported, not judged
		{[]Check{c(NotReproduced), own(Reproduced)}, NotReproduced, "not reproduced."},
		{[]Check{c(Inconclusive), c(Inconclusive)}, Inconclusive, "inconclusive. inconclusive."}, // nothing measured
		{[]Check{c(Reproduced), c(Inconclusive)}, Partly, "inconclusive."},                       // what was measured holds
		{[]Check{c(NotReproduced), c(Inconclusive)}, NotReproduced, "not reproduced. inconclusive."},
		{[]Check{c(Reproduced), c(NotReproduced), c(Inconclusive)}, Partly, "not reproduced. inconclusive."},
	} {
		if v, why := judge(tc.checks); v != tc.verdict || why != tc.why {
			t.Errorf("judge(%v) = %q, %q; want %q, %q", tc.checks, v, why, tc.verdict, tc.why)
		}
	}
	// the lab's own questions that fail are said beside the verdict
	checks := []Check{c(Reproduced), {Claim: "so they train", Verdict: NotReproduced, Finding: "They diverged.", Own: true}, {Claim: "controls", Verdict: Reproduced, Finding: "Fine.", Own: true}}
	if got, want := caveat(checks), `The lab's own question "so they train" does not hold: They diverged.`; got != want {
		t.Errorf("caveat = %q; want %q", got, want)
	}
	if got := caveat([]Check{c(NotReproduced), own(Reproduced)}); got != "" {
		t.Errorf("caveat with every own question holding = %q; want none", got)
	}
	if got := newCheck("c", "k", nil, []bool{true, false, true}, "Found."); got.Verdict != Flips || got.Finding != "Found. The criterion holds for 2 of 3 seeds." {
		t.Errorf("a check that holds for 2 seeds of 3: %+v", got)
	}
}

// TestLabJudgesByNumbers checks experiments whose verdict is certain in
// quick mode: the identity holds in float32, a linear stack is linear, and
// step units get no gradient.
func TestLabJudgesByNumbers(t *testing.T) {
	results, err := Run([]string{"tanh-identity", "linear-collapse", "step"}, Env{Dir: t.TempDir(), Quick: true, Seed: 1}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range results {
		if r.Verdict != Reproduced {
			t.Errorf("%s: %s: %s", r.Name, r.Verdict, r.Explanation)
		}
	}
	if _, err := Run([]string{"alchemy"}, Env{Dir: t.TempDir()}, nil); err == nil || !strings.Contains(err.Error(), "tanh-identity") {
		t.Errorf("an unknown experiment: %v", err)
	}
}

// TestRunStopsWhenItsContextIsDone: a context done after the first
// experiment stops Run before the second, with the first's result, and
// leaves the folder as it was: the report an earlier run left, its plots,
// and no plot of this run's. A run that finishes then removes the earlier
// report with the plots of experiments it leaves out (they would lie
// beside the new report as if they were its own) and puts in its own; a
// file of the user's stays, and neither run leaves its own folder behind.
func TestRunStopsWhenItsContextIsDone(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	env := Env{Dir: t.TempDir(), Quick: true, Seed: 1, Context: ctx}
	earlierPlots := slices.DeleteFunc(Files([]string{"saturation"}), func(f string) bool { return slices.Contains(ReportFiles(), f) })
	if len(earlierPlots) == 0 {
		t.Fatal("saturation draws no plots")
	}
	earlier := append([]string{"report.json", "index.html"}, earlierPlots...)
	content := func(name string) string { // a lab report.json, as HasReport knows one, naming its plots
		if name == "report.json" {
			plots, _ := json.Marshal(earlierPlots)
			return `[{"name": "saturation", "verdict": "reproduced", "plots": ` + string(plots) + `}]`
		}
		return "an earlier run's"
	}
	for _, name := range append([]string{"notes.txt"}, earlier...) {
		if err := os.WriteFile(filepath.Join(env.Dir, name), []byte(content(name)), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	results, err := Run([]string{"tanh-identity", "linear-collapse", "step"}, env, func(p Progress) {
		if p.Result != nil {
			cancel()
		}
	})
	if !errors.Is(err, context.Canceled) || len(results) != 1 || results[0].Name != "tanh-identity" || !strings.Contains(err.Error(), "stopped after 1 of 3") {
		t.Errorf("Run: %d results, %v; want tanh-identity's alone and the context's error", len(results), err)
	}
	folder := func() []string {
		entries, err := os.ReadDir(env.Dir)
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		return names
	}
	if got, want := folder(), append([]string{"notes.txt"}, earlier...); !sameNames(got, want) {
		t.Errorf("after a stopped run the folder holds %v; want it as it was, %v", got, want)
	}
	for _, name := range earlier {
		if b, err := os.ReadFile(filepath.Join(env.Dir, name)); err != nil || string(b) != content(name) {
			t.Errorf("the earlier run's %s after a stopped run: %q, %v", name, b, err)
		}
	}
	env.Context = nil
	results, err = Run([]string{"tanh-identity"}, env, nil)
	if err != nil || len(results) != 1 {
		t.Fatalf("Run: %v", err)
	}
	if got, want := folder(), append([]string{"notes.txt", plotsMoved}, results[0].Plots...); !sameNames(got, want) {
		t.Errorf("after a finished run the folder holds %v; want the user's file, this run's plots and their list, %v (WriteReport writes the report)", got, want)
	}
	if err := WriteReport(env.Dir, results); err != nil {
		t.Fatal(err)
	}
	if got, want := folder(), append([]string{"notes.txt", reportJSON, reportPage}, results[0].Plots...); !sameNames(got, want) {
		t.Errorf("after WriteReport the folder holds %v; want %v, the list of plots moved in gone", got, want)
	}
}

// sameNames reports whether a and b hold the same names, in any order.
func sameNames(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

// TestCollapseGapSeesNonLinearity checks that the multiplied-out map would
// catch a network that is not linear.
func TestCollapseGapSeesNonLinearity(t *testing.T) {
	env := &Env{Seed: 1, Quick: true}
	ds := env.spiral()
	net := build(nnSpecWith("tanh"), 1)
	if gap := collapseGap(net, ds.X.Rows, func(i int) []float32 { return ds.X.Row(i) }); gap < 1e-3 {
		t.Errorf("a tanh network collapses to within %v of one affine map; the check cannot tell", gap)
	}
}

func nnSpecWith(act string) nn.Spec { return nn.NewMLPSpec(2, []int{16, 16}, 3, act, nn.MLPOptions{}) }

// TestQuotesAreTheSeeds checks that each Korean quote is the seed
// document's own words: each part (between " … ") appears in it verbatim.
func TestQuotesAreTheSeeds(t *testing.T) {
	path := filepath.Join("..", "..", "shared", "seed", "000_a82695380d679762.txt")
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Skipf("the seed document is not beside the checkout (%v)", err)
	}
	seed := string(raw)
	for _, e := range Experiments() {
		if e.Quote.English == "" {
			t.Errorf("%s: no English quote or note", e.Name)
		}
		for _, part := range strings.Split(e.Quote.Korean, " … ") {
			if part != "" && !strings.Contains(seed, part) {
				t.Errorf("%s: %q is not in the seed document", e.Name, part)
			}
		}
	}
}

// TestMeasureOfDivergedRuns checks that runs that diverged (NaN, ±Inf) are
// counted, not measured, and that report.json can hold them.
func TestMeasureOfDivergedRuns(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	some := measureOf("some", []float64{0.2, nan, 0.4, inf})
	if some.Value == nil || math.Abs(*some.Value-0.3) > 1e-12 || some.Diverged != 2 || !slices.Equal(some.Range, []float64{0.2, 0.4}) {
		t.Errorf("two of four diverged: %+v", some)
	}
	all := measureOf("all", []float64{nan, nan})
	if all.Value != nil || all.Diverged != 2 || measureText(all) != "none: all 2 runs diverged" {
		t.Errorf("all diverged: %+v, %q", all, measureText(all))
	}
	raw, err := json.Marshal([]Measure{some, all})
	if err != nil || !strings.Contains(string(raw), `"value":null`) {
		t.Errorf("report.json of diverged runs: %s, %v", raw, err)
	}
	if got := medianText([]float64{nan, 1, 3}); got != "2 (1–3)" {
		t.Errorf("medianText leaves NaN out: %q", got)
	}
}

// TestQuickRunIsMarked: a page of quick results says so at its top, and
// a page of full ones does not.
func TestQuickRunIsMarked(t *testing.T) {
	for _, quick := range []bool{true, false} {
		dir := t.TempDir()
		if err := WriteReport(dir, []Result{{Name: "mine", Quick: quick}}); err != nil {
			t.Fatal(err)
		}
		page, err := os.ReadFile(filepath.Join(dir, "index.html"))
		if err != nil {
			t.Fatal(err)
		}
		if marked := strings.Contains(string(page), `data-testid="quick"`); marked != quick {
			t.Errorf("a page of results with Quick %v: marked as a quick run %v", quick, marked)
		}
	}
}

// TestCheckNamesRefusesARepeat: an experiment named twice would run twice
// and fill the report with two rows of it.
func TestCheckNamesRefusesARepeat(t *testing.T) {
	if err := CheckNames([]string{"step", "saturation", "step"}); err == nil || !strings.Contains(err.Error(), `"step" is named twice`) {
		t.Errorf("CheckNames(step, saturation, step) = %v; want an error naming step twice", err)
	}
	if err := CheckNames([]string{"step", "saturation"}); err != nil {
		t.Errorf("CheckNames(step, saturation) = %v", err)
	}
}

// TestWriteReportOfAnEmptyResult: a Result without seeds or measures, as a
// caller might make one, is written, not refused by the page's template.
func TestWriteReportOfAnEmptyResult(t *testing.T) {
	dir := t.TempDir()
	if err := WriteReport(dir, []Result{{Name: "mine"}}); err != nil {
		t.Fatal(err)
	}
	page, err := os.ReadFile(filepath.Join(dir, "index.html"))
	if err != nil || !strings.Contains(string(page), "mine") {
		t.Errorf("index.html: %v, holds the name: %v", err, strings.Contains(string(page), "mine"))
	}
}

// TestReLUSpeedKey: relu-speed's key and findings give tanh's and
// sigmoid's factors over relu's epochs; where relu itself never reached
// the target at a depth they show, the key says so rather than a factor
// of never over never, and where neither did the findings say that
// rather than "1×"; a run stopped at the epoch limit is not said to have
// reached the target; a factor over a run that never reached it is said
// to be a lower bound, and tanh, allowed six times relu's epochs, never
// reaching it within them makes the sixfold check hold.
func TestReLUSpeedKey(t *testing.T) {
	s := speedSetup{depths: []int{1, 3}, width: 32, target: 0.3, maxEpochs: 30, what: "the spiral"}
	never := float64(s.maxEpochs + 1)
	run := func(relu, tanh, sigmoid []float64) speedRun {
		r := speedRun{epochs: map[string][]float64{"relu": relu, "tanh": tanh, "sigmoid": sigmoid},
			limit: map[string][]float64{}, seconds: map[string][]float64{}, curves: map[string][][]float64{}}
		for d := range relu { // as runReLUSpeed allows them
			tanhLimit := float64(s.maxEpochs)
			if relu[d] < never {
				tanhLimit = max(tanhLimit, sixfold*relu[d])
			}
			r.limit["relu"], r.limit["sigmoid"] = append(r.limit["relu"], float64(s.maxEpochs)), append(r.limit["sigmoid"], float64(s.maxEpochs))
			r.limit["tanh"] = append(r.limit["tanh"], tanhLimit)
			if tanh[d] == never {
				tanh[d] = tanhLimit + 1
			}
		}
		for _, name := range speedActs {
			r.seconds[name] = []float64{1, 1}
			r.curves[name] = [][]float64{{0.5, 0.4}, {0.5, 0.4}}
		}
		return r
	}
	for _, c := range []struct {
		name     string
		runs     []speedRun
		key      string
		findings []string // each in some check's finding
		sixfold  string   // the sixfold check's verdict
	}{
		{"relu reaches it", []speedRun{run([]float64{2, 4}, []float64{12, 24}, []float64{8, never})},
			"tanh/relu epochs 6 with 1 hidden layer, 6 with 3 hidden layers; sigmoid/relu at least 4 (sigmoid never reached 30% with 3 hidden layers)",
			[]string{"tanh takes 6× relu's epochs with 1 hidden layer and 6× with 3 hidden layers.",
				"there relu reaches the target in 2 epochs, tanh reaches the target in 12 epochs"}, Reproduced},
		{"relu never does with 3 layers", []speedRun{run([]float64{2, never}, []float64{12, never}, []float64{8, never})},
			"relu did not reach 30% training error within 30 epochs with 3 hidden layers in any seed",
			[]string{"tanh takes 6× relu's epochs with 1 hidden layer; with 3 hidden layers neither reaches the target"}, Reproduced},
		{"sigmoid reaches it at every depth", []speedRun{run([]float64{2, 4}, []float64{12, 24}, []float64{8, 12})},
			"tanh/relu epochs 6 with 1 hidden layer, 6 with 3 hidden layers; sigmoid/relu 3–4 across depths",
			[]string{"sigmoid takes 4× relu's epochs with 1 hidden layer and 3× with 3 hidden layers."}, Reproduced},
		{"tanh reaches it within six times", []speedRun{run([]float64{5, 6}, []float64{12, 32}, []float64{never, never})},
			"tanh/relu epochs 2.4 with 1 hidden layer, 5.3 with 3 hidden layers; sigmoid/relu at least 5.2 (sigmoid never reached 30% with 1 and 3 hidden layers)",
			[]string{"tanh takes 2.4× relu's epochs with 1 hidden layer and 5.33× with 3 hidden layers.",
				"sigmoid takes at least 6.2× relu's epochs with 1 hidden layer and at least 5.17× with 3 hidden layers."}, NotReproduced},
		{"only relu reaches it with 3 layers", []speedRun{run([]float64{never, 15}, []float64{never, never}, []float64{never, never})},
			"relu did not reach 30% training error within 30 epochs with 1 hidden layer in any seed",
			[]string{"sigmoid takes at least 2.07× relu's epochs with 3 hidden layers; with 1 hidden layer neither reaches the target",
				"there relu reaches the target in 15 epochs, tanh does not reach it within its limit of 90 epochs"}, Reproduced},
		{"tanh stopped at six times relu's epochs", []speedRun{run([]float64{15, 20}, []float64{never, 40}, []float64{20, 30})}, // the lab trial's: 6.07 = 91/15 was said a factor
			"tanh/relu epochs at least 6.1 with 1 hidden layer, 2 with 3 hidden layers; sigmoid/relu 1.3–1.5 across depths",
			[]string{"The largest factor against tanh is at least 6.07, with 1 hidden layer"}, Reproduced},
		{"a seed where neither reached it", []speedRun{ // its never-over-never 1 had widened the range to 1–6×
			run([]float64{2, 4}, []float64{12, 24}, []float64{8, never}),
			run([]float64{never, 4}, []float64{never, 20}, []float64{never, never})},
			"tanh/relu epochs 6 with 1 hidden layer, 5.5 with 3 hidden layers; sigmoid/relu at least 4 (sigmoid never reached 30% with 3 hidden layers)",
			[]string{"tanh takes 6× relu's epochs with 1 hidden layer and 5.5× (5–6×) with 3 hidden layers."}, Flips},
	} {
		out, err := s.outcome(&Env{Dir: t.TempDir()}, c.runs)
		if err != nil || out.Key != c.key {
			t.Errorf("%s: key %q, %v; want %q", c.name, out.Key, err, c.key)
		}
		var findings []string
		for _, check := range out.Checks {
			findings = append(findings, check.Finding)
		}
		for _, want := range c.findings {
			if !strings.Contains(strings.Join(findings, "\n"), want) {
				t.Errorf("%s: no finding says %q; they are:\n%s", c.name, want, strings.Join(findings, "\n"))
			}
		}
		if got := out.Checks[2].Verdict; got != c.sixfold {
			t.Errorf("%s: the sixfold check %q; want %q", c.name, got, c.sixfold)
		}
	}
}

// TestRunStopsInsideAnExperiment: a context done as an experiment starts
// stops its training at once: the lab's epoch trains no step and says
// stop, its fit returns the context's error (both had trained on, with
// context.Background), and Run says where it stopped, with no result for
// the experiment cut short.
func TestRunStopsInsideAnExperiment(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	env := &Env{Quick: true, Seed: 1, Context: ctx}
	ds := env.spiral()
	net := build(nnSpecWith("relu"), 1)
	before := slices.Clone(net.Params()[0].Value)
	tr := &train.Trainer{Net: net, Loss: loss.Softmax{}, Opt: &optim.SGD{LR: 0.1}, Batch: 32, Rng: rand.New(rand.NewPCG(1, 1))}
	if !epoch(env.ctx(), tr, ds) || !slices.Equal(net.Params()[0].Value, before) {
		t.Error("epoch with its context done: it trained, or did not say stop")
	}
	if _, err := env.fit(net, ds, 5, 0.1, 1); !errors.Is(err, context.Canceled) || !slices.Equal(net.Params()[0].Value, before) {
		t.Errorf("fit with its context done: %v; want the context's error and no step taken", err)
	}
	results, err := Run([]string{"linear-collapse"}, Env{Dir: t.TempDir(), Quick: true, Seed: 1, Context: ctx}, nil)
	if !errors.Is(err, context.Canceled) || len(results) != 0 {
		t.Errorf("Run with its context done: %d results, %v", len(results), err)
	}
}

// TestHoldsWhere: seeds that could not be measured are left out of a
// check, not counted against it, and a check that no seed measured is
// inconclusive, where an empty list of seeds had read as reproduced.
func TestHoldsWhere(t *testing.T) {
	nan := math.NaN()
	runs := []float64{0.9, nan, 0.5, nan}
	measured := func(v float64) bool { return !math.IsNaN(v) }
	held := holdsWhere(runs, measured, func(v float64) bool { return v >= 0.4 })
	if !slices.Equal(held, []bool{true, true}) {
		t.Errorf("holdsWhere = %v; want the two measured seeds, both holding", held)
	}
	if v := newCheck("c", "k", nil, held, "").Verdict; v != Reproduced {
		t.Errorf("two measured seeds that hold: %s", v)
	}
	if v := newCheck("c", "k", nil, holdsWhere([]float64{nan, nan}, measured, measured), "").Verdict; v != Inconclusive {
		t.Errorf("no seed measured: %s; want %s", v, Inconclusive)
	}
	if got, want := unmeasured(2, 4, "they diverged"), " 2 of 4 seeds are not counted: they diverged."; got != want {
		t.Errorf("unmeasured = %q; want %q", got, want)
	}
}

// TestRunRefusesAnotherPage: a folder whose index.html or report.json no
// lab run wrote (a report.json of another program, or none beside the
// page) is refused before any experiment runs, the files as they were;
// the report would have replaced them.
func TestRunRefusesAnotherPage(t *testing.T) {
	for _, files := range []map[string]string{
		{"index.html": "<html>my course</html>"},
		{"index.html": "<html>my course</html>", "report.json": `{"mine": 1}`},
		{"report.json": `[{"grade": "A"}]`},
		{"index.html": "<html>my course</html>", "report.json": `[]`},
	} {
		dir := t.TempDir()
		for name, text := range files {
			if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		results, err := Run([]string{"step"}, Env{Dir: dir, Quick: true, Seed: 1}, nil)
		if !errors.Is(err, ErrOtherPage) || len(results) != 0 {
			t.Errorf("Run into a folder holding %v: %d results, %v; want ErrOtherPage", files, len(results), err)
		}
		for name, text := range files {
			if b, err := os.ReadFile(filepath.Join(dir, name)); err != nil || string(b) != text {
				t.Errorf("%s after the refusal: %q, %v", name, b, err)
			}
		}
	}
}

// TestRunRefusesSeedsThatWrap: seeds from the largest uint64 would wrap
// to 0 (the report said "seeds 18446744073709551615 to 1").
func TestRunRefusesSeedsThatWrap(t *testing.T) {
	if _, err := Run([]string{"step"}, Env{Dir: t.TempDir(), Quick: true, Seed: math.MaxUint64}, nil); err == nil || !strings.Contains(err.Error(), "would wrap") {
		t.Errorf("Run from the largest seed: %v; want the wrap refused", err)
	}
	if _, err := Run([]string{"step"}, Env{Dir: t.TempDir(), Quick: true, Seed: math.MaxUint64 - 2}, nil); err != nil {
		t.Errorf("Run of three seeds ending at the largest: %v", err)
	}
}

// TestRunLeavesNoFolderBehind: a run into a folder it makes, stopped,
// removes that folder again; a run removes the folder of plots a killed
// run left.
func TestRunLeavesNoFolderBehind(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	parent := filepath.Join(t.TempDir(), "new")
	dir := filepath.Join(parent, "deeper")
	if _, err := Run([]string{"step"}, Env{Dir: dir, Quick: true, Seed: 1, Context: ctx}, nil); !errors.Is(err, context.Canceled) {
		t.Fatalf("Run: %v", err)
	}
	if _, err := os.Stat(parent); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a stopped run left the folders it made: %v", err)
	}
	dir = t.TempDir()
	killed := filepath.Join(dir, stagingPrefix+"123")
	if err := os.MkdirAll(killed, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(killed, "step-perceptron.png"), []byte("half"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Run([]string{"step"}, Env{Dir: dir, Quick: true, Seed: 1}, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(killed); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a killed run's folder of plots is still there: %v", err)
	}
}

// TestNumberText: a count is written whole (33603 inputs, where %.4g had
// written 3.36e+04), other numbers to four digits.
func TestNumberText(t *testing.T) {
	for v, want := range map[float64]string{33603: "33603", 0.123456: "0.1235", 1e20: "1e+20", -2: "-2", 2.5e-7: "2.5e-07"} {
		if got := numberText(v); got != want {
			t.Errorf("numberText(%v) = %q; want %q", v, got, want)
		}
	}
}

// TestStagingGoneSaysWhy: a run whose staging folder another run into the
// same Dir removed says so; one whose folder is there adds nothing.
func TestStagingGoneSaysWhy(t *testing.T) {
	dir := t.TempDir()
	if got := stagingGone(dir); got != "" {
		t.Errorf("a folder that is there: %q; want nothing added", got)
	}
	if got := stagingGone(filepath.Join(dir, stagingPrefix+"gone")); !strings.Contains(got, "another lab run into the same folder removed this run's plots") {
		t.Errorf("a folder removed: %q; want it to say another run removed it", got)
	}
}

// TestRunWithoutADir: a Run without Env.Dir names the field, before any
// work.
func TestRunWithoutADir(t *testing.T) {
	if _, err := Run([]string{"step"}, Env{Quick: true}, nil); err == nil || !strings.Contains(err.Error(), "Env.Dir is empty") {
		t.Errorf("Run without a Dir: %v; want an error naming Env.Dir", err)
	}
}

// TestRunLeavesAUsersPlotNamedFiles: a file of the user's named as one of
// the run's plots is refused before the run, not replaced; one named as a
// plot of another experiment stays when an earlier report, which did not
// write it, is replaced.
func TestRunLeavesAUsersPlotNamedFiles(t *testing.T) {
	dir := t.TempDir()
	own := Files([]string{"tanh-identity"})[len(ReportFiles())]
	other := Files([]string{"saturation"})[len(ReportFiles())]
	for _, name := range []string{own, other} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte("mine"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	env := Env{Dir: dir, Quick: true, Seed: 1}
	if _, err := Run([]string{"tanh-identity"}, env, nil); !errors.Is(err, ErrOtherPlot) || !strings.Contains(err.Error(), own) {
		t.Fatalf("Run beside the user's %s: %v; want ErrOtherPlot naming it", own, err)
	}
	if err := os.Remove(filepath.Join(dir, own)); err != nil {
		t.Fatal(err)
	}
	for range 2 { // the second replaces the first's report
		results, err := Run([]string{"tanh-identity"}, env, nil)
		if err != nil {
			t.Fatal(err)
		}
		if err := WriteReport(dir, results); err != nil {
			t.Fatal(err)
		}
	}
	if b, err := os.ReadFile(filepath.Join(dir, other)); err != nil || string(b) != "mine" {
		t.Errorf("the user's %s after two runs: %q, %v; want it as it was", other, b, err)
	}
	// A run whose report was never written (WriteReport failed, or the
	// process ended first) left its plots listed: the next run takes them
	// as the lab's, not as the user's.
	fresh := t.TempDir()
	env.Dir = fresh
	for range 2 {
		if _, err := Run([]string{"tanh-identity"}, env, nil); err != nil {
			t.Fatalf("a run after one whose report was not written: %v", err)
		}
	}
}

// TestReportStagedWithThePlots: with Env.Report, Run writes the report in
// its own folder before anything goes into Dir, so that a report that
// cannot be written (a full disk; here a folder where index.html goes)
// leaves the earlier report and plots as they were. Written after Run,
// it found the earlier report removed and the new plots in.
func TestReportStagedWithThePlots(t *testing.T) {
	dir := t.TempDir()
	env := Env{Dir: dir, Quick: true, Seed: 1, Report: true}
	if _, err := Run([]string{"tanh-identity"}, env, nil); err != nil {
		t.Fatal(err)
	}
	if !HasReport(dir) {
		t.Fatal("Run with Report wrote no report")
	}
	if _, err := os.Stat(filepath.Join(dir, plotsMoved)); err == nil {
		t.Errorf("%s left beside the report, which names the plots", plotsMoved)
	}
	before := map[string][]byte{}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		b, _ := os.ReadFile(filepath.Join(dir, e.Name()))
		before[e.Name()] = b
	}
	staging := filepath.Join(t.TempDir(), "staging")
	if err := os.MkdirAll(filepath.Join(staging, reportPage), 0o755); err != nil { // the page cannot be written there
		t.Fatal(err)
	}
	plot := Files([]string{"tanh-identity"})[len(ReportFiles())]
	if err := os.WriteFile(filepath.Join(staging, plot), []byte("a new plot"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := moveIn(staging, dir, []Result{{Name: "tanh-identity", Plots: []string{plot}}}, true); err == nil {
		t.Fatal("moveIn with a report that cannot be written passed")
	}
	after, _ := os.ReadDir(dir)
	if len(after) != len(before) {
		t.Errorf("the folder holds %d entries after the failed report, %d before", len(after), len(before))
	}
	for name, b := range before {
		if got, err := os.ReadFile(filepath.Join(dir, name)); err != nil || !bytes.Equal(got, b) {
			t.Errorf("%s after the failed report: %v; want it as it was", name, err)
		}
	}
}

// TestComputeCostJudgesMedians: one round whose relu ran slow (a burst of
// the machine's other work) does not change compute-cost's verdicts,
// which compare the rounds' medians: judged round by round, two identical
// runs had come out "reproduced" and "partly reproduced".
func TestComputeCostJudgesMedians(t *testing.T) {
	round := func(relu float64) costRound {
		r := costRound{forward: map[string]float64{}, backward: map[string]float64{}, share: map[string]float64{}}
		for i, n := range costActs {
			r.forward[n], r.backward[n] = 0.2+0.1*float64(i), 0.2
		}
		for i, n := range shareActs {
			r.share[n] = 0.02 + 0.01*float64(i)
		}
		r.forward["relu"], r.share["relu"] = relu, relu/10
		return r
	}
	for _, c := range []struct {
		name   string
		rounds costRounds
		want   string
	}{
		{"every round", costRounds{round(0.08), round(0.09), round(0.08)}, Reproduced},
		{"one round slow", costRounds{round(0.08), round(0.9), round(0.08)}, Reproduced},
		{"two rounds slow", costRounds{round(0.9), round(0.9), round(0.08)}, NotReproduced},
	} {
		for _, check := range c.rounds.checks() {
			if check.Verdict != c.want {
				t.Errorf("%s: %q %s; want %s", c.name, check.Claim, check.Verdict, c.want)
			}
		}
	}
}
