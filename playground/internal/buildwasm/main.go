// Command buildwasm builds the playground's engine: it compiles
// playground/wasm for GOOS=js GOARCH=wasm into playground/static/wiggle.wasm
// (trimmed paths, no VCS stamp, stripped: the same toolchain gives the same
// bytes) and copies the toolchain's loader, wasm_exec.js, beside it. Run it
// with `go generate ./playground` after changing any package the engine
// uses; CI checks that the committed files are what it writes.
package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

func main() {
	if err := build(); err != nil {
		fmt.Fprintln(os.Stderr, "buildwasm:", err)
		os.Exit(1)
	}
}

// build runs in the playground folder, as go generate does.
func build() error {
	cmd := exec.Command("go", "build", "-trimpath", "-buildvcs=false", "-ldflags=-s -w", "-o", filepath.Join("static", "wiggle.wasm"), "./wasm")
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm", "CGO_ENABLED=0")
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("go build ./wasm: %w", err)
	}
	if err := os.Chmod(filepath.Join("static", "wiggle.wasm"), 0o644); err != nil { // a file served, not run
		return err
	}
	out, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		return fmt.Errorf("go env GOROOT: %w", err)
	}
	loader, err := os.ReadFile(filepath.Join(strings.TrimSpace(string(out)), "lib", "wasm", "wasm_exec.js"))
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join("static", "wasm_exec.js"), loader, 0o644)
}
