package main

import (
	"encoding/json"
	"image/png"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/wigglenn/wiggle/lab"
	"github.com/wigglenn/wiggle/plot"
)

func TestCompareTable(t *testing.T) {
	stdout, stderr, status := wiggle(t, "", "compare", "--acts", "identity,relu,softplus(beta=2, threshold=10)", "--epochs", "40")
	if status != 0 {
		t.Fatalf("exit %d: %s", status, stderr)
	}
	for _, want := range []string{"2-32-32-3 MLP", "activation", "val", "to 90%", "dead", "saturated", "|dW1| init",
		"identity", "relu", "softplus(beta=2, threshold=10)", "never", "medians (and ranges) over 3 seeds", "relu's off side is dead"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("compare output lacks %q:\n%s", want, stdout)
		}
	}
	if strings.Contains(stdout, "step: f' is 0") {
		t.Errorf("compare without step explains a step row:\n%s", stdout)
	}
	// a step row's figures would read as a step network learning: the legend says only its output layer does
	stdout, stderr, status = wiggle(t, "", "compare", "--acts", "step(at_zero=0),relu", "--epochs", "5", "--seeds", "1")
	if status != 0 || !strings.Contains(stdout, "step: f' is 0 everywhere") || !strings.Contains(stdout, "only the output\nlayer learns") {
		t.Errorf("compare of step: exit %d, %s; want the step row explained:\n%s", status, stderr, stdout)
	}
}

func TestCompareJSON(t *testing.T) {
	stdout, stderr, status := wiggle(t, "", "compare", "--acts", "identity,relu", "--epochs", "60", "--json")
	if status != 0 {
		t.Fatalf("exit %d: %s", status, stderr)
	}
	var out struct {
		Settings lab.CompareConfig
		Rows     []lab.CompareRow
	}
	if err := json.Unmarshal([]byte(stdout), &out); err != nil {
		t.Fatal(err)
	}
	rows := out.Rows
	if len(rows) != 2 || rows[0].Act != "identity" || rows[1].Act != "relu" || rows[0].Runs != 3 {
		t.Fatalf("rows %+v", rows)
	}
	if s := out.Settings; !slices.Equal(s.Acts, []string{"identity", "relu"}) || s.Epochs != 60 || s.Seeds != 3 || s.LR != 0.1 || !slices.Equal(s.Hidden, []int{32, 32}) {
		t.Errorf("settings %+v; want the flags' values", s)
	}
	// The spiral is the seed's point: a linear network cannot separate it.
	if rows[0].Accuracy.Median > 0.6 || rows[1].Accuracy.Median < 0.9 {
		t.Errorf("identity accuracy %v, relu %v; want identity ≤ 0.6 and relu ≥ 0.9", rows[0].Accuracy, rows[1].Accuracy)
	}
	for _, key := range []string{`"val_accuracy"`, `"epochs_to_target"`, `"median"`, `"grad_norm"`} {
		if !strings.Contains(stdout, key) {
			t.Errorf("the JSON lacks %s (snake_case like train --json)", key)
		}
	}
	if strings.Contains(stdout, `"EpochsToTarget"`) || strings.Contains(stdout, `"Workers"`) || strings.Contains(stdout, `"Context"`) {
		t.Error("the JSON uses Go's field names, or settings that change no result")
	}
	if stdout, _, _ := wiggle(t, "", "compare", "--hidden", "", "--epochs", "1", "--seeds", "1", "--acts", "relu", "--json"); !strings.Contains(stdout, `"hidden": []`) {
		t.Errorf("compare --hidden '' --json: the settings' hidden widths are not []:\n%s", stdout)
	}
	// identity never reaches 90% on the spiral: no epoch to report, not epochs+1
	if !strings.Contains(stdout, `"epochs_to_target": null`) {
		t.Errorf("identity's epochs_to_target is not null:\n%s", stdout)
	}
}

