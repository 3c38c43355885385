//go:build !linux

package hugepages

// advise does nothing: only Linux is asked for 2 MiB pages.
func advise([]float32) {}

// onRequest reports false: no kernel here is asked.
var onRequest = func() bool { return false }
