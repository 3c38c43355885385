//go:build !linux

package hugepages

// advise does nothing: only Linux is asked for huge pages.
func advise([]float32) {}