// TestComparePlots: --plot writes the loss curves and the regions into
// its folder, made if missing; a file there is refused before training.
func TestComparePlots(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "plots")
	if _, stderr, status := wiggle(t, "", "compare", "--acts", "tanh,relu", "--epochs", "30", "--seeds", "2", "--plot", dir); status != 0 {
		t.Fatal(stderr)
	}
	for _, name := range []string{"losses.png", "regions.png"} {
		if info, err := os.Stat(filepath.Join(dir, name)); err != nil || info.Size() < 5000 {
			t.Errorf("%s: %v", name, err)
		}
	}
	file := filepath.Join(dir, "losses.png")
	if stdout, stderr, status := wiggle(t, "", "compare", "--plot", file); status != 2 || !strings.Contains(stderr, "--plot "+file+" is a file") || stdout != "" {
		t.Errorf("--plot naming a file: exit %d, %q %q", status, stdout, stderr)
	}
}

func TestSplitSpecs(t *testing.T) {
	for _, c := range []struct {
		values []string
		want   []string
	}{
		{[]string{"relu,tanh"}, []string{"relu", "tanh"}},
		{[]string{"relu", " softplus(beta=2, threshold=10) ,elu"}, []string{"relu", "softplus(beta=2, threshold=10)", "elu"}},
		{[]string{"relu,softplus(beta=2"}, []string{"relu", "softplus(beta=2"}},
		{[]string{"softplus(beta=2, threshold=10"}, []string{"softplus(beta=2, threshold=10"}},
		{[]string{"relu),tanh"}, []string{"relu)", "tanh"}},
		{[]string{"a)),b(c,d)"}, []string{"a))", "b(c,d)"}}, // stray ")" do not open a split inside b(...)
		{[]string{"", " , ", "relu,"}, []string{"", "", "", "relu", ""}},
	} {
		if got := splitSpecs(c.values); !slices.Equal(got, c.want) {
			t.Errorf("splitSpecs(%q) = %q, want %q", c.values, got, c.want)
		}
	}
}

// TestActsFlagRefusesEmptiesAndRepeats: compare and bench read --acts
// alike, as --hidden reads its widths and lab its experiments: an empty
// entry, or an activation named twice in any spelling, is an error naming
// the entries; specs across repeated flags are one list.
func TestActsFlagRefusesEmptiesAndRepeats(t *testing.T) {
	for _, c := range []struct {
		values []string
		want   string // the error, or "" for none
	}{
		{[]string{"relu", "softplus(beta=2, threshold=10),tanh"}, ""},
		{[]string{"relu,,tanh"}, `--acts "relu,,tanh": entry 2 is empty`},
		{[]string{"relu,"}, `entry 2 is empty`},
		{[]string{"relu", ""}, `--acts "relu" --acts "": entry 2 is empty`},
		{[]string{" , "}, "--acts is empty; hint"},
		{[]string{"relu,tanh,relu"}, "entries 1 (relu) and 3 (relu) are the same activation"},
		{[]string{"leaky_relu", "leaky_relu(negative_slope=0.01)"}, "entries 1 (leaky_relu) and 2 (leaky_relu(negative_slope=0.01)) are the same"},
		{[]string{"leaky_relu", "leaky_relu(negative_slope=0.2)"}, ""},
		{[]string{"elu,celu,gelu_tanh,gelu(approximate=tanh)"}, ""}, // bench times each; compare refuses them (sameRows)
		{[]string{"wobble"}, `--acts: unknown activation "wobble"`},
	} {
		specs, err := actsFlag(c.values, "hint")
		switch {
		case c.want == "" && (err != nil || len(specs) < 2):
			t.Errorf("%q: %q, %v; want the specs", c.values, specs, err)
		case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want) || !isUsageError(err)):
			t.Errorf("%q: %v; want a usage error with %q", c.values, err, c.want)
		}
	}
	if specs, err := actsFlag([]string{"elu(alpha=1.0), swish,relu", "softplus(beta=+2e0)"}, "hint"); err != nil || !slices.Equal(specs, []string{"elu(alpha=1)", "silu", "relu", "softplus(beta=2, threshold=20)"}) {
		t.Errorf("specs %q, %v; want them as the catalogue writes them", specs, err)
	}
	for _, cmd := range [][]string{{"compare", "--epochs", "1"}, {"bench", "--acts-only", "--quick"}} {
		if _, stderr, status := wiggle(t, "", append(cmd, "--acts", "tanh,relu,tanh")...); status != 2 || !strings.Contains(stderr, "the same activation") {
			t.Errorf("%s --acts tanh,relu,tanh: exit %d, %q; want exit 2 naming the repeat", cmd[0], status, stderr)
		}
	}
}

