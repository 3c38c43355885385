package lab

import (
	"encoding/json"
	"image/png"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/wigglenn/wiggle/nn"
)

// TestQuickLabWritesEveryExperiment runs the whole lab in quick mode and
// checks the report: every experiment, a verdict that is one of the two,
// numbers, and plots that are real PNG files.
func TestQuickLabWritesEveryExperiment(t *testing.T) {
	dir := t.TempDir()
	results, err := Run(nil, Env{Dir: dir, Quick: true, Seed: 1}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := WriteReport(dir, results); err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(filepath.Join(dir, "report.json"))
	if err != nil {
		t.Fatal(err)
	}
	var report []Result
	if err := json.Unmarshal(raw, &report); err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, r := range report {
		names = append(names, r.Name)
		if r.Verdict != "reproduced" && r.Verdict != "not reproduced" {
			t.Errorf("%s: verdict %q", r.Name, r.Verdict)
		}
		if r.Claim == "" || r.Criterion == "" || r.Source == "" || len(r.Measured) == 0 || len(r.Plots) == 0 {
			t.Errorf("%s: incomplete entry %+v", r.Name, r)
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
	if !slices.Equal(names, ExperimentNames()) {
		t.Errorf("report has %v, want %v", names, ExperimentNames())
	}
	page, _ := os.ReadFile(filepath.Join(dir, "index.html"))
	for _, n := range names {
		if !strings.Contains(string(page), `id="`+n+`"`) {
			t.Errorf("index.html has no section for %s", n)
		}
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
		if r.Verdict != "reproduced" {
			t.Errorf("%s: %s with %+v", r.Name, r.Verdict, r.Measured)
		}
	}
	if _, err := Run([]string{"alchemy"}, Env{Dir: t.TempDir()}, nil); err == nil || !strings.Contains(err.Error(), "tanh-identity") {
		t.Errorf("an unknown experiment: %v", err)
	}
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
