package lab

import (
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"

	"github.com/wigglenn/wiggle/internal/atomicfile"
	"github.com/wigglenn/wiggle/internal/jsonfmt"
)

// ReportFiles names the files WriteReport writes into its folder.
func ReportFiles() []string { return []string{reportJSON, reportPage} }

// The report's files: the results as JSON, and the page that shows them.
const (
	reportJSON = "report.json"
	reportPage = "index.html"
)

// WriteReport writes dir/report.json and dir/index.html, a page that reads
// offline, with each experiment's claim, numbers, criterion, verdict and
// plots (files beside it), and then removes the list of the plots Run
// moved in (.wiggle-lab-plots), which the report names now.
func WriteReport(dir string, results []Result) error {
	if err := writeReportFiles(dir, results); err != nil {
		return err
	}
	if err := os.Remove(filepath.Join(dir, plotsMoved)); err != nil && !errors.Is(err, fs.ErrNotExist) { // the report names the plots now
		return err
	}
	return nil
}

// writeReportFiles writes dir/report.json and dir/index.html, each whole
// or not at all.
func writeReportFiles(dir string, results []Result) error {
	err := atomicfile.Write(filepath.Join(dir, reportJSON), 0o644, func(w io.Writer) error {
		return jsonfmt.Write(w, results)
	})
	if err != nil {
		return err
	}
	return atomicfile.Write(filepath.Join(dir, reportPage), 0o644, func(w io.Writer) error {
		return page.Execute(w, results)
	})
}

