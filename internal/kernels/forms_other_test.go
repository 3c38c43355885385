//go:build !amd64 || purego

package kernels

// eachPassForm runs f once: only the amd64 assembly has forms of two and
// of four vectors a pass.
func eachPassForm(f func(pass string)) { f("") }
