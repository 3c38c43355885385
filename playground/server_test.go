package playground

import (
	"bufio"
	"context"
	"errors"
	"io"
	"io/fs"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestHandlerServesOnlyTheSiteToItsOwnHosts(t *testing.T) {
	h := Handler(AllowedHosts("127.0.0.1:8080"))
	for _, c := range []struct {
		method, host, path string
		body               string
		want               int
	}{
		{"GET", "127.0.0.1:8080", "/", "", 200},
		{"GET", "localhost:8080", "/app.js", "", 200},
		{"HEAD", "[::1]:8080", "/wiggle.wasm", "", 200},
		{"GET", "LOCALHOST:8080", "/style.css", "", 200},
		{"GET", "evil.example:8080", "/", "", 403},       // DNS rebinding
		{"GET", "localhost:9999", "/", "", 403},          // another port
		{"GET", "127.0.0.1:8080", "/../go.mod", "", 404}, // nothing but the embedded files
		{"GET", "127.0.0.1:8080", "/nope.html", "", 404},
		{"POST", "127.0.0.1:8080", "/", "x", 405},
		{"GET", "127.0.0.1:8080", "/", strings.Repeat("x", MaxBody+1), 413},
	} {
		r := httptest.NewRequest(c.method, c.path, strings.NewReader(c.body))
		r.Host = c.host
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if w.Code != c.want {
			t.Errorf("%s %s Host %s (body %d bytes): %d, want %d", c.method, c.path, c.host, len(c.body), w.Code, c.want)
		}
	}
}

// TestEveryInterface: listening on 0.0.0.0, the server answers requests
// addressed to any IP of the machine (other machines' browsers use those),
// but still no name it does not know.
func TestEveryInterface(t *testing.T) {
	h := Handler(AllowedHosts("0.0.0.0:8080"))
	for host, want := range map[string]int{"192.0.2.7:8080": 200, "[2001:db8::1]:8080": 200, "localhost:8080": 200,
		"rebound.example:8080": 403, "192.0.2.7:9090": 403} {
		r := httptest.NewRequest("GET", "/", nil)
		r.Host = host
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if w.Code != want {
			t.Errorf("Host %s: %d, want %d", host, w.Code, want)
		}
		if say := "by one of this machine's IP addresses; a name is refused"; want == 403 && !strings.Contains(w.Body.String(), say) {
			t.Errorf("Host %s: %q; want it to say %q", host, w.Body.String(), say)
		}
	}
	r := httptest.NewRequest("POST", "/", strings.NewReader(strings.Repeat("x", MaxBody+1)))
	r.Host = "localhost:8080"
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	if w.Code != 413 {
		t.Errorf("an oversized POST: %d, want 413", w.Code)
	}
}

func TestWasmIsServedAsWasm(t *testing.T) {
	r := httptest.NewRequest("GET", "/wiggle.wasm", nil)
	r.Host = "localhost:8080"
	w := httptest.NewRecorder()
	Handler(AllowedHosts("127.0.0.1:8080")).ServeHTTP(w, r)
	if ct := w.Header().Get("Content-Type"); ct != "application/wasm" {
		t.Errorf("wiggle.wasm served as %q; browsers stream-compile only application/wasm", ct)
	}
	if w.Body.Len() < 1<<20 {
		t.Errorf("wiggle.wasm is %d bytes; the engine is missing (go generate ./playground)", w.Body.Len())
	}
}

// TestSlowClientIsCutOff sends half a request line and waits: the server
// closes the connection after its ReadHeaderTimeout.
func TestSlowClientIsCutOff(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go Server{ReadHeaderTimeout: 200 * time.Millisecond, ReadTimeout: 200 * time.Millisecond}.Serve(ctx, l)
	conn, err := net.Dial("tcp", l.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	io.WriteString(conn, "GET / HTTP/1.1\r\nHost: ")
	conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	start := time.Now()
	_, err = bufio.NewReader(conn).ReadString('\n')
	if err == nil || time.Since(start) > 4*time.Second {
		t.Errorf("a client that never finished its headers was kept for %v (read: %v); want it cut off", time.Since(start), err)
	}
}

func TestServerAnswersAndStops(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- Server{}.Serve(ctx, l) }()
	resp, err := http.Get("http://" + l.Addr().String() + "/")
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(page), `data-testid="play"`) {
		t.Errorf("GET /: %d, %d bytes without the play button", resp.StatusCode, len(page))
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Serve after cancel: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Serve did not stop when its context was cancelled")
	}
}

// TestExportKeepsTheUsersFiles: Export refuses a folder holding a file the
// site would replace, unless an earlier Export wrote it, and writes nothing
// there; it leaves other files alone.
func TestExportKeepsTheUsersFiles(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("notes"), 0o644)
	if err := Export(dir); err != nil { // other files are no obstacle
		t.Fatal(err)
	}
	if err := Export(dir); err != nil { // its own earlier export is replaced
		t.Fatalf("a second Export: %v", err)
	}
	if got, _ := os.ReadFile(filepath.Join(dir, "notes.txt")); string(got) != "notes" {
		t.Errorf("notes.txt is now %q", got)
	}
	mine := t.TempDir()
	os.WriteFile(filepath.Join(mine, "app.js"), []byte("mine"), 0o644)
	err := Export(mine)
	var over *OverwriteError
	if !errors.As(err, &over) || !slices.Equal(over.Files, []string{"app.js"}) || over.Dir != mine {
		t.Errorf("Export into a folder with its own app.js: %v; want an *OverwriteError naming app.js", err)
	}
	if entries, _ := os.ReadDir(mine); len(entries) != 1 {
		t.Errorf("the refused folder holds %d entries, want its one file", len(entries))
	}
	// Files of the user's own are all named.
	os.WriteFile(filepath.Join(mine, "index.html"), []byte("mine"), 0o644)
	if err := Export(mine); !errors.As(err, &over) || !slices.Equal(over.Files, []string{"app.js", "index.html"}) {
		t.Errorf("Export into a folder with its own app.js and index.html: %v; want both named", err)
	}
	// An export stopped part-way left its mark first: the next goes on.
	partial := t.TempDir()
	os.WriteFile(filepath.Join(partial, ExportMark), nil, 0o644)
	os.WriteFile(filepath.Join(partial, "app.js"), []byte("half"), 0o644)
	if err := Export(partial); err != nil {
		t.Errorf("Export over a partial export: %v", err)
	}
	// An export from before the mark: its index.html beside its wiggle.wasm.
	older := t.TempDir()
	os.WriteFile(filepath.Join(older, "index.html"), []byte("<html>an older playground</html>"), 0o644)
	os.WriteFile(filepath.Join(older, "wiggle.wasm"), []byte("\x00asm\x01\x00\x00\x00"), 0o644)
	if err := Export(older); err != nil {
		t.Errorf("Export over an export from before the mark: %v", err)
	}
}

func TestExportWritesTheSite(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "site")
	if err := Export(dir); err != nil {
		t.Fatal(err)
	}
	err := fs.WalkDir(Files(), ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		want, _ := fs.ReadFile(Files(), path)
		got, err := os.ReadFile(filepath.Join(dir, path))
		if err != nil || string(got) != string(want) {
			t.Errorf("%s: exported %d bytes (%v), embedded %d", path, len(got), err, len(want))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
