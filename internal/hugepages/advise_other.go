//go:build !linux

package hugepages

// advise does nothing: only Linux is asked for huge pages.
func advise([]float32) {}

// thp reports no huge pages: no kernel here is asked for them.
func thp() int { return 0 }
