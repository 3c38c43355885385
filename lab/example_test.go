package lab_test

import (
	"fmt"
	"math/rand/v2"

	"github.com/wigglenn/wiggle/data"
	"github.com/wigglenn/wiggle/lab"
)

func ExampleCompare() {
	ds := data.Spiral(100, 3, 0.2, rand.New(rand.NewPCG(1, 1)))
	cfg := lab.DefaultCompareConfig()
	cfg.Acts = []string{"identity", "relu"}
	cfg.Epochs = 50
	rows, err := lab.Compare(cfg, ds)
	if err != nil {
		panic(err)
	}
	for _, r := range rows {
		fmt.Printf("%s separates the spiral: %v\n", r.Act, r.Accuracy.Median > 0.9)
	}
	// Output:
	// identity separates the spiral: false
	// relu separates the spiral: true
}
