package nilio_test

import (
	"errors"
	"fmt"

	"github.com/wigglenn/wiggle/internal/nilio"
)

// A package wraps the error with where it was given; errors.Is finds it.
func Example() {
	err := fmt.Errorf("mnist.csv: %w", nilio.ErrNoReader)
	fmt.Println(err, errors.Is(err, nilio.ErrNoReader))
	// Output: mnist.csv: no reader (a nil io.Reader) true
}
