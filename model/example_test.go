package model_test

import (
	"fmt"
	"log"

	"github.com/wigglenn/wiggle/model"
)

// Load a model that `wiggle train` saved and ask it about two points.
func Example() {
	m, err := model.Load("testdata/blobs.safetensors")
	if err != nil {
		log.Fatal(err)
	}
	labels, err := m.Classify([][]float32{{2, 0}, {-1, 1.5}, {-1, -2}})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(m.Features(), m.Classes(), labels)
	// Output: [x0 x1] [0 1 2] [0 1 2]
}
