package main

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// TestSamePlaceByCase: two outputs spelt alike but for case are one file
// where the file system does not tell case apart (Windows, macOS), and two
// elsewhere; neither file need be there yet.
func TestSamePlaceByCase(t *testing.T) {
	dir := filepath.Join(os.TempDir(), "wiggle-no-such-folder") // made by nobody: t.TempDir's clean-up fails under Wine
	a, b := filepath.Join(dir, "case", "Model.safetensors"), filepath.Join(dir, "case", "model.safetensors")
	if got := samePlace(a, b); got != caseBlind {
		t.Errorf("samePlace(%s, %s) = %v on %s; want %v", a, b, got, runtime.GOOS, caseBlind)
	}
	if !samePlace(a, filepath.Join(dir, "case", "..", "case", "Model.safetensors")) {
		t.Errorf("samePlace of one path spelt two ways: false")
	}
	if caseOnly(a, b) != caseBlind || caseOnly(a, filepath.Join(dir, "case", "..", "case", "Model.safetensors")) {
		t.Errorf("caseOnly: %v for %s and %s, %v for one path spelt two ways; want %v and false", caseOnly(a, b), a, b, caseOnly(a, a), caseBlind)
	}
}
