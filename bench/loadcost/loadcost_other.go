//go:build !amd64

package main

import (
	"fmt"
	"os"
)

func main() {
	fmt.Fprintln(os.Stderr, "loadcost: it times AVX-512 loops, which need amd64")
	os.Exit(2)
}
