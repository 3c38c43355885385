package main

import "errors"

// machineFailure reports whether err comes from the machine rather than
// from what the user gave: a disk that is full, a quota reached, a device
// that fails to read or write. Such an error exits 1, however deep in a
// command it arose (the lab's plots, MNIST's copy into the cache), where
// an error of no known kind exits 2, as bad input does.
func machineFailure(err error) bool {
	for _, code := range machineErrors {
		if errors.Is(err, code) {
			return true
		}
	}
	return false
}
