package train

import (
	"context"
	"testing"

	"github.com/wigglenn/wiggle/engine"
	"github.com/wigglenn/wiggle/internal/kernels"
	"github.com/wigglenn/wiggle/loss"
	"github.com/wigglenn/wiggle/probe"
	"github.com/wigglenn/wiggle/tensor"
)

// heldLoss is softmax cross-entropy that counts the calls of Forward
// made without the engine's helper held.
type heldLoss struct {
	loss.Softmax
	calls, unheld int
}

func (l *heldLoss) Forward(dScores, scores *tensor.Matrix, y loss.Target) float64 {
	l.calls++
	if !kernels.HelperHeld() {
		l.unheld++
	}
	return l.Softmax.Forward(dScores, scores, y)
}

// TestFitLetsGoOfTheHelperForItsCallbacks: on two threads Fit holds the
// engine's helper while it steps and validates (every call of the loss
// sees it held) and lets go of it while OnHealth, OnEpoch and
// OnCheckpoint run, after every epoch and when a cancelled run takes its
// last checkpoint, so that the helper's trials leave their time out.
// (HelperHeld counts every holder in the process: no test here runs in
// parallel with another.)
func TestFitLetsGoOfTheHelperForItsCallbacks(t *testing.T) {
	defer engine.SetThreads(engine.SetThreads(2))
	net, ds, cfg := spiralRun()
	trainPart, valPart := ds.SplitTail(0.2)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	calls := 0
	cfg.Epochs, cfg.CheckpointEvery = 3, 1
	cfg.Probe = probe.NewRecorder(net, trainPart.X)
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
			cancel() // epoch 3 stops before its first step: the cancelled run's checkpoint
		}
	}
	cfg.OnCheckpoint = func(*Checkpoint) error { callback("OnCheckpoint"); return nil }
	l := &heldLoss{}
	if _, err := Fit(ctx, net, l, trainPart, valPart, cfg); err == nil {
		t.Fatal("Fit ran its third epoch although cancelled")
	}
	if want := 2 + 2 + 2 + 1; calls != want { // OnHealth, OnEpoch and OnCheckpoint after epochs 1 and 2; the cancelled run's checkpoint
		t.Errorf("%d callbacks ran; want %d", calls, want)
	}
	if l.calls == 0 || l.unheld > 0 {
		t.Errorf("%d of the loss's %d calls (steps and validation) ran without the helper held; want none", l.unheld, l.calls)
	}
}
