package lab

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"

	gplot "gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"

	"github.com/wigglenn/wiggle/internal/atomicfile"
	"github.com/wigglenn/wiggle/internal/clock"
	"github.com/wigglenn/wiggle/plot"
)

// Experiment checks one claim about activations with measured numbers. The
// claim is split into checks, each with its own criterion fixed in the code
// before the run; a check that does not hold is reported as such, with the
// numbers.
type Experiment struct {
	Name   string
	Plots  []string // the PNG files it writes into Env.Dir
	Claim  string   // in full
	Short  string   // in one line, for the summary table
	Source string   // CS231n or the paper
	Quote  Quote    // the seed document's sentence that the experiment tests
	run    func(env *Env) (Outcome, error)
}

// Quote is a sentence of the seed document (a Korean summary of CS231n's
// note), in the original and in English. Korean is empty for the claims
// the seed leaves to the note it summarises.
type Quote struct {
	Korean  string `json:"ko,omitempty"`
	English string `json:"en"`
	// Note says how the lab reads the sentence where the experiment tests
	// something other than its letter (a slip of the seed's, a theorem
	// that training cannot test as stated).
	Note string `json:"note,omitempty"`
}

// Env is what an experiment runs in.
type Env struct {
	Dir   string // where plots go
	Quick bool   // small enough for the test suite
	Seed  uint64 // the first seed; see Seeds
	// Context, if set, stops Run once it is done (Ctrl-C), between
	// experiments and inside the long ones; Dir is then as it was.
	Context context.Context
	// Report, if set, has Run write the report too (WriteReport's files),
	// beside the plots in its own folder before any goes into Dir: a disk
	// that fills while it writes the report then leaves Dir as it was, the
	// earlier report and plots whole, where WriteReport after Run would
	// find the earlier report gone and the new plots in.
	Report bool
}

// Seeds are the seeds every stochastic measurement runs over: 3 in quick
// mode, 5 in the full run, from env.Seed on.
func (env *Env) Seeds() []uint64 {
	n := 5
	if env.Quick {
		n = 3
	}
	seeds := make([]uint64, n)
	for i := range seeds {
		seeds[i] = env.Seed + uint64(i)
	}
	return seeds
}

// Outcome is what an experiment measured and concluded.
type Outcome struct {
	Checks []Check
	Key    string   // the number to remember, in a few words
	Plots  []string // PNG files in Env.Dir
}

// Check is one part of a claim, judged on its own.
type Check struct {
	Claim     string    `json:"claim"`
	Criterion string    `json:"criterion"`
	Measured  []Measure `json:"measured"`
	Verdict   string    `json:"verdict"` // see the Verdict constants
	Finding   string    `json:"finding"` // one sentence, with the numbers
	// Own marks a question of the lab's beside the seed's claim (a control,
	// a consequence a reader would draw): reported with its verdict, left
	// out of the experiment's.
	Own bool `json:"lab_question,omitempty"`
}

// The verdicts of a check, and of an experiment.
const (
	Reproduced    = "reproduced"
	NotReproduced = "not reproduced"
	Partly        = "partly reproduced"   // an experiment some of whose checks hold
	Flips         = "flips between seeds" // a check that holds for some seeds only
	// Inconclusive is a check that no seed could measure (its runs all
	// diverged, or none reached the mark it counts to), or an experiment
	// none of whose checks could be.
	Inconclusive = "inconclusive"
)

// Measure is one measured number: over seeds, the median and the range.
type Measure struct {
	Name  string    `json:"name"`
	Value *float64  `json:"value"`           // the median over seeds; null when every seed diverged
	Range []float64 `json:"range,omitempty"` // [min, max] over seeds, when there are several

	// Diverged counts the seeds whose run diverged, which have no value.
	Diverged int `json:"diverged,omitempty"`
}

