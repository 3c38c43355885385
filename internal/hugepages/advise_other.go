//go:build !linux

package hugepages

// advise does nothing: only Linux is asked for 2 MiB pages.
func advise([]float32) {}
