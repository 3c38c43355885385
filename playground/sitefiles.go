package playground

// What the server adds to the site's files: each one's ETag, the engine
// gzipped, and a write deadline that moves on while the client reads.

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// engineFile is the site's largest file by far, the one worth gzipping.
const engineFile = "wiggle.wasm"

// siteFiles keeps, once worked out, each file's ETag and the engine
// gzipped. Safe for concurrent use.
type siteFiles struct {
	tags sync.Map // name → string, the site's files alone (a request for another is not kept: the map stays the site's size)

	gzipOnce sync.Once
	gzipped  []byte // the engine gzipped; nil where that failed
}

func newSiteFiles() *siteFiles { return &siteFiles{} }

// etag is name's ETag, a strong one from its content's SHA-256, and
// whether the site has such a file.
func (s *siteFiles) etag(name string) (string, bool) {
	if tag, ok := s.tags.Load(name); ok {
		return tag.(string), true
	}
	content, err := fs.ReadFile(Files(), name)
	if err != nil {
		return "", false
	}
	sum := sha256.Sum256(content)
	tag := `"` + hex.EncodeToString(sum[:12]) + `"`
	s.tags.Store(name, tag)
	return tag, true
}

// serveGzipped answers a request for the engine gzipped, where the
// client takes gzip and asks for no range of it (a range of the gzipped
// bytes would be none of the file's), and reports whether it did. A
// request for the engine that it leaves is told that the answer varies
// with Accept-Encoding.
func (s *siteFiles) serveGzipped(w http.ResponseWriter, r *http.Request, name string) bool {
	if name != engineFile {
		return false
	}
	w.Header().Add("Vary", "Accept-Encoding")
	if !takesGzip(r) || r.Header.Get("Range") != "" {
		return false
	}
	s.gzipOnce.Do(func() { s.gzipped = gzipFile(engineFile) })
	tag, ok := s.etag(name)
	if s.gzipped == nil || !ok {
		return false
	}
	tag = strings.TrimSuffix(tag, `"`) + `-gzip"` // another representation, another tag
	h := w.Header()
	h.Set("ETag", tag)
	h.Set("Cache-Control", "no-cache")
	h.Set("Accept-Ranges", "none") // a range of the gzipped bytes is none of the file's: ranges go plain
	if matchesTag(r.Header.Get("If-None-Match"), tag) {
		w.WriteHeader(http.StatusNotModified)
		return true
	}
	h.Set("Content-Encoding", "gzip")
	h.Set("Content-Type", "application/wasm")
	h.Set("Content-Length", strconv.Itoa(len(s.gzipped)))
	w.WriteHeader(http.StatusOK)
	if r.Method == http.MethodHead {
		return true
	}
	for rest := s.gzipped; len(rest) > 0; { // in chunks, each moving the write deadline on (stallTimeout)
		n := min(len(rest), 32<<10)
		if _, err := w.Write(rest[:n]); err != nil {
			break
		}
		rest = rest[n:]
	}
	return true
}

// matchesTag reports whether an If-None-Match header names tag (or is *).
func matchesTag(header, tag string) bool {
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
		if t == tag || t == "*" {
			return true
		}
	}
	return false
}

// takesGzip reports whether r's Accept-Encoding lists gzip, not refused
// with q=0.
func takesGzip(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		coding, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.EqualFold(strings.TrimSpace(coding), "gzip") {
			q := strings.ReplaceAll(strings.TrimSpace(params), " ", "")
			return q != "q=0" && q != "q=0.0" && q != "q=0.00" && q != "q=0.000"
		}
	}
	return false
}

// gzipFile is the site's file gzipped, nil where it cannot be read.
func gzipFile(name string) []byte {
	content, err := fs.ReadFile(Files(), name)
	if err != nil {
		return nil
	}
	var buf bytes.Buffer
	z, _ := gzip.NewWriterLevel(&buf, gzip.BestSpeed+5) // level 6, the usual: a third of a second once, the engine to 28%
	if _, err := z.Write(content); err != nil || z.Close() != nil {
		return nil
	}
	return buf.Bytes()
}

// stallTimeout is h whose responses may wait on their client at most d
// between two writes: the deadline moves on with each chunk written, so
// that a slow client that keeps reading gets the whole engine, where a
// fixed deadline cut one at 56 KB/s off (6 MB in 60 s), and one that
// stops reading is cut off after d.
func stallTimeout(h http.Handler, d time.Duration) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rc := http.NewResponseController(w)
		rc.SetWriteDeadline(time.Now().Add(d))
		h.ServeHTTP(&stallWriter{ResponseWriter: w, rc: rc, d: d}, r)
	})
}

// stallWriter moves its connection's write deadline on before each
// write.
type stallWriter struct {
	http.ResponseWriter
	rc *http.ResponseController
	d  time.Duration
}

func (s *stallWriter) Write(p []byte) (int, error) {
	s.rc.SetWriteDeadline(time.Now().Add(s.d))
	return s.ResponseWriter.Write(p)
}

// Unwrap gives http.ResponseController the writer beneath.
func (s *stallWriter) Unwrap() http.ResponseWriter { return s.ResponseWriter }
