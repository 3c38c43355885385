package main

import (
	"fmt"
	"runtime"
	"runtime/debug"
	"strings"

	"github.com/wigglenn/wiggle/perf"
)

// versionText is what `wiggle --version` prints: the build (its module
// version, or the commit a build from a git checkout records), Go's
// version and the system's, and the engine's path on this CPU, so that a
// result can name what made it (a CPU without AVX2 and FMA runs the
// plain-Go kernels, whose last bits differ).
func versionText() string {
	build := "a build without version information"
	if info, ok := debug.ReadBuildInfo(); ok {
		build = buildText(info)
	}
	return fmt.Sprintf("wiggle %s\n%s %s/%s\nengine: %s", build, runtime.Version(), runtime.GOOS, runtime.GOARCH, perf.CPUFeatures())
}

// buildText says which build info is: its module version where it has
// one, and the commit, its time and whether the tree held changes, where
// the build recorded them (go build in a git checkout; go run and go test
// record none).
func buildText(info *debug.BuildInfo) string {
	settings := map[string]string{}
	for _, s := range info.Settings {
		settings[s.Key] = s.Value
	}
	version := info.Main.Version
	if version == "" || version == "(devel)" {
		version = "(built from source)"
	}
	commit := settings["vcs.revision"]
	if commit == "" || strings.Contains(version, commit[:min(12, len(commit))]) { // a pseudo-version names its commit (and +dirty) itself
		return version
	}
	var parts []string
	parts = append(parts, "commit "+commit[:min(12, len(commit))])
	if t := settings["vcs.time"]; t != "" {
		parts = append(parts, t)
	}
	if settings["vcs.modified"] == "true" {
		parts = append(parts, "with uncommitted changes")
	}
	return version + " (" + strings.Join(parts, ", ") + ")"
}
