package tensor_test

import (
	"fmt"

	"github.com/wigglenn/wiggle/tensor"
)

func ExampleFromRows() {
	batch := tensor.FromRows([][]float32{{1, 2, 3}, {4, 5, 6}})
	fmt.Println(batch.Rows, batch.Cols, batch.Row(1), batch.At(0, 2))
	// Output: 2 3 [4 5 6] 3
}
