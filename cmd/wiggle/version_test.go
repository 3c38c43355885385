package main

import (
	"runtime"
	"runtime/debug"
	"strings"
	"testing"
)

// TestVersion: --version says the build, Go's version and system, and
// the engine's path, exit 0; a build's commit, its time and uncommitted
// changes are said where the build recorded them, a module's version
// where it has one.
func TestVersion(t *testing.T) {
	stdout, stderr, status := wiggle(t, "", "--version")
	if status != 0 || stderr != "" || !strings.HasPrefix(stdout, "wiggle ") || !strings.Contains(stdout, runtime.Version()+" "+runtime.GOOS+"/"+runtime.GOARCH) || !strings.Contains(stdout, "\nengine: gemm ") {
		t.Errorf("--version: exit %d, %q, %q; want the build, Go's version and the engine", status, stdout, stderr)
	}
	for _, c := range []struct {
		info debug.BuildInfo
		want string
	}{
		{debug.BuildInfo{Main: debug.Module{Version: "(devel)"}}, "(built from source)"},
		{debug.BuildInfo{Main: debug.Module{Version: "v1.2.0"}}, "v1.2.0"},
		{debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Settings: []debug.BuildSetting{
			{Key: "vcs.revision", Value: "5992d08f8e2c1a3b4c5d6e7f8091a2b3c4d5e6f7"}, {Key: "vcs.time", Value: "2026-12-07T23:10:00Z"}, {Key: "vcs.modified", Value: "true"}}},
			"(built from source) (commit 5992d08f8e2c, 2026-12-07T23:10:00Z, with uncommitted changes)"},
		{debug.BuildInfo{Main: debug.Module{Version: "v0.0.0-20261207231000-5992d08f8e2c+dirty"}, Settings: []debug.BuildSetting{ // Go 1.24's stamp of a checkout's build
			{Key: "vcs.revision", Value: "5992d08f8e2c1a3b4c5d6e7f8091a2b3c4d5e6f7"}, {Key: "vcs.modified", Value: "true"}}},
			"v0.0.0-20261207231000-5992d08f8e2c+dirty"},
	} {
		if got := buildText(&c.info); got != c.want {
			t.Errorf("buildText(%+v) = %q; want %q", c.info, got, c.want)
		}
	}
}