func TestCompareRefusesAnOpenParenthesis(t *testing.T) {
	_, stderr, status := wiggle(t, "", "compare", "--epochs", "1", "--seeds", "1", "--acts", "relu,softplus(beta=2")
	if status != 2 || !strings.Contains(stderr, "parenthesis") {
		t.Errorf("compare --acts 'relu,softplus(beta=2': exit %d, %q; want exit 2 on the parenthesis", status, stderr)
	}
}

// TestCompareMapsOptionsToFlags: the options lab refuses are named by
// their flags, and runs that diverge say so rather than show a loss of 0.
func TestCompareMapsOptionsToFlags(t *testing.T) {
	for _, c := range []struct{ flag, value string }{{"--lr", "NaN"}, {"--lr", "-1"}, {"--momentum", "NaN"}, {"--batch", "0"}} {
		_, stderr, status := wiggle(t, "", "compare", "--epochs", "1", "--seeds", "1", "--acts", "relu", c.flag, c.value)
		if status != 2 || !strings.Contains(stderr, c.flag+" "+c.value+": want") {
			t.Errorf("compare %s %s: exit %d, %q; want exit 2 naming the flag", c.flag, c.value, status, stderr)
		}
	}
	stdout, stderr, status := wiggle(t, "", "compare", "--epochs", "2", "--seeds", "2", "--acts", "relu", "--lr", "1e30")
	rowDiverged := false
	for _, line := range strings.Split(stdout, "\n") {
		if f := strings.Fields(line); len(f) > 2 && f[0] == "relu" && f[1] == "diverged" && f[2] == "-" {
			rowDiverged = true
		}
	}
	if status != 3 || !rowDiverged || !strings.Contains(stdout, "diverged, every run (the loss became NaN or infinite, or grew past 1000 times its first batch's; try a smaller --lr)") || !strings.Contains(stdout, "relu 2 of 2") ||
		!strings.Contains(stderr, "every run diverged") || !strings.Contains(stderr, "--lr than 1e+30") {
		t.Errorf("compare --lr 1e30: exit %d, stderr %q, table:\n%s; want the table, then exit 3 saying every run diverged", status, stderr, stdout)
	}
	// One activation that learns makes a comparison: exit 0.
	if stdout, stderr, status := wiggle(t, "", "compare", "--epochs", "2", "--seeds", "1", "--acts", "relu,sigmoid", "--lr", "30"); status != 0 || !strings.Contains(stdout, "diverged (the loss became NaN or infinite, or grew past 1000 times its first batch's; a row's figures are of its runs that did not, their count by its name; try a smaller --lr): relu 1 of 1\n") {
		t.Errorf("compare --lr 30, where relu diverges and sigmoid does not: exit %d, %s\n%s", status, stderr, stdout)
	}
	// A row some of whose runs diverged says of how many its figures are
	// (prelu at lr 0.1 diverges with seeds 2 and 3 of 3).
	if stdout, stderr, status := wiggle(t, "", "compare", "--acts", "prelu,relu"); status != 0 || !strings.Contains(stdout, "\n  prelu (1 of 3) ") || !strings.Contains(stdout, "\n  relu            0.") {
		t.Errorf("compare --acts prelu,relu: exit %d, %s\n%s; want prelu's row marked 1 of 3, relu's not", status, stderr, stdout)
	}
	stdout, _, status = wiggle(t, "", "compare", "--epochs", "2", "--seeds", "1", "--acts", "relu", "--lr", "1e30", "--json")
	if status != 3 || !strings.Contains(stdout, `"loss": null`) || !strings.Contains(stdout, `"diverged": 1`) {
		t.Errorf("compare --json, every run diverged: exit %d, %s; want the rows with null figures, then exit 3", status, stdout)
	}
	if stdout, _, _ := wiggle(t, "", "compare", "--epochs", "1", "--seeds", "1", "--acts", "relu"); !strings.Contains(stdout, "one run each, seed 1") || strings.Contains(stdout, "1 seeds") {
		t.Errorf("compare --seeds 1 heads its table %q", strings.SplitN(stdout, "\n", 2)[0])
	}
	if stdout, _, _ := wiggle(t, "", "compare", "--epochs", "1", "--seeds", "1", "--acts", "relu,tanh", "--hidden", ""); !strings.Contains(stdout, "every row is the same linear classifier") {
		t.Errorf("compare --hidden '' does not say the activations do nothing:\n%s", stdout)
	}
	// Every run diverged in its first epoch: the plots are drawn all the same, and say so.
	dir := filepath.Join(t.TempDir(), "plots")
	if _, stderr, status := wiggle(t, "", "compare", "--epochs", "3", "--seeds", "1", "--acts", "relu,tanh", "--lr", "1e30", "--plot", dir); status != 3 {
		t.Errorf("compare --plot, every run diverged: exit %d, %s; want 3 and the plots", status, stderr)
	}
	for _, name := range comparePlots {
		if info, err := os.Stat(filepath.Join(dir, name)); err != nil || info.Size() < 1000 {
			t.Errorf("%s after every run diverged: %v", name, err)
		}
	}
	// and their regions are none (weights that are not numbers had painted
	// one class over the whole panel): the panels white under the points
	f, err := os.Open(filepath.Join(dir, "regions.png"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	coloured, all := 0, 0
	for y := img.Bounds().Min.Y; y < img.Bounds().Max.Y; y += 3 {
		for x := img.Bounds().Min.X; x < img.Bounds().Max.X; x += 3 {
			r, g, b, _ := img.At(x, y).RGBA()
			all++
			if max(r, g, b)-min(r, g, b) > 0x1000 { // a tint: a region's pale colour or a point's
				coloured++
			}
		}
	}
	if share := float64(coloured) / float64(all); share > 0.1 {
		t.Errorf("regions.png after every run diverged: %.0f%% of it in colour; want no regions, the points alone", 100*share)
	}
}

// TestWallTimeKeepsItsFigures: the time column shows a short run in
// milliseconds or microseconds, not as 0.00s.
func TestWallTimeKeepsItsFigures(t *testing.T) {
	for _, c := range []struct {
		seconds float64
		want    string
	}{
		{123.456, "2m3.5s"}, {12.345, "12.3s"}, {1.2345, "1.23s"}, {0.12345, "123ms"},
		{0.0042, "4.2ms"}, {0.00085, "850µs"}, {0.0000004, "0s"}, {0, "0s"},
	} {
		if got := wallTime(c.seconds); got != c.want {
			t.Errorf("wallTime(%g) = %q, want %q", c.seconds, got, c.want)
		}
	}
}

// TestCompareMemoryRemedies: compare's memory refusal counts the networks
// it holds (every run's for the plots, else those training at once) and
// offers only the remedies that lower that count.
func TestCompareMemoryRemedies(t *testing.T) {
	for _, c := range []struct {
		acts           []string
		seeds, workers int
		nets           bool
		copies         int
		held, remedy   string
	}{
		{[]string{"relu", "tanh"}, 3, 2, true, 26, "of 6 runs, kept for the plots", "choose narrower layers, or fewer --acts or --seeds, or leave out --plot"},
		{[]string{"relu", "tanh"}, 3, 8, true, 26, "of 6 runs, kept for the plots", "choose narrower layers, or fewer --acts or --seeds"},
		{[]string{"relu"}, 1, 2, true, 6, "of 1 run, kept for the plots", "choose narrower layers"},
		{[]string{"relu", "tanh"}, 3, 2, false, 10, "of the 2 runs trained at once", "choose narrower layers, or fewer runs at once (--threads 1)"},
		{[]string{"relu", "tanh"}, 3, 1, false, 6, "of the 1 run trained at once", "choose narrower layers"},
		{[]string{"relu"}, 1, 8, false, 6, "of the 1 run trained at once", "choose narrower layers"},
	} {
		cfg := lab.CompareConfig{Acts: c.acts, Seeds: c.seeds, Workers: c.workers, Nets: c.nets}
		cp, remedy := compareCopies(cfg), compareRemedy(cfg)
		if cp.n != c.copies || !strings.Contains(cp.named[0], c.held) || remedy != c.remedy {
			t.Errorf("%d runs, %d workers, plots %v: %v copies, %q, %q; want %v, %q, %q", len(c.acts)*c.seeds, c.workers, c.nets, cp.n, cp.named[0], remedy, c.copies, c.held, c.remedy)
		}
	}
}

// TestCompareRefusesActivationsThatTrainAlike: compare refuses two --acts
// that compute the same numbers, whose rows would train alike, and takes
// the whole catalogue at its defaults but celu, elu's twin at alpha 1.
func TestCompareRefusesActivationsThatTrainAlike(t *testing.T) {
	for _, c := range []struct {
		specs []string
		want  string // the error, or "" for none
	}{
		{[]string{"gelu_tanh", "gelu(approximate=tanh)"}, "entries 1 (gelu_tanh) and 2 (gelu(approximate=tanh)) compute the same numbers"},
		{[]string{"elu", "relu", "celu"}, "entries 1 (elu) and 3 (celu) compute the same numbers"},
		{[]string{"elu", "celu(alpha=2)"}, ""},
		{[]string{"relu", "leaky_relu", "elu", "selu", "celu(alpha=0.5)", "gelu", "gelu_tanh", "silu", "mish", "softplus", "sigmoid", "tanh",
			"hardtanh", "relu6", "hardsigmoid", "hardswish", "softsign", "logsigmoid", "identity", "step"}, ""},
	} {
		err := sameRows(c.specs)
		if c.want == "" && err != nil || c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want) || !isUsageError(err)) {
			t.Errorf("%q: %v; want %q", c.specs, err, c.want)
		}
	}
	if _, stderr, status := wiggle(t, "", "compare", "--acts", "elu,celu", "--epochs", "1"); status != 2 || !strings.Contains(stderr, "compute the same numbers") {
		t.Errorf("compare --acts elu,celu: exit %d, %q; want 2", status, stderr)
	}
}