// Result is one experiment's entry in report.json.
type Result struct {
	Name        string `json:"name"`
	Claim       string `json:"claim"`
	Short       string `json:"short"`
	Source      string `json:"source"`
	Quote       Quote  `json:"seed_quote"`
	Verdict     string `json:"verdict"`
	Explanation string `json:"explanation,omitempty"` // why, when not reproduced
	// Caveat gives the findings of the lab's own questions (Check.Own)
	// that do not hold: not in the verdict, but beside it, so that a
	// claim reproduced does not read as more than it is.
	Caveat  string   `json:"caveat,omitempty"`
	Key     string   `json:"key"`
	Checks  []Check  `json:"checks"`
	Plots   []string `json:"plots"`
	Seconds float64  `json:"seconds"`
	Seeds   []uint64 `json:"seeds"`

	// Quick is whether the experiment ran small (Env.Quick), for tests: its
	// numbers are not the lab's findings.
	Quick bool `json:"quick"`
}

// Experiments lists the lab's experiments in the order they run.
func Experiments() []Experiment { return slices.Clone(experiments) }

// ExperimentNames lists their names.
func ExperimentNames() []string {
	names := make([]string, len(experiments))
	for i, e := range experiments {
		names[i] = e.Name
	}
	return names
}

// Files names the files a run of the named experiments (all when names is
// empty) writes into Env.Dir: their plots, and the report's files
// (WriteReport), so that a caller can check the places before the run.
func Files(names []string) []string {
	files := ReportFiles()
	for _, e := range experiments {
		if len(names) == 0 || slices.Contains(names, e.Name) {
			files = append(files, e.Plots...)
		}
	}
	return files
}

// CheckNames reports the first name that is not an experiment's.
func CheckNames(names []string) error {
	for i, n := range names {
		if !slices.Contains(ExperimentNames(), n) {
			return fmt.Errorf("unknown experiment %q; the experiments are %s", n, strings.Join(ExperimentNames(), ", "))
		}
		if slices.Contains(names[:i], n) {
			return fmt.Errorf("experiment %q is named twice; name each once", n)
		}
	}
	return nil
}

// Progress is what Run reports as it goes: an experiment starting
// (Result nil), or done.
type Progress struct {
	Index, Total int // from 1
	Name         string
	Result       *Result
}

// Run runs the named experiments (all when names is empty) in env and
// returns their results; progress, if set, hears each as it starts and
// ends. A folder whose index.html no lab run wrote is refused
// (ErrOtherPage). The experiments write their plots into a folder of
// Run's own in env.Dir, moved in only once every one has finished, after
// a report an earlier run left there is removed (with env.Report this
// run's report goes in with them; else WriteReport then writes it): a run
// that fails or is stopped leaves env.Dir as it was.
func Run(names []string, env Env, progress func(Progress)) (_ []Result, err error) {
	if len(names) == 0 {
		names = ExperimentNames()
	}
	if err := CheckNames(names); err != nil {
		return nil, err
	}
	var chosen []Experiment
	for _, n := range names {
		chosen = append(chosen, experiments[slices.IndexFunc(experiments, func(e Experiment) bool { return e.Name == n })])
	}
	if seeds := env.Seeds(); seeds[len(seeds)-1] < env.Seed {
		return nil, fmt.Errorf("Env.Seed %d: its %d seeds would wrap past %d to 0", env.Seed, len(seeds), uint64(math.MaxUint64))
	}
	if env.Dir == "" {
		return nil, errors.New("Env.Dir is empty: want the folder the report and its plots go in")
	}
	if err := checkPage(env.Dir); err != nil {
		return nil, err
	}
	if err := checkPlots(env.Dir, Files(names)[len(ReportFiles()):]); err != nil {
		return nil, err
	}
	made := atomicfile.MissingFolders(env.Dir) // the folders this run makes: gone again if it fails
	if err := os.MkdirAll(env.Dir, 0o755); err != nil {
		return nil, err
	}
	defer func() {
		if err != nil {
			for _, d := range made { // the deepest first; empty, as nothing is moved in on a failure
				os.Remove(d)
			}
		}
	}()
	atomicfile.RemoveStaging(env.Dir, stagingPrefix, 0) // a killed run's (a running lab's too: two runs into one folder would replace each other's report all the same)
	staging, err := os.MkdirTemp(env.Dir, stagingPrefix)
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(staging) // empty once the plots are moved in; else this run's alone
	dir := env.Dir
	env.Dir = staging
	var results []Result
	for i, e := range chosen {
		if err := env.ctx().Err(); err != nil {
			return results, fmt.Errorf("stopped after %d of %d experiments: %w", i, len(chosen), err)
		}
		if progress != nil {
			progress(Progress{Index: i + 1, Total: len(chosen), Name: e.Name})
		}
		start := clock.Now()
		out, err := e.run(&env)
		if env.ctx().Err() != nil { // its figures cut short: not a result
			return results, fmt.Errorf("stopped in experiment %s, %d of %d: %w", e.Name, i+1, len(chosen), env.ctx().Err())
		}
		if err != nil {
			return results, fmt.Errorf("experiment %s: %w%s", e.Name, atomicfile.StagedAs(err, staging, dir), stagingGone(staging))
		}
		verdict, why := judge(out.Checks)
		results = append(results, Result{Name: e.Name, Claim: e.Claim, Short: e.Short, Source: e.Source, Quote: e.Quote,
			Verdict: verdict, Explanation: why, Caveat: caveat(out.Checks), Key: out.Key, Checks: out.Checks, Plots: out.Plots,
			Seconds: clock.Since(start).Seconds(), Seeds: env.Seeds(), Quick: env.Quick})
		if progress != nil {
			progress(Progress{Index: i + 1, Total: len(chosen), Name: e.Name, Result: &results[len(results)-1]})
		}
	}
	if err := moveIn(staging, dir, results, env.Report); err != nil {
		return results, fmt.Errorf("%w%s", atomicfile.StagedAs(err, staging, dir), stagingGone(staging))
	}
	return results, nil
}

