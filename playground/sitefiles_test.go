package playground

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// get asks h for path at Host localhost:8080 with the headers given.
func get(h http.Handler, path string, header map[string]string) *httptest.ResponseRecorder {
	r := httptest.NewRequest("GET", path, nil)
	r.Host = "localhost:8080"
	for k, v := range header {
		r.Header.Set(k, v)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

// TestEngineGoesGzipped: a browser that takes gzip gets the engine
// gzipped, under a third of its size, whose bytes unzip to the file's; a
// client that does not, or asks for a range, or refuses gzip with q=0,
// gets the file as it is; both say the answer varies with Accept-Encoding.
func TestEngineGoesGzipped(t *testing.T) {
	h := Handler(AllowedHosts("127.0.0.1:8080"))
	plain, err := fs.ReadFile(Files(), engineFile)
	if err != nil {
		t.Fatal(err)
	}
	w := get(h, "/wiggle.wasm", map[string]string{"Accept-Encoding": "gzip, deflate, br"})
	if w.Code != 200 || w.Header().Get("Content-Encoding") != "gzip" || w.Header().Get("Content-Type") != "application/wasm" || w.Header().Get("Vary") != "Accept-Encoding" {
		t.Fatalf("gzip taken: %d, %v", w.Code, w.Header())
	}
	if cl, ar := w.Header().Get("Content-Length"), w.Header().Get("Accept-Ranges"); cl != fmt.Sprint(w.Body.Len()) || ar != "none" {
		t.Errorf("gzipped: Content-Length %q for %d bytes, Accept-Ranges %q; want the length and none", cl, w.Body.Len(), ar)
	}
	if w.Body.Len()*3 > len(plain) {
		t.Errorf("the engine gzipped is %d of its %d bytes; want under a third", w.Body.Len(), len(plain))
	}
	z, err := gzip.NewReader(w.Body)
	if err != nil {
		t.Fatal(err)
	}
	if unzipped, err := io.ReadAll(z); err != nil || !bytes.Equal(unzipped, plain) {
		t.Errorf("the gzipped engine unzips to %d bytes (%v); want the file's %d", len(unzipped), err, len(plain))
	}
	for _, header := range []map[string]string{nil, {"Accept-Encoding": "gzip", "Range": "bytes=0-99"}, {"Accept-Encoding": "gzip;q=0, br"}} {
		w := get(h, "/wiggle.wasm", header)
		if w.Header().Get("Content-Encoding") != "" || w.Header().Get("Vary") != "Accept-Encoding" || !bytes.HasPrefix(plain, w.Body.Bytes()) || w.Body.Len() == 0 {
			t.Errorf("%v: Content-Encoding %q, Vary %q, %d bytes; want the file as it is", header, w.Header().Get("Content-Encoding"), w.Header().Get("Vary"), w.Body.Len())
		}
	}
}

// TestFilesCarryETags: each file, and the gzipped engine, has a strong
// ETag of its own, asked again with If-None-Match gets 304 and no body;
// the page may be framed by no one; a path that is not UTF-8 is 404, not
// the 500 the file system's "invalid argument" made.
func TestFilesCarryETags(t *testing.T) {
	h := Handler(AllowedHosts("127.0.0.1:8080"))
	seen := map[string]string{}
	for _, c := range []struct{ path, encoding string }{{"/", ""}, {"/app.js", ""}, {"/wiggle.wasm", ""}, {"/wiggle.wasm", "gzip"}} {
		w := get(h, c.path, map[string]string{"Accept-Encoding": c.encoding})
		tag := w.Header().Get("ETag")
		if w.Code != 200 || len(tag) < 10 || tag[0] != '"' || w.Header().Get("Cache-Control") != "no-cache" {
			t.Errorf("%s (%q): %d, ETag %q, Cache-Control %q", c.path, c.encoding, w.Code, tag, w.Header().Get("Cache-Control"))
			continue
		}
		if other, dup := seen[tag]; dup {
			t.Errorf("%s (%q) has the ETag of %s", c.path, c.encoding, other)
		}
		seen[tag] = c.path + " " + c.encoding
		again := get(h, c.path, map[string]string{"Accept-Encoding": c.encoding, "If-None-Match": tag})
		if again.Code != http.StatusNotModified || again.Body.Len() != 0 {
			t.Errorf("%s (%q) asked again with its ETag: %d, %d bytes; want 304 and none", c.path, c.encoding, again.Code, again.Body.Len())
		}
	}
	w := get(h, "/", nil)
	if w.Header().Get("X-Frame-Options") != "DENY" || !bytes.Contains([]byte(w.Header().Get("Content-Security-Policy")), []byte("frame-ancestors 'none'")) {
		t.Errorf("framing: X-Frame-Options %q, CSP %q", w.Header().Get("X-Frame-Options"), w.Header().Get("Content-Security-Policy"))
	}
	site := newSiteFiles()
	for i := range 100 {
		site.etag(fmt.Sprintf("nope-%d.html", i))
	}
	kept := 0
	site.tags.Range(func(any, any) bool { kept++; return true })
	if kept != 0 {
		t.Errorf("100 requests for files that are none left %d ETags kept; want none (the map is the site's size)", kept)
	}
	r := httptest.NewRequest("GET", "/x", nil)
	r.URL.Path, r.Host = "/\xc0\xae\xc0\xae/etc/passwd", "localhost:8080"
	w = httptest.NewRecorder()
	h.ServeHTTP(w, r)
	if w.Code != 404 {
		t.Errorf("a path that is not UTF-8: %d; want 404", w.Code)
	}
}

// deadlineWriter is a ResponseWriter that keeps the write deadlines
// http.ResponseController sets on it, and when each write came.
type deadlineWriter struct {
	httptest.ResponseRecorder
	deadlines, writes []time.Time
}

func (d *deadlineWriter) SetWriteDeadline(t time.Time) error {
	d.deadlines = append(d.deadlines, t)
	return nil
}

func (d *deadlineWriter) Write(p []byte) (int, error) {
	d.writes = append(d.writes, time.Now())
	return d.ResponseRecorder.Write(p)
}

// TestStallTimeoutMovesTheDeadline: each write of a response moves its
// write deadline to the timeout past the moment it starts, so that a
// response as long as a slow client needs goes on while the client
// reads, where one fixed deadline cut the engine off at 56 KB/s, and a
// write that waits on a client that stopped fails at the timeout.
func TestStallTimeoutMovesTheDeadline(t *testing.T) {
	const d = time.Second
	h := stallTimeout(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		for range 3 {
			w.Write([]byte("chunk"))
			time.Sleep(20 * time.Millisecond)
		}
	}), d)
	w := &deadlineWriter{ResponseRecorder: *httptest.NewRecorder()}
	h.ServeHTTP(w, httptest.NewRequest("GET", "/", nil))
	if len(w.deadlines) != 4 || len(w.writes) != 3 { // one as the response starts, one a write
		t.Fatalf("%d deadlines for %d writes; want one at the start and one a write", len(w.deadlines), len(w.writes))
	}
	for i, at := range w.writes {
		if dl := w.deadlines[i+1]; dl.Before(at.Add(d-10*time.Millisecond)) || dl.After(at.Add(d+10*time.Millisecond)) {
			t.Errorf("write %d at %v: deadline %v; want %v past it", i, at.Format(time.StampMicro), dl.Format(time.StampMicro), d)
		}
	}
}

// TestEngineWrittenInChunksTheDeadlineFollows: the engine, plain (the
// file server's path) and gzipped (the site's own), goes out in writes of
// at most 32 KB, each moving the deadline: a client that reads a chunk in
// time is never cut off.
func TestEngineWrittenInChunksTheDeadlineFollows(t *testing.T) {
	h := stallTimeout(Handler(AllowedHosts("127.0.0.1:8080")), time.Second)
	for _, encoding := range []string{"", "gzip"} {
		w := &deadlineWriter{ResponseRecorder: *httptest.NewRecorder()}
		r := httptest.NewRequest("GET", "/wiggle.wasm", nil)
		r.Host, w.ResponseRecorder.Body = "localhost:8080", new(bytes.Buffer)
		r.Header.Set("Accept-Encoding", encoding)
		h.ServeHTTP(w, r)
		if w.Body.Len() < 1<<20 || len(w.writes) < w.Body.Len()/(32<<10) || len(w.deadlines) != len(w.writes)+1 {
			t.Errorf("%q: %d bytes in %d writes, %d deadlines; want writes of at most 32 KB, a deadline before each", encoding, w.Body.Len(), len(w.writes), len(w.deadlines))
		}
	}
}
