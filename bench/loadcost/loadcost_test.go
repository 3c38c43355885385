//go:build amd64

package main

import (
	"testing"

	"golang.org/x/sys/cpu"
)

// TestLoopsComputeTheProduct holds every loop that computes the product
// to a float64 sum of it: the loops time real multiply-adds on the
// operands they load.
func TestLoopsComputeTheProduct(t *testing.T) {
	if !cpu.X86.HasAVX512F {
		t.Skip("no AVX-512 on this CPU")
	}
	if err := check(); err != nil {
		t.Fatal(err)
	}
}
