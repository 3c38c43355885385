package main

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/wigglenn/wiggle/modelio"
	"github.com/wigglenn/wiggle/playground/session"
)

// TestPlaygroundTrainsAsTheCLI: a playground run with no test points ends
// with the weights `wiggle train` saves for the same flags, bit for bit
// (natively the kernels are the same; in the page only their summation
// order differs).
func TestPlaygroundTrainsAsTheCLI(t *testing.T) {
	for _, a := range []string{"relu", "tanh", "leaky_relu(negative_slope=0.2)"} {
		cfg := session.Default()
		cfg.TestFraction, cfg.Hidden, cfg.Act = 0, []int{8, 8}, a
		s, err := session.New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		for range 3 {
			if _, err := s.Epoch(); err != nil {
				t.Fatal(err)
			}
		}
		out := filepath.Join(t.TempDir(), "m.safetensors")
		if _, stderr, status := wiggle(t, "", "train", "--data", "spiral", "--hidden", "8,8", "--act", a, "--optimizer", "momentum",
			"--lr", fmt.Sprint(cfg.LR), "--momentum", fmt.Sprint(cfg.Momentum), "--batch", fmt.Sprint(cfg.Batch), "--epochs", "3", "--seed", fmt.Sprint(cfg.Seed), "--out", out); status != 0 {
			t.Fatal(stderr)
		}
		m, err := modelio.Load(out)
		if err != nil {
			t.Fatal(err)
		}
		for i, p := range m.Net.Params() {
			if !slices.Equal(p.Value, s.Net().Params()[i].Value) {
				t.Errorf("%s: %s differs between the playground's run and wiggle train's", a, p.Name)
			}
		}
	}
}

// TestServeStopsOnCtrlC: a server Ctrl-C stops exits 130, as every
// command does (it had exited 0).
func TestServeStopsOnCtrlC(t *testing.T) {
	stopped, cancel := context.WithCancel(context.Background())
	cancel()
	var out, errOut bytes.Buffer
	if status := run(stopped, []string{"serve", "--addr", "127.0.0.1:0"}, strings.NewReader(""), &out, &errOut); status != exitInterrupted || !strings.HasPrefix(errOut.String(), "wiggle: interrupted") {
		t.Errorf("serve, stopped: exit %d, %q (%q); want 130 and an interruption", status, errOut.String(), out.String())
	}
}