// TestLossPanels: the loss figure of several activations is a panel each,
// that activation's curve drawn and the others faint behind it (eight
// curves on one chart had been a tangle); of one, a chart titled by it.
func TestLossPanels(t *testing.T) {
	series := []plot.Series{{Name: "relu", X: []float64{1, 2}, Y: []float64{1, 0.5}}, {Name: "tanh", X: []float64{1, 2}, Y: []float64{1, 0.6}},
		{Name: "sigmoid", X: []float64{1, 2}, Y: []float64{1, 0.9}}}
	charts := lossCharts(series, false)
	if len(charts) != len(series) {
		t.Fatalf("%d panels for %d activations", len(charts), len(series))
	}
	for i, c := range charts {
		var named []string
		for _, s := range c.Series {
			if !s.Faint {
				named = append(named, s.Name)
			}
		}
		if c.Title != series[i].Name || len(c.Series) != len(series) || !slices.Equal(named, []string{series[i].Name}) {
			t.Errorf("panel %d: titled %q, %d series, %v drawn in colour; want %q over the others faint", i, c.Title, len(c.Series), named, series[i].Name)
		}
	}
	if panels, err := lossPanels(series, false); err != nil || len(panels) != len(series) {
		t.Errorf("lossPanels: %d plots, %v", len(panels), err)
	}
	one := lossCharts(series[:1], false)
	if len(one) != 1 || !strings.Contains(one[0].Title, "training loss of relu") || one[0].Series[0].Faint {
		t.Errorf("one activation: %+v; want one chart titled by it", one)
	}
}