// stagingGone says, where a run's staging folder is gone, that another
// run into its Dir removed it; else "".
func stagingGone(staging string) string {
	if _, err := os.Stat(staging); errors.Is(err, fs.ErrNotExist) {
		return " (another lab run into the same folder removed this run's plots: run one lab into a folder at a time)"
	}
	return ""
}

// stagingPrefix begins the name of the folder a run writes its plots
// into (Run).
const stagingPrefix = ".wiggle-lab-run-"

// ErrOtherPage is Run's error, wrapped, for a folder holding an
// index.html or a report.json that no lab run wrote (a lab report.json
// is HasReport's), which WriteReport would replace.
var ErrOtherPage = errors.New("the folder holds a file of a lab report's name that no lab run wrote")

// checkPage refuses a folder whose index.html or report.json is not a
// lab report's.
func checkPage(dir string) error {
	if HasReport(dir) {
		return nil
	}
	for _, name := range ReportFiles() {
		if _, err := os.Stat(filepath.Join(dir, name)); err == nil {
			return fmt.Errorf("%s: %w (its %s), and the report would replace it; choose another folder, or move the file", dir, ErrOtherPage, name)
		}
	}
	return nil
}

// checkPlots refuses a folder holding a file of one of plots' names that
// no lab run there lists as its own (labPlots), which the run would
// replace.
func checkPlots(dir string, plots []string) error {
	earlier := labPlots(dir)
	for _, name := range plots {
		if _, err := os.Lstat(filepath.Join(dir, name)); err == nil && !slices.Contains(earlier, name) {
			return fmt.Errorf("%s: %w (%s), and this run would replace it; choose another folder, or move the file", dir, ErrOtherPlot, name)
		}
	}
	return nil
}

// ErrOtherPlot is Run's error, wrapped, for a folder holding a file of one
// of the run's plots' names that no lab run there lists as its own.
var ErrOtherPlot = errors.New("the folder holds a file of a lab plot's name that no lab run there lists as its own")

// ctx is env's Context, or one never done.
func (env *Env) ctx() context.Context {
	if env.Context == nil {
		return context.Background()
	}
	return env.Context
}

