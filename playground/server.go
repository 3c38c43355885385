package playground

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"path"
	"strings"
	"time"
	"unicode/utf8"
)

// MaxBody is the largest request body the server reads; a larger one gets
// 413. The playground's requests have none.
const MaxBody = 64 << 10

// Handler serves Files to requests whose Host is one of allowedHosts (the
// listening address and localhost; see AllowedHosts), GET and HEAD only.
// Each file carries an ETag of its content, to be asked again with
// If-None-Match (Cache-Control: no-cache: a browser asks each time, and
// an unchanged file costs a 304); the engine, 6 MB, goes gzipped (under
// 2 MB) to a browser that takes gzip. The page may be framed by no other.
func Handler(allowedHosts []string) http.Handler {
	files := http.FileServerFS(Files())
	site := newSiteFiles()
	allowed := map[string]bool{}
	anyIP := "" // the port, when listening on every interface: any IP address of this machine may be asked for
	for _, h := range allowedHosts {
		allowed[strings.ToLower(h)] = true
		if host, port, err := net.SplitHostPort(h); err == nil {
			if ip := net.ParseIP(host); ip != nil && ip.IsUnspecified() {
				anyIP = port
			}
		}
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case !allowed[strings.ToLower(r.Host)] && !(anyIP != "" && isIPHost(r.Host, anyIP)):
			http.Error(w, fmt.Sprintf("403 forbidden: host %q is not this server's address (%s)", r.Host, openAs(anyIP != "")), http.StatusForbidden)
			return
		case tooLarge(w, r):
			http.Error(w, fmt.Sprintf("413 request body too large: at most %d bytes", MaxBody), http.StatusRequestEntityTooLarge)
			return
		case r.Method != http.MethodGet && r.Method != http.MethodHead:
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, "405 method not allowed: the playground only serves its files", http.StatusMethodNotAllowed)
			return
		}
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'; img-src 'self' data: blob:; style-src 'self'; connect-src 'self' blob:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "no-referrer")
		if !utf8.ValidString(r.URL.Path) { // no file's name (the file system's Open says "invalid argument": a 500)
			http.NotFound(w, r)
			return
		}
		name := strings.TrimPrefix(path.Clean("/"+r.URL.Path), "/")
		if name == "" {
			name = "index.html"
		}
		if site.serveGzipped(w, r, name) {
			return
		}
		if tag, ok := site.etag(name); ok {
			h.Set("ETag", tag)
			h.Set("Cache-Control", "no-cache")
		}
		files.ServeHTTP(w, r)
	})
}

// openAs says what a 403's Host should have been: localhost or the
// listening address, or, listening on every interface (anyIP), any of
// this machine's IP addresses, as names are refused.
func openAs(anyIP bool) string {
	if anyIP {
		return "open it as localhost or by one of this machine's IP addresses; a name is refused, as DNS rebinding could point one anywhere"
	}
	return "open it as localhost or by the address it listens on"
}

// isIPHost reports whether a Host header is an IP address (not a name, which
// DNS rebinding could point anywhere) with the given port.
func isIPHost(host, port string) bool {
	h, p, err := net.SplitHostPort(host)
	return err == nil && p == port && net.ParseIP(h) != nil
}

// tooLarge reads the body up to MaxBody and reports whether there is more.
func tooLarge(w http.ResponseWriter, r *http.Request) bool {
	if r.ContentLength > MaxBody {
		return true
	}
	n, err := io.Copy(io.Discard, http.MaxBytesReader(w, r.Body, MaxBody))
	var maxErr *http.MaxBytesError
	return errors.As(err, &maxErr) || n > MaxBody
}

// AllowedHosts are the Host headers a server listening on addr (host:port,
// as net.Listener.Addr gives it) accepts: that address, and localhost,
// 127.0.0.1 and [::1] with its port. (Listening on every interface, 0.0.0.0
// or [::], Handler also takes any IP address with the port.)
func AllowedHosts(addr string) []string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return []string{addr}
	}
	hosts := []string{net.JoinHostPort(host, port), "localhost:" + port, "127.0.0.1:" + port, "[::1]:" + port}
	if port == "80" {
		hosts = append(hosts, host, "localhost", "127.0.0.1", "[::1]")
	}
	return hosts
}

// Server is the playground's HTTP server with its timeouts. The zero
// timeouts take the defaults below.
type Server struct {
	ReadHeaderTimeout time.Duration // 5 s: a client that sends its headers slower is cut off
	ReadTimeout       time.Duration // 10 s
	// WriteTimeout is the longest a response may wait on its client
	// between two chunks (32 KB) of it, 30 s: a client that keeps reading
	// gets the whole engine however slowly (a class on one Wi-Fi), one
	// that stops is cut off.
	WriteTimeout time.Duration
	IdleTimeout  time.Duration // 60 s
	// Hosts are further names requests may be addressed to, each as the
	// Host header reads it (NAME, or NAME:PORT: matched whole): a reverse
	// proxy's public name, which it passes on. AllowedHosts' own are
	// always taken.
	Hosts []string
}

// Serve answers on l until ctx is done, then shuts down, giving requests in
// flight a few seconds.
func (s Server) Serve(ctx context.Context, l net.Listener) error {
	or := func(d, def time.Duration) time.Duration {
		if d > 0 {
			return d
		}
		return def
	}
	srv := &http.Server{
		Handler:           stallTimeout(Handler(append(AllowedHosts(l.Addr().String()), s.Hosts...)), or(s.WriteTimeout, 30*time.Second)),
		ReadHeaderTimeout: or(s.ReadHeaderTimeout, 5*time.Second),
		ReadTimeout:       or(s.ReadTimeout, 10*time.Second),
		IdleTimeout:       or(s.IdleTimeout, 60*time.Second),
		MaxHeaderBytes:    16 << 10,
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(l) }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		shutdown, cancel := context.WithTimeout(context.Background(), 3*time.Second)
		defer cancel()
		srv.Shutdown(shutdown)
		<-done
		return nil
	}
}
