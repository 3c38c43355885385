package train_test

import (
	"context"
	"fmt"
	"log"
	"math/rand/v2"

	"github.com/wigglenn/wiggle/act"
	"github.com/wigglenn/wiggle/data"
	"github.com/wigglenn/wiggle/loss"
	"github.com/wigglenn/wiggle/nn"
	"github.com/wigglenn/wiggle/optim"
	"github.com/wigglenn/wiggle/train"
)

func ExampleTrainer() {
	rng := rand.New(rand.NewPCG(1, 0))
	ds := data.Spiral(100, 3, 0.2, rng)
	net := nn.NewMLP(2, []int{64}, 3, act.MustNew("relu"), rng)
	tr := &train.Trainer{Net: net, Opt: &optim.SGD{LR: 0.1, Momentum: 0.9}, Batch: 32, Shuffle: true, Rng: rng}
	for range 100 {
		if _, _, err := tr.Epoch(context.Background(), ds); err != nil {
			log.Fatal(err)
		}
	}
	_, acc, err := train.Evaluate(net, loss.Softmax{}, ds)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("training accuracy above 90%:", acc > 0.9)
	// Output: training accuracy above 90%: true
}
