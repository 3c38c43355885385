package main

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/wigglenn/wiggle/lab"
)

func newLabCmd(e env) *cobra.Command {
	cfg := lab.Env{Seed: 1}
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "lab [EXPERIMENT...]",
		Short: "Check the classic claims about activation functions with measured numbers",
		Long: `Run the lab's experiments (all, or those named), each stating a claim with its
source, measuring, and judging it by a criterion fixed in the code before the
run: reproduced or not reproduced, with the numbers and plots. Writes
DIR/index.html (readable offline), DIR/report.json and the PNG plots.

Experiments: ` + strings.Join(lab.ExperimentNames(), ", ") + `

--quick makes every experiment small (seconds; the test suite runs it). The
full run uses MNIST for relu-speed and dying-relu (fetched through the Go module
proxy) and takes about a minute on two cores.`,
		Example: `  wiggle lab --out lab-report
  wiggle lab saturation dying-relu --out lab-report --quick`,
		RunE: func(_ *cobra.Command, names []string) error {
			if err := lab.CheckNames(names); err != nil {
				return usageError{err}
			}
			results, err := lab.Run(names, cfg, func(name string) { fmt.Fprintf(e.stderr, "running %s...\n", name) })
			if err != nil {
				return err
			}
			if err := lab.WriteReport(cfg.Dir, results); err != nil {
				return sysErr(fmt.Errorf("--out: %w", err))
			}
			if asJSON {
				return sysErr(writeJSON(e.stdout, results))
			}
			return sysErr(writeLabSummary(e.stdout, results, cfg.Dir))
		},
	}
	cmd.Flags().StringVar(&cfg.Dir, "out", "lab-report", "the folder for the report and its plots")
	cmd.Flags().BoolVar(&cfg.Quick, "quick", false, "small experiments, for tests")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the results as JSON")
	cmd.Flags().Uint64Var(&cfg.Seed, "seed", cfg.Seed, "seed of the data and the initial weights")
	return cmd
}

func writeLabSummary(w io.Writer, results []lab.Result, dir string) error {
	for _, r := range results {
		fmt.Fprintf(w, "%-16s %-15s %s\n", r.Name, r.Verdict, r.Claim)
	}
	_, err := fmt.Fprintf(w, "\nreport: %s\n", filepath.Join(dir, "index.html"))
	return err
}