// TestCompareTableSaysEpochsOfThoseThatReached: a row of whose runs some
// reached the target gives their median epoch beside the count (a learner
// saw "2 of 3 runs" alone, the epoch only in --json).
func TestCompareTableSaysEpochsOfThoseThatReached(t *testing.T) {
	row := lab.CompareRow{Act: "tanh", Runs: 3, Reached: 2, EpochsToTarget: lab.Spread{Median: 22, Min: 20, Max: 24}}
	var b strings.Builder
	if err := writeCompareTable(&b, []lab.CompareRow{row}, lab.CompareConfig{Target: 0.9}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "22 (2 of 3 runs)") {
		t.Errorf("the table:\n%s\nwants the two runs' median epoch, 22 (2 of 3 runs)", b.String())
	}
}

// TestCompareSaysWhyNotMaxout: maxout, which train and the lab take, is
// refused by compare with the reason and where to train it (it was an
// "unknown activation").
func TestCompareSaysWhyNotMaxout(t *testing.T) {
	_, stderr, status := wiggle(t, "", "compare", "--acts", "relu,maxout")
	if status != 2 || !strings.Contains(stderr, "maxout is a layer, not a function of one number") || !strings.Contains(stderr, "wiggle train --act maxout --probe") {
		t.Errorf("compare --acts relu,maxout: exit %d, %q; want 2 and the reason", status, stderr)
	}
}
