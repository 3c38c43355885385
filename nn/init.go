package nn

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
)

// InitSchemes are the weight initialisations Init knows. "default" is
// torch.nn.Linear's and wiggle's: weights and biases from
// U(−1/√fan_in, 1/√fan_in). The others draw weights as named and set biases
// to 0:
//
//	zeros           W = 0
//	cs231n          W ~ 0.01·N(0, 1)
//	xavier-uniform  W ~ U(±√(6/(fan_in+fan_out)))    (Glorot and Bengio)
//	xavier-normal   W ~ N(0, 2/(fan_in+fan_out))
//	he-uniform      W ~ U(±√(6/fan_in))               (He et al., for ReLU)
//	he-normal       W ~ N(0, 2/fan_in)
//	lecun-normal    W ~ N(0, 1/fan_in)                (for SELU)
var InitSchemes = []string{"default", "zeros", "cs231n", "xavier-uniform", "xavier-normal", "he-uniform", "he-normal", "lecun-normal"}

// Init fills every Dense and Maxout layer by scheme, in layer order, weights
// before biases, from rng. PReLU slopes are left as they are.
func Init(s *Sequential, scheme string, rng *rand.Rand) error {
	fill, ok := weightFills[scheme]
	switch {
	case !ok:
		return fmt.Errorf("unknown initialisation %q; want one of %s", scheme, strings.Join(InitSchemes, ", "))
	case s == nil:
		return fmt.Errorf("no network to initialise (nil)")
	case rng == nil && scheme != "zeros":
		return fmt.Errorf("initialisation %s: no random source (rng is nil)", scheme)
	}
	for _, l := range s.Layers {
		d := linearOf(l)
		if d == nil {
			continue
		}
		fill(d.W.Value, d.In, d.Out, rng)
		if scheme == "default" {
			fillUniform(d.B.Value, 1/math.Sqrt(float64(d.In)), rng)
		} else {
			clear(d.B.Value)
		}
	}
	return nil
}

// InitDefault is Init with the "default" scheme. It panics with Init's
// error, an error value, where Init would return one: a nil s or rng.
func InitDefault(s *Sequential, rng *rand.Rand) {
	if err := Init(s, "default", rng); err != nil {
		panic(err)
	}
}

// linearOf returns the linear map inside a layer, or nil.
func linearOf(l Layer) *Dense {
	switch l := l.(type) {
	case *Dense:
		return l
	case *Maxout:
		return l.Linear
	}
	return nil
}

type weightFill func(w []float32, fanIn, fanOut int, rng *rand.Rand)

var weightFills = map[string]weightFill{
	"default": func(w []float32, in, _ int, rng *rand.Rand) { fillUniform(w, 1/math.Sqrt(float64(in)), rng) },
	"zeros":   func(w []float32, _, _ int, _ *rand.Rand) { clear(w) },
	"cs231n":  func(w []float32, _, _ int, rng *rand.Rand) { fillNormal(w, 0.01, rng) },
	"xavier-uniform": func(w []float32, in, out int, rng *rand.Rand) {
		fillUniform(w, math.Sqrt(6/float64(in+out)), rng)
	},
	"xavier-normal": func(w []float32, in, out int, rng *rand.Rand) {
		fillNormal(w, math.Sqrt(2/float64(in+out)), rng)
	},
	"he-uniform":   func(w []float32, in, _ int, rng *rand.Rand) { fillUniform(w, math.Sqrt(6/float64(in)), rng) },
	"he-normal":    func(w []float32, in, _ int, rng *rand.Rand) { fillNormal(w, math.Sqrt(2/float64(in)), rng) },
	"lecun-normal": func(w []float32, in, _ int, rng *rand.Rand) { fillNormal(w, math.Sqrt(1/float64(in)), rng) },
}

func fillUniform(v []float32, bound float64, rng *rand.Rand) {
	for i := range v {
		v[i] = float32((2*rng.Float64() - 1) * bound)
	}
}

func fillNormal(v []float32, std float64, rng *rand.Rand) {
	for i := range v {
		v[i] = float32(rng.NormFloat64() * std)
	}
}
