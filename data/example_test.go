package data_test

import (
	"fmt"
	"math/rand/v2"
	"os"

	"github.com/wigglenn/wiggle/data"
)

func ExampleGenerate() {
	ds, err := data.Generate(data.SyntheticSpec{Name: "spiral", N: 100, Classes: 3, Noise: 0.2}, rand.New(rand.NewPCG(1, 0)))
	if err != nil {
		panic(err)
	}
	fmt.Println(ds.Len(), "points,", ds.X.Cols, "features,", ds.Classes, "classes")
	// Output: 300 points, 2 features, 3 classes
}

func ExampleWriteCSV() {
	ds, _ := data.Generate(data.SyntheticSpec{Name: "xor", N: 2, Noise: 0}, rand.New(rand.NewPCG(1, 0)))
	data.WriteCSV(os.Stdout, ds)
	// Output:
	// x0,x1,label
	// -0.31458086,-0.55082923,0
	// -0.6153188,0.20385484,1
	// -0.20640425,-0.5398403,0
	// -0.23451023,0.7158063,1
}

// A caller's rows (a request's, say) become a dataset to train on, or an
// error that says what is wrong with them.
func ExampleFromRows() {
	ds, err := data.FromRows([][]float32{{0.1, 0.2}, {0.9, 0.8}}, []int{0, 1}, 2)
	if err != nil {
		panic(err)
	}
	fmt.Println(ds.Len(), "rows of", ds.X.Cols, "features,", ds.Classes, "classes")
	_, err = data.FromRows([][]float32{{0.1, 0.2}, {0.9}}, []int{0, 1}, 2)
	fmt.Println(err)
	// Output:
	// 2 rows of 2 features, 2 classes
	// row 1 has 1 values, row 0 has 2; want rows of one length
}
