package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/wigglenn/wiggle/lab"
)

func newCompareCmd(e env) *cobra.Command {
	cfg := lab.DefaultCompareConfig()
	var acts []string
	var hidden string
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "compare",
		Short: "Train the same network once per activation and compare them side by side",
		Long: `Train the same small MLP on the CS231n spiral (3 classes, 100 points each,
generated from --seed) once per activation, from the same initial weights and
in the same batch order, and print one table:

  loss         mean softmax cross-entropy on the training set at the end
  accuracy     training accuracy at the end
  to 90%       the first epoch after which training accuracy reached 90%
  dead         hidden units whose output is 0 on every training example
  saturated    hidden unit-examples where |f'| is below 1% of its maximum
  |dW1| init   gradient norm of the first layer's weights at initialisation
  time         wall time of the training

Activations are given by name, with parameters if wanted:
--acts relu,tanh,'leaky_relu(negative_slope=0.2)'.`,
		Example: `  wiggle compare
  wiggle compare --acts sigmoid,tanh,relu --hidden 16,16,16 --epochs 300`,
		Args: cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			var err error
			if cfg.Hidden, err = parseWidths(hidden); err != nil {
				return usageError{fmt.Errorf("--hidden %q: %v", hidden, err)}
			}
			if cfg.Acts = splitSpecs(acts); len(cfg.Acts) == 0 {
				return usageError{fmt.Errorf("--acts is empty; name at least one activation (see 'wiggle act list')")}
			}
			spiral, err := loadData(e.ctx, "spiral", loadOptions{Seed: cfg.Seed}) // as `wiggle data gen spiral --seed`
			if err != nil {
				return err
			}
			rows, err := lab.Compare(cfg, spiral.Train)
			if err != nil {
				return usageError{err}
			}
			if asJSON {
				return sysErr(writeJSON(e.stdout, rows))
			}
			fmt.Fprintf(e.stdout, "%s MLP on the spiral (300 points, 3 classes); SGD lr %g momentum %g, batch %d, %d epochs, seed %d\n\n",
				widths(append(append([]int{2}, cfg.Hidden...), 3)), cfg.LR, cfg.Momentum, cfg.Batch, cfg.Epochs, cfg.Seed)
			return sysErr(writeCompareTable(e.stdout, rows, cfg.Target))
		},
	}
	f := cmd.Flags()
	f.StringArrayVar(&acts, "acts", lab.DefaultCompareActs, "activations to compare, comma-separated")
	f.StringVar(&hidden, "hidden", joinInts(cfg.Hidden), `hidden layer widths, comma-separated; "" for none`)
	f.IntVar(&cfg.Epochs, "epochs", cfg.Epochs, "passes over the training set")
	f.IntVar(&cfg.Batch, "batch", cfg.Batch, "examples per SGD step")
	f.Float64Var(&cfg.LR, "lr", cfg.LR, "learning rate")
	f.Float64Var(&cfg.Momentum, "momentum", cfg.Momentum, "SGD momentum (0 for plain SGD)")
	f.Uint64Var(&cfg.Seed, "seed", cfg.Seed, "seed of the data, the initial weights and the batch order")
	f.BoolVar(&asJSON, "json", false, "print the rows as JSON instead of a table")
	return cmd
}

func writeCompareTable(w io.Writer, rows []lab.CompareRow, target float64) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	nameWidth := len("activation")
	for _, r := range rows {
		nameWidth = max(nameWidth, len(r.Act))
	}
	fmt.Fprintf(tw, "%-*s\tloss\taccuracy\tto %.0f%%\tdead\tsaturated\t|dW1| init\ttime\t\n", nameWidth, "activation", 100*target)
	for _, r := range rows {
		reached := "never"
		if r.EpochsToTarget > 0 {
			reached = strconv.Itoa(r.EpochsToTarget)
		}
		fmt.Fprintf(tw, "%-*s\t%.4f\t%.1f%%\t%s\t%.1f%%\t%.1f%%\t%.3g\t%.2fs\t\n", nameWidth, r.Act, r.Loss, 100*r.Accuracy, reached,
			100*r.Dead, 100*r.Saturated, r.GradNorm, r.Seconds)
	}
	return tw.Flush()
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// splitSpecs splits activation specs at commas outside parentheses, so
// "relu,softplus(beta=2, threshold=10)" is two specs.
func splitSpecs(values []string) []string {
	var specs []string
	for _, v := range values {
		depth, start := 0, 0
		for i, c := range v + "," {
			switch {
			case c == '(':
				depth++
			case c == ')':
				depth--
			case c == ',' && depth <= 0:
				if s := strings.TrimSpace(v[start:i]); s != "" {
					specs = append(specs, s)
				}
				start = i + 1
			}
		}
	}
	return specs
}

// parseWidths reads "32,32" as layer widths; "" is no layer.
func parseWidths(s string) ([]int, error) {
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	parts := strings.Split(s, ",")
	widths := make([]int, len(parts))
	for i, p := range parts {
		n, err := strconv.Atoi(strings.TrimSpace(p))
		if err != nil || n < 1 {
			return nil, fmt.Errorf("width %d is %q; want whole numbers of at least 1, comma-separated, such as 16,16", i+1, p)
		}
		widths[i] = n
	}
	return widths, nil
}

func joinInts(v []int) string {
	s := make([]string, len(v))
	for i, n := range v {
		s[i] = strconv.Itoa(n)
	}
	return strings.Join(s, ",")
}

func widths(v []int) string { return strings.ReplaceAll(joinInts(v), ",", "-") }