// removeReport removes what an earlier run left in dir (its plots, as its
// report.json or the list of plots moved in names them, then the
// report.json, the index.html beside it and that list; an index.html alone
// is not a report's, and stays), once a run has finished all its
// experiments: its plots replace that run's, and the plots of experiments
// it left out would lie beside its report as if they were its own. The
// plots go first, so that a removal cut short leaves them listed.
func removeReport(dir string) error {
	_, listed := os.Stat(filepath.Join(dir, plotsMoved))
	if !HasReport(dir) && listed != nil {
		return nil
	}
	for _, name := range append(labPlots(dir), append(ReportFiles(), plotsMoved)...) {
		if err := os.Remove(filepath.Join(dir, name)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
	}
	return nil
}

// plotsMoved names the list of the plots a run moved into its Dir (JSON),
// written before they are moved: the lab's record of its own files, where
// the report that names them was not written (WriteReport failed, or the
// process ended first).
const plotsMoved = ".wiggle-lab-plots"

// labPlots lists the plots in dir that a lab run put there, as its
// report.json (HasReport's) and the list of plots moved in name them; only
// names of the lab's own plots, not a path a hand-edited file could give.
func labPlots(dir string) []string {
	var named []string
	if results, ok := readReport(dir); ok {
		for _, r := range results {
			named = append(named, r.Plots...)
		}
	}
	if raw, err := os.ReadFile(filepath.Join(dir, plotsMoved)); err == nil {
		var moved []string
		if json.Unmarshal(raw, &moved) == nil {
			named = append(named, moved...)
		}
	}
	plots := Files(nil)[len(ReportFiles()):]
	return slices.DeleteFunc(named, func(p string) bool { return !slices.Contains(plots, p) })
}

// HasReport reports whether dir holds a report.json as WriteReport writes
// (and Run removes once its experiments have all finished): a list of
// results, each named and judged; another program's is none.
func HasReport(dir string) bool {
	_, ok := readReport(dir)
	return ok
}

// reportEntry is what HasReport and labPlots read of a result in a
// report.json.
type reportEntry struct {
	Name, Verdict string
	Plots         []string
}

// readReport reads dir's report.json, and reports whether it is a lab
// report (HasReport).
func readReport(dir string) ([]reportEntry, bool) {
	raw, err := os.ReadFile(filepath.Join(dir, reportJSON))
	if err != nil {
		return nil, false
	}
	var results []reportEntry
	if json.Unmarshal(raw, &results) != nil || len(results) == 0 { // Run's reports hold an experiment at least
		return nil, false // another program's report.json
	}
	for _, r := range results {
		if r.Name == "" || r.Verdict == "" {
			return nil, false
		}
	}
	return results, true
}

// verdictClass is the CSS class of a verdict.
func verdictClass(v string) string {
	switch v {
	case Reproduced:
		return "yes"
	case NotReproduced:
		return "no"
	case Inconclusive:
		return "undecided"
	}
	return "partly"
}

// measureText writes a measure: its median, the range over seeds and the
// seeds that diverged.
func measureText(m Measure) string {
	if m.Value == nil {
		return fmt.Sprintf("none: all %d runs diverged", m.Diverged)
	}
	out := numberText(*m.Value)
	if len(m.Range) == 2 && m.Range[0] != m.Range[1] {
		out += fmt.Sprintf(" (%s – %s)", numberText(m.Range[0]), numberText(m.Range[1]))
	}
	if m.Diverged > 0 {
		out += fmt.Sprintf(" [%d diverged]", m.Diverged)
	}
	return out
}

// numberText writes a measured number to four digits, a whole number
// (a count: 33603 inputs) whole.
func numberText(v float64) string {
	if v == math.Trunc(v) && math.Abs(v) < 1e15 {
		return strconv.FormatFloat(v, 'f', 0, 64)
	}
	return fmt.Sprintf("%.4g", v)
}

// seedsText writes a list of seeds as "1–5"; "none" for none (a Result
// not made by Run).
func seedsText(seeds []uint64) string {
	if len(seeds) == 0 {
		return "none"
	}
	if len(seeds) == 1 {
		return fmt.Sprint(seeds[0])
	}
	return fmt.Sprintf("%d–%d", seeds[0], seeds[len(seeds)-1])
}

// QuickRun reports whether any of results ran small (Env.Quick): its
// report's numbers are not the lab's findings.
func QuickRun(results []Result) bool {
	return slices.ContainsFunc(results, func(r Result) bool { return r.Quick })
}

var page = template.Must(template.New("report").Funcs(template.FuncMap{
	"class": verdictClass, "measure": measureText, "seeds": seedsText, "quick": QuickRun,
}).Parse(`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>wiggle lab</title>
<style>
body { font-family: system-ui, sans-serif; max-width: 64em; margin: 2em auto; padding: 0 1em; color: #222; line-height: 1.45; }
h1 { margin-bottom: 0.2em; }
section { border-top: 1px solid #ccc; padding: 1em 0; }
table { border-collapse: collapse; margin: 0.6em 0; }
th, td { text-align: left; vertical-align: top; padding: 0.3em 0.8em 0.3em 0; border-bottom: 1px solid #eee; }
th { font-size: 0.9em; color: #555; }
.yes { color: #1a7f37; font-weight: bold; white-space: nowrap; }
.no { color: #b42318; font-weight: bold; white-space: nowrap; }
.partly { color: #9a6700; font-weight: bold; white-space: nowrap; }
.undecided { color: #5b6475; font-weight: bold; white-space: nowrap; }
blockquote { margin: 0.5em 0; padding: 0.2em 1em; border-left: 4px solid #ddd; color: #444; }
blockquote.ko { font-size: 1.05em; }
.why { background: #fff8e6; padding: 0.5em 0.8em; border-radius: 4px; }
img { max-width: 100%; border: 1px solid #eee; margin: 0.5em 0; display: block; }
details { margin: 0.5em 0; } summary { cursor: pointer; color: #555; }
td.num { white-space: nowrap; font-variant-numeric: tabular-nums; }
small { color: #666; }
dt { font-weight: 600; } dd { margin: 0 0 0.3em 1.5em; }
@media (max-width: 700px) { table { display: block; overflow-x: auto; } } /* a wide table scrolls; the page does not */
</style></head><body>
<h1>wiggle lab</h1>
{{if quick .}}<p class="why" data-testid="quick"><strong>A quick run</strong> (<code>--quick</code>): every experiment
made small, for tests. Its numbers and verdicts are not the lab's findings; run <code>wiggle lab</code>
without <code>--quick</code> for those.</p>
{{end}}<p>Each experiment tests a claim about activation functions from the seed document (a Korean summary of
CS231n's note on activation functions) or from the note itself. A claim is split into checks, each with a
criterion fixed in the code before the run; a check is reproduced when its criterion holds for every seed,
not reproduced when it holds for none, and flips between seeds otherwise. A seed whose run diverged, or
never reached the mark a criterion counts to, is left out of that check (said so), and a check that no seed
could measure is inconclusive. An experiment is reproduced when every check is, not reproduced when none is
(and none flips), inconclusive when none could be measured, and partly reproduced otherwise. Numbers are
medians over the seeds, with their range.</p>
<details data-testid="terms"><summary>the words the checks use</summary>
<dl>
<dt>unit-example</dt><dd>one hidden unit on one example: a layer of 64 units seen on 100 examples is 6,400 of them.</dd>
<dt>saturated</dt><dd>a unit-example whose input lies on a tail where the activation flattens, where its slope
f′ is under 1% of its largest: gradient barely passes it. relu's side below 0 is not saturation: the unit is off there.</dd>
<dt>dead unit</dt><dd>a unit whose output is 0 on every example: no gradient reaches its weights again.</dd>
<dt>‖dW‖</dt><dd>the size (the square root of the sum of squares) of a layer's weight gradient;
"first/last" is the first hidden layer's over the output layer's: how much of the gradient reaches the bottom.</dd>
<dt>s</dt><dd>the initial weight scale: weights drawn from N(0, s²/fan_in), fan_in the layer's inputs;
PyTorch's default is about s = 0.58.</dd>
<dt>accuracy</dt><dd>the fraction of examples classified right, written as a fraction (0.85) or a percentage (85%).</dd>
</dl></details>
<table class="summary" data-testid="summary">
<tr><th>experiment</th><th>claim</th><th>verdict</th><th>key number</th></tr>
{{range .}}<tr><td><a href="#{{.Name}}">{{.Name}}</a></td><td>{{.Short}}</td><td class="{{class .Verdict}}">{{.Verdict}}</td><td>{{.Key}}</td></tr>
{{end}}</table>
{{range .}}<section id="{{.Name}}">
<h2>{{.Name}}: <span class="{{class .Verdict}}">{{.Verdict}}</span></h2>
{{if .Quote.Korean}}<blockquote class="ko" lang="ko">{{.Quote.Korean}}</blockquote>{{end}}
<blockquote>{{.Quote.English}}</blockquote>
{{if .Quote.Note}}<p class="note" data-testid="note-{{.Name}}"><b>How the lab reads it.</b> {{.Quote.Note}}</p>{{end}}
<p><b>Claim.</b> {{.Claim}} <i>({{.Source}})</i></p>
{{if .Explanation}}<p class="why"><b>Why {{.Verdict}}.</b> {{.Explanation}}</p>{{end}}
{{if .Caveat}}<p class="why" data-testid="caveat-{{.Name}}"><b>But.</b> {{.Caveat}}</p>{{end}}
<table class="checks">
<tr><th>check</th><th>criterion</th><th>verdict</th><th>found</th></tr>
{{range .Checks}}<tr><td>{{.Claim}}{{if .Own}} <i class="own" data-testid="own">(the lab's question, not the seed's: not in the verdict)</i>{{end}}</td><td>{{.Criterion}}</td><td class="{{class .Verdict}}">{{.Verdict}}</td><td>{{.Finding}}</td></tr>
{{end}}</table>
<details><summary>every number measured (median over seeds, and range)</summary>
{{range .Checks}}<table>
<tr><th colspan="2">{{.Claim}}</th></tr>
{{range .Measured}}<tr><td>{{.Name}}</td><td class="num">{{measure .}}</td></tr>{{end}}
</table>{{end}}
</details>
{{range .Plots}}<img src="{{.}}" srcset="{{.}} 2x" alt="{{.}}">{{end}}
<p><small>seeds {{seeds .Seeds}} · {{printf "%.1f" .Seconds}} s</small></p>
</section>
{{end}}</body></html>
`))
