package train

import (
	"context"
	"errors"
	"math/rand/v2"
	"testing"

	"github.com/wigglenn/wiggle/act"
	"github.com/wigglenn/wiggle/data/mnist"
	"github.com/wigglenn/wiggle/loss"
	"github.com/wigglenn/wiggle/nn"
	"github.com/wigglenn/wiggle/optim"
)

// TestMNISTQuick is the quick form of the MNIST acceptance run: 10,000
// training images, one epoch of momentum SGD, judged on 2,000 test images.
// (The full run, `wiggle train --data mnist --hidden 256,256 ... --epochs 1`,
// reaches 95%.)
func TestMNISTQuick(t *testing.T) {
	if testing.Short() {
		t.Skip("needs MNIST through the Go module proxy")
	}
	trainAll, testAll, err := mnist.Load(context.Background(), nil)
	if errors.Is(err, mnist.ErrNotFetched) {
		t.Skipf("needs MNIST through the Go module proxy, which cannot be reached here: %v", err)
	}
	if err != nil {
		t.Fatal(err)
	}
	trainSet, testSet := trainAll.Rows(span(10000)), testAll.Rows(span(2000))
	rng := rand.New(rand.NewPCG(1, 0))
	net := nn.NewMLP(784, []int{64}, 10, act.MustNew("relu"), rng)
	res, err := Fit(context.Background(), net, loss.Softmax{}, trainSet, nil, Config{Epochs: 1, Batch: 64, Shuffle: true, Seed: 1,
		Optimizer: optim.Config{Name: "momentum", LR: 0.1, Momentum: 0.9}})
	if err != nil {
		t.Fatal(err)
	}
	_, acc, err := Evaluate(net, loss.Softmax{}, testSet)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("test accuracy %.4f, %.0f samples/s", acc, res.SamplesPerSecond)
	if acc < 0.88 {
		t.Errorf("test accuracy %.3f after one epoch on 10,000 images; want at least 0.88", acc)
	}
	if res.SamplesPerSecond <= 0 {
		t.Errorf("samples per second %v", res.SamplesPerSecond)
	}
}

func span(n int) []int {
	s := make([]int, n)
	for i := range s {
		s[i] = i
	}
	return s
}