func TestServeExportAndErrors(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "site")
	if _, stderr, status := wiggle(t, "", "serve", "--export", dir); status != 0 {
		t.Fatal(stderr)
	}
	for _, f := range []string{"index.html", "app.js", "worker.js", "wasm_exec.js", "wiggle.wasm"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Errorf("--export wrote no %s", f)
		}
	}
	if _, stderr, status := wiggle(t, "", "serve", "--addr", "not an address"); status != 2 || !strings.Contains(stderr, "--addr") {
		t.Errorf("serve --addr 'not an address': exit %d, %q; want 2 naming --addr", status, stderr)
	}
	// --export refuses, before writing, a file, a folder where a file of
	// the site would go, and the server's flags.
	file := filepath.Join(t.TempDir(), "data.csv")
	if err := os.WriteFile(file, []byte("x,label\n1,0\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	busy := filepath.Join(t.TempDir(), "busy")
	if err := os.MkdirAll(filepath.Join(busy, "index.html"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--export", file}, "--export " + file + " is a file; name a folder"},
		{[]string{"--export", busy}, "index.html is a folder, where the file index.html would be written"},
		{[]string{"--export", dir, "--addr", "127.0.0.1:9000"}, "--addr does nothing with --export"},
		{[]string{"--export", dir, "--open"}, "--open does nothing with --export"},
		{[]string{"--export", ""}, "--export is empty; name the folder"}, // it served the site
	} {
		stdout, stderr, status := wiggle(t, "", append([]string{"serve"}, c.args...)...)
		if status != 2 || stdout != "" || !strings.Contains(stderr, c.want) {
			t.Errorf("serve %v: exit %d, %q, %q; want 2 saying %q", c.args, status, stdout, stderr, c.want)
		}
	}
	if got, _ := os.ReadFile(file); string(got) != "x,label\n1,0\n" {
		t.Errorf("the file given to --export changed: %q", got)
	}
	if entries, _ := os.ReadDir(busy); len(entries) != 1 {
		t.Errorf("the refused --export folder holds %d entries, want the one folder", len(entries))
	}
	// A folder with a page of the user's own is refused, exit 2, the page
	// kept; the folder of an earlier export is written again.
	mine := t.TempDir()
	os.WriteFile(filepath.Join(mine, "index.html"), []byte("<h1>mine</h1>"), 0o644)
	if _, stderr, status := wiggle(t, "", "serve", "--export", mine); status != 2 || !strings.Contains(stderr, "--export: "+mine+" already holds index.html") {
		t.Errorf("serve --export into a folder with its own index.html: exit %d, %q; want 2 refusing it", status, stderr)
	}
	if got, _ := os.ReadFile(filepath.Join(mine, "index.html")); string(got) != "<h1>mine</h1>" {
		t.Errorf("the refused folder's index.html is now %d bytes", len(got))
	}
	if _, stderr, status := wiggle(t, "", "serve", "--export", dir); status != 0 {
		t.Errorf("serve --export into its own earlier export: exit %d, %q", status, stderr)
	}
}

func TestExportCommand(t *testing.T) {
	dir := t.TempDir()
	m := filepath.Join(dir, "m.safetensors")
	if _, stderr, status := wiggle(t, "", "train", "--data", "spiral", "--hidden", "8", "--act", "gelu", "--epochs", "2", "--standardize", "--out", m); status != 0 {
		t.Fatal(stderr)
	}
	out := filepath.Join(dir, "m.onnx")
	stdout, stderr, status := wiggle(t, "", "export", "--model", m, "--out", out)
	if status != 0 || !strings.Contains(stdout, "opset 17") {
		t.Fatalf("export: exit %d, %q %q", status, stdout, stderr)
	}
	if info, err := os.Stat(out); err != nil || info.Size() < 500 {
		t.Errorf("the ONNX file: %v", err)
	}
	if _, stderr, status := wiggle(t, "", "export", "--model", m, "--out", out, "--opset", "9"); status != 2 || !strings.Contains(stderr, "--opset 9") {
		t.Errorf("--opset 9: exit %d, %q", status, stderr)
	}
}

// TestListenAddr: an empty host is this machine alone, not every interface
// (as Go's net.Listen takes it); an address without a port is refused.
func TestListenAddr(t *testing.T) {
	for _, c := range []struct{ addr, want string }{
		{":9000", "127.0.0.1:9000"}, {"127.0.0.1:8080", "127.0.0.1:8080"},
		{"0.0.0.0:8080", "0.0.0.0:8080"}, {"[::1]:0", "[::1]:0"}, {"localhost:80", "localhost:80"},
	} {
		if got, err := listenAddr(c.addr); err != nil || got != c.want {
			t.Errorf("listenAddr(%q) = %q, %v; want %q", c.addr, got, err, c.want)
		}
	}
	for _, addr := range []string{"", "8080", "127.0.0.1"} {
		if got, err := listenAddr(addr); err == nil {
			t.Errorf("listenAddr(%q) = %q; want an error", addr, got)
		}
	}
	if _, stderr, status := wiggle(t, "", "serve", "--addr", ""); status != 2 || !strings.Contains(stderr, `--addr ""`) || !strings.Contains(stderr, "host:port") {
		t.Errorf("serve --addr '': exit %d, %q; want 2 naming --addr and the form", status, stderr)
	}
}

// TestServeSaysThePortIsInUse: a port another socket holds is refused
// with the next one offered, not the system's words alone (Windows':
// "bind: ... 10048").
func TestServeSaysThePortIsInUse(t *testing.T) {
	held, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer held.Close()
	addr := held.Addr().String()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second) // a serve that went ahead stops
	defer cancel()
	var stdout, stderr bytes.Buffer
	status := run(ctx, []string{"serve", "--addr", addr}, strings.NewReader(""), &stdout, &stderr)
	_, port, _ := net.SplitHostPort(addr)
	n, _ := strconv.Atoi(port)
	want := fmt.Sprintf("--addr %s: the port is in use (another wiggle serve, or another program); stop that, or give another port, such as --addr 127.0.0.1:%d", addr, n+1)
	if status != 2 || !strings.Contains(stderr.String(), want) {
		t.Errorf("serve on a held port: exit %d, stderr %q; want 2 and %q", status, stderr.String(), want)
	}
	if got := nextPort("127.0.0.1:65535"); got != "" {
		t.Errorf("nextPort past the last port: %q; want none", got)
	}
}

// TestLANURLs: listening on every interface, serve names the machine's
// other addresses, with the port, none of them loopback's; listening on
// one address, none.
func TestLANURLs(t *testing.T) {
	if got := lanURLs(&net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 8093}); got != nil {
		t.Errorf("on 127.0.0.1: %q; want none", got)
	}
	for _, u := range lanURLs(&net.TCPAddr{IP: net.IPv4zero, Port: 8093}) {
		host, port, err := net.SplitHostPort(strings.TrimSuffix(strings.TrimPrefix(u, "http://"), "/"))
		if ip := net.ParseIP(host); err != nil || port != "8093" || ip == nil || ip.IsLoopback() || ip.To4() == nil {
			t.Errorf("on 0.0.0.0: %q; want http://IPv4:8093/ of another interface than loopback's", u)
		}
	}
}

