package jsonfmt_test

import (
	"os"

	"github.com/wigglenn/wiggle/internal/jsonfmt"
)

func ExampleWrite() {
	confusion := struct {
		Classes   []string `json:"classes"`
		Confusion [][]int  `json:"confusion"`
	}{[]string{"cat", "dog"}, [][]int{{48, 2}, {5, 45}}}
	if err := jsonfmt.Write(os.Stdout, confusion); err != nil {
		panic(err)
	}
	// Output:
	// {
	//   "classes": ["cat", "dog"],
	//   "confusion": [
	//     [48, 2],
	//     [5, 45]
	//   ]
	// }
}
