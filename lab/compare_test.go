package lab

import (
	"math/rand/v2"
	"testing"

	"github.com/wigglenn/wiggle/data"
)

func quickConfig() CompareConfig {
	cfg := DefaultCompareConfig()
	cfg.Epochs = 40
	return cfg
}

// TestCompareIndependentOfWorkers checks that running activations in
// parallel changes nothing but the wall time.
func TestCompareIndependentOfWorkers(t *testing.T) {
	ds := data.Spiral(100, 3, 0.2, rand.New(rand.NewPCG(1, 1)))
	cfg := quickConfig()
	cfg.Acts = []string{"sigmoid", "relu", "tanh"}
	cfg.Workers = 1
	one, err := Compare(cfg, ds)
	if err != nil {
		t.Fatal(err)
	}
	cfg.Workers = 3
	three, err := Compare(cfg, ds)
	if err != nil {
		t.Fatal(err)
	}
	for i := range one {
		one[i].Seconds, three[i].Seconds = 0, 0
		if one[i] != three[i] {
			t.Errorf("%s: one worker %+v, three workers %+v", cfg.Acts[i], one[i], three[i])
		}
	}
}

// TestCompareTellsTheSeedsStory checks the seed's claims on the default
// spiral: linear collapses, step gets no gradient below the top, ReLU learns.
func TestCompareTellsTheSeedsStory(t *testing.T) {
	ds := data.Spiral(100, 3, 0.2, rand.New(rand.NewPCG(1, 1)))
	cfg := quickConfig()
	cfg.Acts = []string{"step", "identity", "relu"}
	rows, err := Compare(cfg, ds)
	if err != nil {
		t.Fatal(err)
	}
	step, identity, relu := rows[0], rows[1], rows[2]
	if step.GradNorm != 0 || step.Saturated != 1 {
		t.Errorf("step: first-layer gradient %v, saturated %v; want 0 and 1", step.GradNorm, step.Saturated)
	}
	if identity.Accuracy > 0.6 || identity.EpochsToTarget != 0 {
		t.Errorf("identity reached %.2f accuracy (90%% at epoch %d); a linear map cannot separate the spiral", identity.Accuracy, identity.EpochsToTarget)
	}
	if relu.Accuracy < 0.9 || relu.EpochsToTarget == 0 {
		t.Errorf("relu reached only %.2f accuracy", relu.Accuracy)
	}
}

func TestCompareRejectsBadConfig(t *testing.T) {
	ds := data.Spiral(10, 3, 0.2, rand.New(rand.NewPCG(1, 1)))
	cfg := quickConfig()
	cfg.Acts = []string{"nope"}
	if _, err := Compare(cfg, ds); err == nil {
		t.Error("an unknown activation was accepted")
	}
	cfg = quickConfig()
	cfg.Batch = 0
	if _, err := Compare(cfg, ds); err == nil {
		t.Error("batch 0 was accepted")
	}
}
