package main

import (
	"errors"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/wigglenn/wiggle/internal/jsonfmt"
	"github.com/wigglenn/wiggle/lab"
)

func newLabCmd(e env) *cobra.Command {
	cfg := lab.Env{Seed: 1}
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "lab [EXPERIMENT...]",
		Short: "Check the classic claims about activation functions with measured numbers",
		Long: `Run the lab's experiments (all, or those named). Each tests a claim of the
seed document (CS231n's note on activation functions, summarised in Korean),
split into checks, each judged by a criterion fixed in the code before the
run, over several seeds (3 with --quick, 5 otherwise): reproduced, not
reproduced, or flips between seeds; a seed whose run diverged or never
reached the mark a check counts to is left out of it (said so), and a check
no seed could measure is inconclusive. An experiment is reproduced, partly
reproduced, not reproduced or inconclusive. Writes DIR/index.html (readable
offline; a summary table, then a section per experiment with the seed's
sentence, the checks, the numbers and the plots), DIR/report.json and the
PNG plots. A DIR that holds an earlier lab report gets this run's alone:
the earlier report and its plots are removed (other files stay, and a file
of one of the run's plots' names that no lab report wrote is refused before
the run); a run that fails or is stopped leaves DIR as it was.

Experiments, each with the claim it tests:
` + experimentList() + `

--quick makes every experiment small (a few seconds; the test suite runs it).
The full run uses MNIST for relu-speed and dying-relu (fetched through the Go
module proxy) and takes about a minute on two cores (44–48 s on AMD EPYCs, Zen 4 and Zen 5).`,
		Example: `  wiggle lab --out lab-report
  wiggle lab saturation dying-relu --out lab-report --quick`,
		RunE: func(_ *cobra.Command, names []string) error {
			if err := lab.CheckNames(names); err != nil {
				return usageError{err}
			}
			if strings.TrimSpace(cfg.Dir) == "" {
				return usageError{fmt.Errorf("--out is empty; name the folder for the report (the default is lab-report)")}
			}
			if err := checkOutDir("--out", cfg.Dir); err != nil {
				return err
			}
			if err := checkNoFolders("--out", cfg.Dir, lab.Files(names)); err != nil {
				return err
			}
			if seeds := cfg.Seeds(); seeds[len(seeds)-1] < cfg.Seed { // the seeds would wrap round to 0
				return usageError{fmt.Errorf("--seed %d: the run takes %d seeds from it, which would pass %d; start from %d or lower", cfg.Seed, len(seeds), uint64(math.MaxUint64), uint64(math.MaxUint64)-uint64(len(seeds)-1))}
			}
			cfg.Context, cfg.Report = e.ctx, true // the report staged with the plots: a full disk leaves --out as it was
			results, err := lab.Run(names, cfg, func(p lab.Progress) {
				if p.Result == nil {
					fmt.Fprintf(e.stderr, "[%d/%d] %s...\n", p.Index, p.Total, p.Name)
					return
				}
				fmt.Fprintf(e.stderr, "[%d/%d] %s: %s (%.1f s)\n", p.Index, p.Total, p.Name, p.Result.Verdict, p.Result.Seconds)
			})
			if errors.Is(err, lab.ErrOtherPage) || errors.Is(err, lab.ErrOtherPlot) {
				return usageError{fmt.Errorf("--out %w", err)}
			}
			switch {
			case err == nil:
			case errors.Is(err, lab.ErrPartMoved): // its words say what stands
				return sysErr(fmt.Errorf("--out: %w; run it again", err))
			case lab.HasReport(cfg.Dir): // Run leaves it as it was
				return stoppedOrSys(fmt.Errorf("%w; the earlier report in %s is as it was", err, cfg.Dir))
			default:
				return stoppedOrSys(err) // nothing written
			}
			if asJSON {
				return sysErr(jsonfmt.Write(e.stdout, results))
			}
			return sysErr(writeLabSummary(e.stdout, results, cfg.Dir))
		},
	}
	cmd.Flags().StringVar(&cfg.Dir, "out", "lab-report", "the folder for the report and its plots")
	cmd.Flags().BoolVar(&cfg.Quick, "quick", false, "small experiments, for tests")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the results as JSON")
	cmd.Flags().Uint64Var(&cfg.Seed, "seed", cfg.Seed, "the first seed of the data and the initial weights (the runs take it and the next ones)")
	return cmd
}

func writeLabSummary(w io.Writer, results []lab.Result, dir string) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "experiment\tverdict\tkey number")
	for _, r := range results {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", r.Name, r.Verdict, r.Key)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, r := range results {
		if len(r.Seeds) > 1 {
			fmt.Fprintf(w, "\nkey numbers: medians over seeds %d to %d; the report gives each measure's range\n", r.Seeds[0], r.Seeds[len(r.Seeds)-1])
			break
		}
	}
	if lab.QuickRun(results) {
		fmt.Fprintln(w, "\na quick run (--quick): small experiments, for tests; their numbers are not the lab's findings")
	}
	_, err := fmt.Fprintf(w, "\nreport: %s\n", filepath.Join(dir, "index.html"))
	return err
}

// experimentList lists the lab's experiments for --help, a line each: the
// name, and the claim it tests.
func experimentList() string {
	var b strings.Builder
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	for _, x := range lab.Experiments() {
		fmt.Fprintf(tw, "  %s\t%s\n", x.Name, x.Short)
	}
	tw.Flush()
	return strings.TrimSuffix(b.String(), "\n")
}