// moveIn writes into staging what the move needs room for (the list of
// the plots moved in, and with report the report), then removes the
// report an earlier run left in dir and moves it all from staging into
// dir, syncing it for the renames to last: renames, which take no room.
func moveIn(staging, dir string, results []Result, report bool) error {
	var plots []string
	for _, r := range results {
		plots = append(plots, r.Plots...)
	}
	err := atomicfile.Write(filepath.Join(staging, plotsMoved), 0o644, func(w io.Writer) error { return json.NewEncoder(w).Encode(plots) })
	if err != nil {
		return err
	}
	names := append([]string{plotsMoved}, plots...) // the list first: a move cut short leaves the plots listed
	if report {
		if err := writeReportFiles(staging, results); err != nil {
			return err
		}
		names = append(names, ReportFiles()...)
	}
	if err := removeReport(dir); err != nil {
		return fmt.Errorf("%w: %w", ErrPartMoved, err)
	}
	for _, f := range names {
		if err := atomicfile.Rename(filepath.Join(staging, f), filepath.Join(dir, f)); err != nil {
			return fmt.Errorf("%w: %w", ErrPartMoved, err)
		}
	}
	if report { // the report names the plots now
		if err := os.Remove(filepath.Join(dir, plotsMoved)); err != nil {
			return fmt.Errorf("%w: %w", ErrPartMoved, err)
		}
	}
	if err := atomicfile.SyncDir(dir); err != nil {
		return fmt.Errorf("%w: %w", ErrPartMoved, err)
	}
	return nil
}

// ErrPartMoved is Run's error, wrapped, once it had begun to put the run
// into Dir (removing the earlier report, renaming the plots in): Dir is
// then not as it was. Renames take no room; a rename refused, or a crash,
// stops it there.
var ErrPartMoved = errors.New("the run was being put into its folder (the earlier report removed)")

// judge gives an experiment's verdict from its checks: reproduced when
// every check that could be measured holds, not reproduced when none holds
// (nor holds for some seeds), partly reproduced otherwise, inconclusive
// when none could be measured; and, unless reproduced, the findings of the
// checks that do not hold or could not be measured.
func judge(checks []Check) (verdict, why string) {
	checks = slices.DeleteFunc(slices.Clone(checks), func(c Check) bool { return c.Own })
	held, partly, measured := 0, 0, 0
	var whys []string
	for _, c := range checks {
		switch c.Verdict {
		case Reproduced:
			held++
			measured++
			continue
		case Flips:
			partly++
		}
		if c.Verdict != Inconclusive {
			measured++
		}
		whys = append(whys, c.Finding)
	}
	switch {
	case measured == 0:
		verdict = Inconclusive
	case held == measured && held == len(checks):
		return Reproduced, ""
	case held == measured:
		verdict = Partly // what could be measured holds; the rest could not be
	case held == 0 && partly == 0:
		verdict = NotReproduced
	default:
		verdict = Partly
	}
	return verdict, strings.Join(whys, " ")
}

// caveat gathers the findings of the lab's own questions that do not
// hold, each named ("" when they all hold).
func caveat(checks []Check) string {
	var parts []string
	for _, c := range checks {
		if c.Own && c.Verdict != Reproduced {
			how := "does not hold"
			if c.Verdict == Flips {
				how = "holds for some seeds only"
			}
			parts = append(parts, fmt.Sprintf("The lab's own question %q %s: %s", c.Claim, how, c.Finding))
		}
	}
	return strings.Join(parts, " ")
}

// quickMark is what a quick run's plots add to their titles: a plot
// copied onto a slide keeps it.
const quickMark = "\n[a quick run, for tests]"

// marked is p, its title marked where env is a quick run.
func (env *Env) marked(p *gplot.Plot) *gplot.Plot {
	if env.Quick && !strings.HasSuffix(p.Title.Text, quickMark) {
		p.Title.Text += quickMark
	}
	return p
}

// savePlot writes p as DIR/NAME.png (its title marked in a quick run)
// and returns the file name.
func (env *Env) savePlot(name string, p *gplot.Plot) (string, error) {
	env.marked(p)
	file := name + ".png"
	err := atomicfile.Write(filepath.Join(env.Dir, file), 0o644, func(w io.Writer) error {
		return plot.WritePNG(w, p, plot.MinChartWidth, 4.5*vg.Inch)
	})
	return file, err
}

// namedChart is a chart and the name of its file.
type namedChart struct {
	file  string
	chart plot.Chart
}

// saveCharts draws each chart and writes it as DIR/NAME.png, and returns
// the file names.
func (env *Env) saveCharts(charts []namedChart) ([]string, error) {
	var files []string
	for _, c := range charts {
		p, err := c.chart.Plot()
		if err != nil {
			return nil, err
		}
		f, err := env.savePlot(c.file, p)
		if err != nil {
			return nil, err
		}
		files = append(files, f)
	}
	return files, nil
}
