package utf16text_test

import (
	"fmt"
	"io"
	"strings"

	"github.com/wigglenn/wiggle/internal/utf16text"
)

func ExampleNewReader() {
	saved := "\xff\xfe1\x00,\x00\xe9\x00\n\x00" // "1,é\n" as Windows PowerShell 5's > saves it
	text, err := io.ReadAll(utf16text.NewReader(strings.NewReader(saved)))
	fmt.Printf("%q %v\n", text, err)
	// Output: "1,é\n" <nil>
}
