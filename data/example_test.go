package data_test

import (
	"fmt"
	"math/rand/v2"

	"github.com/wigglenn/wiggle/data"
)

func ExampleSpiral() {
	ds := data.Spiral(100, 3, 0.2, rand.New(rand.NewPCG(1, 0)))
	fmt.Println(ds.Len(), "points,", ds.X.Cols, "features,", ds.Classes, "classes")
	// Output: 300 points, 2 features, 3 classes
}
