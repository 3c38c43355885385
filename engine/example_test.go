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

// A program reads what the helper thread did around a training to tell
// how much of it the engine shared. On one thread nothing is.
func ExampleReadHelperStats() {
	previous := engine.SetThreads(1)
	defer engine.SetThreads(previous)
	before := engine.ReadHelperStats()
	// ... train here (train.Fit, or a loop of Trainer.Step) ...
	after := engine.ReadHelperStats()
	fmt.Println("shared:", after.LoopsShared-before.LoopsShared, "alone:", after.LoopsAlone-before.LoopsAlone)
	// Output: shared: 0 alone: 0
}
