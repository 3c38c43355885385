package kernels

// AllFinite reports whether every x[i] is finite: neither ±Inf nor NaN.
// It reads x once, as fast as memory gives it (the largest magnitude's
// bits, compared once with +Inf's). Safe for concurrent use.
func AllFinite(x []float32) bool {
	done, ok := allFiniteFast(x)
	return ok && allFiniteGo(x[done:])
}

// allFiniteGo is AllFinite in plain Go, the reference of the assembly.
func allFiniteGo(x []float32) bool {
	for _, v := range x {
		if v-v != 0 { // NaN for ±Inf and NaN
			return false
		}
	}
	return true
}
