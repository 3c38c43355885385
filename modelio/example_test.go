package modelio_test

import (
	"context"
	"fmt"
	"log"
	"math/rand/v2"
	"os"
	"path/filepath"

	"github.com/wigglenn/wiggle/act"
	"github.com/wigglenn/wiggle/data"
	"github.com/wigglenn/wiggle/loss"
	"github.com/wigglenn/wiggle/modelio"
	"github.com/wigglenn/wiggle/nn"
	"github.com/wigglenn/wiggle/optim"
	"github.com/wigglenn/wiggle/train"
)

// Build a network, train it, save it, and load it back from the file alone.
func Example() {
	rng := rand.New(rand.NewPCG(1, 0))
	ds := data.Spiral(50, 3, 0.2, rng)
	net := nn.NewMLP(2, []int{32}, 3, act.MustNew("relu"), rng)
	tr := &train.Trainer{Net: net, Loss: loss.Softmax{}, Opt: &optim.SGD{LR: 0.1, Momentum: 0.9}, Batch: 16, Shuffle: true, Rng: rng}
	for range 100 {
		if _, _, err := tr.Epoch(context.Background(), ds); err != nil {
			log.Fatal(err)
		}
	}

	dir, _ := os.MkdirTemp("", "wiggle")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "spiral.safetensors")
	m := &modelio.Model{Net: net, Loss: "softmax", Target: "label", Features: ds.Features, Classes: []string{"0", "1", "2"}}
	if err := modelio.Save(path, m); err != nil {
		panic(err)
	}

	back, err := modelio.Load(path)
	if err != nil {
		panic(err)
	}
	_, acc, err := train.Evaluate(back.Net, loss.Softmax{}, ds)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(back.Net.Size())
	fmt.Println("accuracy above 90%:", acc > 0.9)
	// Output:
	// 2-32-3: 35 neurons, 195 parameters
	// accuracy above 90%: true
}
