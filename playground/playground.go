// Package playground serves wiggle's browser playground: a page that trains
// a network on 2-D data while you watch, on wiggle's own packages compiled
// to WebAssembly (playground/wasm) and run in a Web Worker.
//
// Everything the page needs is embedded in the binary (Files): no CDN, no
// download, no Go toolchain at run time. Handler serves those files and
// nothing else, hardened for a tool that listens on a developer's machine:
// only GET and HEAD, request bodies capped (413 beyond), and a Host header
// that is neither the listening address nor localhost refused with 403, so
// a web page elsewhere cannot reach it through DNS rebinding. Server adds
// the timeouts that cut slow clients off. Export writes the same files for
// any static host.
//
// Concurrency: the handler and the file system are safe for concurrent use.
package playground

import (
	"embed"
	"io/fs"
)

//go:generate go run ./internal/buildwasm

//go:embed static
var static embed.FS

// Files is the site: index.html, its scripts and styles, the engine
// (wiggle.wasm) and Go's loader for it (wasm_exec.js).
func Files() fs.FS {
	sub, err := fs.Sub(static, "static")
	if err != nil {
		panic(err) // the embedded tree always has static/
	}
	return sub
}
