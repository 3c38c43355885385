package quote_test

import (
	"fmt"
	"strings"

	"github.com/wigglenn/wiggle/internal/quote"
)

func ExampleShort() {
	fmt.Println(quote.Short("3.5x"))
	fmt.Println(quote.Short(strings.Repeat("9", 100)))
	// Output:
	// "3.5x"
	// "9999999999999999999999999999999999999999"… (100 bytes)
}
