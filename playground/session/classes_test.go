package session

import (
	"strings"
	"testing"
)

// TestClassChoice: the sets whose classes a Config chooses are those
// Generate takes a count of classes for: not xor's, moons' and linear's
// two, nor a regression set's values.
func TestClassChoice(t *testing.T) {
	if got := strings.Join(ClassChoice(), ","); got != "spiral,circles,blobs" {
		t.Errorf("ClassChoice %q; want spiral,circles,blobs", got)
	}
	for _, name := range ClassChoice() {
		cfg := Default()
		cfg.Dataset, cfg.Classes = name, 5
		if s, err := New(cfg); err != nil || s.TrainSet.Classes != 5 {
			t.Errorf("%s of 5 classes: %v", name, err)
		}
	}
}
