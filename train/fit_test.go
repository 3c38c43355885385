package train

import (
	"context"
	"testing"

	"github.com/wigglenn/wiggle/engine"
	"github.com/wigglenn/wiggle/internal/kernels"
	"github.com/wigglenn/wiggle/loss"
	"github.com/wigglenn/wiggle/probe"
)

// TestFitLetsGoOfTheHelperForItsCallbacks: on two threads Fit holds the
// engine's helper while it steps (OnBatch sees it held) and lets go of it
// while OnHealth, OnEpoch and OnCheckpoint run, after every epoch and when
// a cancelled run takes its last checkpoint, so that the helper's trials
// leave their time out.
func TestFitLetsGoOfTheHelperForItsCallbacks(t *testing.T) {
	defer engine.SetThreads(engine.SetThreads(2))
	net, ds, cfg := spiralRun()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var heldInBatches, calls int
	cfg.Epochs, cfg.CheckpointEvery = 3, 1
	cfg.Probe = probe.NewRecorder(net, ds.X)
	cfg.OnBatch = func(done, total int) {
		if kernels.HelperHeld() {
			heldInBatches++
		}
	}
	callback := func(name string) {
		calls++
		if kernels.HelperHeld() {
			t.Errorf("%s ran with the helper held", name)
		}
	}
	cfg.OnHealth = func(probe.EpochHealth) { callback("OnHealth") }
	cfg.OnEpoch = func(st EpochStats) {
		callback("OnEpoch")
		if st.Epoch == 2 {
			cfg.OnBatch = nil
			cancel() // epoch 3 stops at its first step: the cancelled run's checkpoint
		}
	}
	cfg.OnCheckpoint = func(*Checkpoint) error { callback("OnCheckpoint"); return nil }
	if _, err := Fit(ctx, net, loss.Softmax{}, ds, nil, cfg); err == nil {
		t.Fatal("Fit ran its third epoch although cancelled")
	}
	if heldInBatches == 0 {
		t.Error("OnBatch never saw the helper held: Fit stepped without it")
	}
	if want := 2 + 2 + 2 + 1; calls != want { // OnHealth, OnEpoch and OnCheckpoint after epochs 1 and 2; the cancelled run's checkpoint
		t.Errorf("%d callbacks ran; want %d", calls, want)
	}
}
