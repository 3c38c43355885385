package train

import (
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"

	"github.com/wigglenn/wiggle/data"
	"github.com/wigglenn/wiggle/internal/reftest"
	"github.com/wigglenn/wiggle/loss"
	"github.com/wigglenn/wiggle/modelio"
	"github.com/wigglenn/wiggle/nn"
	"github.com/wigglenn/wiggle/optim"
)

// refJob is what this test reads of a reference run's `wiggle train` flags.
type refJob struct {
	Hidden []int
	Act    string
	Loss   string
	Config
}

// jobFromFlags reads the `wiggle train` flags of a reference run.
func jobFromFlags(t *testing.T, flags []string) refJob {
	j := refJob{Act: "relu", Loss: "softmax", Config: Config{Optimizer: optim.Config{Name: "sgd"}}}
	num := func(s string) float64 {
		v, err := strconv.ParseFloat(s, 64)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	for i := 0; i < len(flags); i++ {
		name, value, inline := strings.Cut(flags[i], "=")
		if !inline && i+1 < len(flags) {
			i++
			value = flags[i]
		}
		switch name {
		case "--hidden":
			for _, w := range strings.Split(value, ",") {
				if w != "" {
					j.Hidden = append(j.Hidden, int(num(w)))
				}
			}
		case "--act":
			j.Act = value
		case "--loss":
			j.Loss = value
		case "--optimizer":
			j.Optimizer.Name = value
		case "--lr":
			j.Optimizer.LR = num(value)
		case "--momentum":
			j.Optimizer.Momentum = num(value)
		case "--weight-decay":
			j.Optimizer.WeightDecay = num(value)
		case "--l2":
			j.L2 = num(value)
		case "--l1":
			j.L1 = num(value)
		case "--clip-norm":
			j.ClipNorm = num(value)
		case "--batch":
			j.Batch = int(num(value))
		case "--epochs":
			j.Epochs = int(num(value))
		case "--shuffle":
			j.Shuffle = value == "true"
		default:
			t.Fatalf("flag %s is not read by this test", name)
		}
	}
	return j
}

// TestStepsMatchPyTorch replays every reference run step by step: each
// mini-batch's loss before its update within 1e-5 relative, the final
// tensors within 1e-4 relative (per tensor norm).
func TestStepsMatchPyTorch(t *testing.T) {
	for _, run := range reftest.LoadAll(t, "testdata") {
		t.Run(run.Name, func(t *testing.T) {
			csvPath, initPath := reftest.WriteRunFiles(t, run, t.TempDir())
			j := jobFromFlags(t, run.Flags)
			l, err := loss.New(j.Loss)
			if err != nil {
				t.Fatal(err)
			}
			ds, err := data.ReadCSV(csvPath, data.CSVOptions{Target: "label", Regression: j.Loss == "mse"})
			if err != nil {
				t.Fatal(err)
			}
			outputs := l.Outputs(ds.Classes)
			if ds.Regression() {
				outputs = ds.Values.Cols
			}
			net, err := nn.Build(nn.NewMLPSpec(ds.X.Cols, j.Hidden, outputs, j.Act, nn.MLPOptions{}), rand.New(rand.NewPCG(1, 0)))
			if err != nil {
				t.Fatal(err)
			}
			init, err := modelio.ReadFile(initPath)
			if err != nil {
				t.Fatal(err)
			}
			if err := modelio.LoadStateDict(net, init); err != nil {
				t.Fatal(err)
			}
			opt, err := optim.New(j.Optimizer)
			if err != nil {
				t.Fatal(err)
			}
			tr := &Trainer{Net: net, Loss: l, Opt: opt, L2: j.L2, L1: j.L1, ClipNorm: j.ClipNorm, Batch: j.Batch}
			step := 0
			for range j.Epochs {
				for start := 0; start < ds.Len(); start += j.Batch {
					var rows []int
					for r := start; r < min(start+j.Batch, ds.Len()); r++ {
						rows = append(rows, r)
					}
					got, _, err := tr.Step(ds, rows)
					if err != nil {
						t.Fatal(err)
					}
					want, _ := strconv.ParseFloat(run.Losses[step], 64)
					if math.Abs(got-want) > 1e-5*math.Abs(want)+1e-7 {
						t.Errorf("step %d: loss %v, PyTorch %v", step+1, got, want)
					}
					step++
				}
			}
			if step != len(run.Losses) {
				t.Fatalf("%d steps, PyTorch made %d", step, len(run.Losses))
			}
			for _, p := range net.Params() {
				if e := reftest.RelErr(p.Value, run.Final[p.Name].Values); e > 1e-4 {
					t.Errorf("%s: relative error %.2g, want ≤ 1e-4", p.Name, e)
				}
			}
		})
	}
}
