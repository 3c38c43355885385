package lab

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	gplot "gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"

	"github.com/wigglenn/wiggle/internal/atomicfile"
	"github.com/wigglenn/wiggle/plot"
)

// Experiment checks one claim about activations with measured numbers. Its
// criterion is fixed in the code before it runs; a claim that does not
// reproduce is reported as such, with the numbers.
type Experiment struct {
	Name      string
	Claim     string
	Source    string
	Criterion string
	run       func(env *Env) (Outcome, error)
}

// Env is what an experiment runs in.
type Env struct {
	Dir   string // where plots go
	Quick bool   // small enough for the test suite
	Seed  uint64
}

// Outcome is what an experiment measured and concluded.
type Outcome struct {
	Measured   []Measure
	Reproduced bool
	Plots      []string // PNG files in Env.Dir
}

// Measure is one measured number.
type Measure struct {
	Name  string  `json:"name"`
	Value float64 `json:"value"`
}

// Result is one experiment's entry in report.json.
type Result struct {
	Name      string    `json:"name"`
	Claim     string    `json:"claim"`
	Source    string    `json:"source"`
	Criterion string    `json:"criterion"`
	Measured  []Measure `json:"measured"`
	Verdict   string    `json:"verdict"` // "reproduced" or "not reproduced"
	Plots     []string  `json:"plots"`
	Seconds   float64   `json:"seconds"`
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

// CheckNames reports the first name that is not an experiment's.
func CheckNames(names []string) error {
	for _, n := range names {
		if !slices.Contains(ExperimentNames(), n) {
			return fmt.Errorf("unknown experiment %q; the experiments are %s", n, strings.Join(ExperimentNames(), ", "))
		}
	}
	return nil
}

// Run runs the named experiments (all when names is empty) in env and
// returns their results; progress, if set, hears each name as it starts.
func Run(names []string, env Env, progress func(string)) ([]Result, error) {
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
	if err := os.MkdirAll(env.Dir, 0o755); err != nil {
		return nil, err
	}
	var results []Result
	for _, e := range chosen {
		if progress != nil {
			progress(e.Name)
		}
		start := time.Now()
		out, err := e.run(&env)
		if err != nil {
			return results, fmt.Errorf("experiment %s: %w", e.Name, err)
		}
		verdict := "not reproduced"
		if out.Reproduced {
			verdict = "reproduced"
		}
		results = append(results, Result{Name: e.Name, Claim: e.Claim, Source: e.Source, Criterion: e.Criterion,
			Measured: out.Measured, Verdict: verdict, Plots: out.Plots, Seconds: time.Since(start).Seconds()})
	}
	return results, nil
}

// savePlot writes p as DIR/NAME.png and returns the file name.
func (env *Env) savePlot(name string, p *gplot.Plot) (string, error) {
	file := name + ".png"
	err := atomicfile.Write(filepath.Join(env.Dir, file), 0o644, func(w io.Writer) error {
		return plot.WritePNG(w, p, 6*vg.Inch, 4*vg.Inch)
	})
	return file, err
}
