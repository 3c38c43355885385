package engine_test

import (
	"fmt"

	"github.com/wigglenn/wiggle/engine"
)

// A service that shares its cores with other work runs the engine on one
// thread, and puts the old setting back when it is done.
func Example() {
	previous := engine.SetThreads(1)
	defer engine.SetThreads(previous)
	fmt.Println(engine.Threads())
	// Output: 1
}
