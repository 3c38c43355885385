package train_test

import (
	"fmt"
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
		tr.Epoch(ds)
	}
	_, acc := train.Evaluate(net, loss.Softmax{}, ds)
	fmt.Println("training accuracy above 90%:", acc > 0.9)
	// Output: training accuracy above 90%: true
}
