package utf8prefix_test

import (
	"fmt"

	"github.com/wigglenn/wiggle/internal/utf8prefix"
)

func ExampleCut() {
	head := []byte("prix,€\n")[:6] // "€" cut after its first byte
	text, ok := utf8prefix.Cut(head)
	_, latin1 := utf8prefix.Cut([]byte("caf\xe9 au lait\n"))
	fmt.Printf("%q %v %v\n", text, ok, latin1)
	// Output: "prix," true false
}
