//go:build amd64

package main

import (
	"testing"

	"golang.org/x/sys/cpu"
)

// TestLoopsSumWhatTheySay holds every loop to a float64 sum of what it is
// said to compute, over the timed k and over one pass of four steps, B's
// rows wider than its panels: each times the multiply-adds and loads its
// name and the report give it.
func TestLoopsSumWhatTheySay(t *testing.T) {
	if !cpu.X86.HasAVX512F {
		t.Skip("no AVX-512 on this CPU: the loops cannot run")
	}
	for _, k := range []int{kSteps, 4} {
		if err := check(k); err != nil {
			t.Error(err)
		}
	}
}
