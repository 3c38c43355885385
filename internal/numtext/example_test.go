package numtext_test

import (
	"fmt"

	"github.com/wigglenn/wiggle/internal/numtext"
)

func ExampleHint() {
	for _, cell := range []string{"2.5", "0x10", "1_000"} {
		if h := numtext.Hint(cell); h != "" {
			fmt.Printf("%s is not a decimal number (%s)\n", cell, h)
			continue
		}
		fmt.Printf("%s reads\n", cell)
	}
	// Output:
	// 2.5 reads
	// 0x10 is not a decimal number (hexadecimal: write 16)
	// 1_000 is not a decimal number (digits separated by '_': write 1000)
}