// TestServeHostNames: --host names a reverse proxy's public name, and the
// name --addr gave is answered too; a --host that no Host header holds
// is refused, saying what to give.
func TestServeHostNames(t *testing.T) {
	got, err := hostNames("vm:9000", []string{"playground.example.edu", "class.example:8443"})
	if want := []string{"playground.example.edu", "class.example:8443", "vm:9000"}; err != nil || !slices.Equal(got, want) {
		t.Errorf("hostNames: %v, %v; want %v", got, err, want)
	}
	if got, err := hostNames("127.0.0.1:9000", nil); err != nil || len(got) != 0 {
		t.Errorf("an address by IP, no --host: %v, %v; want none", got, err)
	}
	for _, bad := range []string{"", "https://x.example", "x.example/play", "a b"} {
		if _, err := hostNames(":9000", []string{bad}); err == nil || !strings.Contains(err.Error(), "want a name as a Host header reads it") {
			t.Errorf("--host %q: %v", bad, err)
		}
	}
	if got, err := hostNames("vm:80", nil); err != nil || !slices.Equal(got, []string{"vm:80", "vm"}) {
		t.Errorf("--addr vm:80: %v, %v; want vm:80 and vm, as a browser sends HTTP's own port", got, err)
	}
	for addr, want := range map[string]string{"127.0.0.1:8080": "127.0.0.1:8080", "0.0.0.0:8080": "127.0.0.1:8080", "[::1]:8080": "[::1]:8080", "[::]:8080": "127.0.0.1:8080"} {
		if got := displayAddr(addr); got != want {
			t.Errorf("displayAddr(%s) = %q; want %q (not localhost, which a browser may try as [::1]; [::1] where it listens there alone)", addr, got, want)
		}
	}
	_, stderr, status := wiggle(t, "", "serve", "--addr", "127.0.0.1:0", "--host", "a b")
	if status != 2 || !strings.Contains(stderr, `--host "a b"`) {
		t.Errorf("serve --host 'a b': exit %d, %q; want it refused before serving", status, stderr)
	}
}
