package data

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"

	"github.com/wigglenn/wiggle/tensor"
)

// SyntheticSpec describes a generated set: N points per class (N in all for
// the regression sets: sine, plane, gaussians; 0 takes the set's default,
// 100, or 300 for plane and gaussians, which spread theirs over a square), Classes classes where the set allows a choice (0 takes
// the set's default), and the noise's standard deviation (negative takes
// the set's default; 0 is none, unlike N's and Classes' zero).
type SyntheticSpec struct {
	Name    string
	N       int
	Classes int
	Noise   float64
}

// synthetic is one generator of the catalogue.
type synthetic struct {
	name, about  string
	classes      int  // the default number of classes (0: regression)
	fixedClasses bool // the set has exactly that many
	noise        float64
	points       int // the default N
	gen          func(s SyntheticSpec, rng *rand.Rand) *Dataset
}

var synthetics = []synthetic{
	{"spiral", "CS231n's spiral arms, one per class", 3, false, 0.2, 100, genSpiral},
	{"xor", "the four quadrants, opposite ones alike", 2, true, 0.1, 100, genXOR},
	{"circles", "concentric rings, one per class", 2, false, 0.1, 100, genCircles},
	{"moons", "two interleaved half-moons", 2, true, 0.1, 100, genMoons},
	{"blobs", "Gaussian blobs on a circle, one per class", 3, false, 0.5, 100, genBlobs},
	{"linear", "two classes a straight line separates, with a margin", 2, true, 0, 100, genLinear},
	{"sine", "1-D regression: y = sin(x) + noise on [-pi, pi]", 0, true, 0.1, 100, genSine},
	{"plane", "2-D regression: value = (x0 + x1)/2 + noise on [-1, 1]²", 0, true, 0.05, 300, genSurface(planeAt)},
	{"gaussians", "2-D regression: six Gaussian bumps of alternating sign on [-1, 1]²", 0, true, 0.05, 300, genSurface(bumpsAt)},
}

// SyntheticNames lists the generated sets.
func SyntheticNames() []string {
	names := make([]string, len(synthetics))
	for i, s := range synthetics {
		names[i] = s.name
	}
	return names
}

// SyntheticAbout describes each generated set in a line.
func SyntheticAbout() string {
	var b strings.Builder
	for _, s := range synthetics {
		fmt.Fprintf(&b, "  %-9s %s\n", s.name, s.about)
	}
	return b.String()
}

func findSynthetic(name string) (synthetic, bool) {
	for _, s := range synthetics {
		if s.name == name {
			return s, true
		}
	}
	return synthetic{}, false
}

// Generate makes the set s describes from rng. Its columns are x0, x1, ...
// and label (y for sine, value for plane and gaussians). The same spec and seed give the same set. The
// spiral's rows come arm after arm, a class at a time: shuffle them
// (Dataset.Rows) before a SplitTail, which would hold out the last
// classes alone. The other sets' rows alternate their classes.
func Generate(s SyntheticSpec, rng *rand.Rand) (*Dataset, error) {
	s, err := s.Resolve()
	if err != nil {
		return nil, err
	}
	if rng == nil {
		return nil, fmt.Errorf("%s: no random source (rng is nil)", s.Name)
	}
	g, _ := findSynthetic(s.Name)
	return g.gen(s, rng), nil
}

// maxPoints bounds a generated set: 10,000,000 points. maxNoise bounds its
// noise, far above any use (the sets lie within a few units of 0) and far
// below float32's overflow.
const (
	maxPoints = 10_000_000
	maxNoise  = 1e6
)

// Resolve returns s with the set's defaults in place of a zero N, a zero
// Classes and a negative Noise, or the error Generate would give.
func (s SyntheticSpec) Resolve() (SyntheticSpec, error) {
	g, ok := findSynthetic(s.Name)
	if !ok {
		return s, fmt.Errorf("unknown data set %q; the generated ones are %s", s.Name, strings.Join(SyntheticNames(), ", "))
	}
	if s.N == 0 {
		s.N = g.points
	}
	switch {
	case s.Classes == 0:
		s.Classes = g.classes
	case g.classes == 0 && s.Classes != 0:
		return s, specError("Classes", "%s is a regression set, without classes, not %d", s.Name, s.Classes)
	case g.fixedClasses && s.Classes != g.classes:
		return s, specError("Classes", "%s has %d classes, not %d", s.Name, g.classes, s.Classes)
	case s.Classes < 2 || s.Classes > 1000:
		return s, specError("Classes", "%s: %s; want 2 to 1000", s.Name, plural(s.Classes, "class", "classes"))
	}
	if most := maxPoints / max(s.Classes, 1); s.N < 1 || s.N > most {
		if s.Classes > 0 {
			return s, specError("N", "%s: %d points for each of %d classes; want 1 to %s a class (%s points in all at most)", s.Name, s.N, s.Classes, grouped(most), grouped(maxPoints))
		}
		return s, specError("N", "%s: %d points; want 1 to %s", s.Name, s.N, grouped(maxPoints))
	}
	if s.Noise < 0 {
		s.Noise = g.noise
	}
	switch {
	case g.noise == 0 && s.Noise != 0:
		return s, specError("Noise", "%s: noise %g; it takes none: it is separable by construction", s.Name, s.Noise)
	case !(s.Noise <= maxNoise): // NaN too
		return s, specError("Noise", "%s: noise %g; want a number from 0 to 1,000,000", s.Name, s.Noise)
	}
	return s, nil
}

// plural is n and the noun in its number: "1 class", "3 classes".
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// grouped writes n ≥ 0 with its thousands apart: 3333333 as "3,333,333".
func grouped(n int) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// SpecError is a field of a SyntheticSpec that cannot be generated, and why
// (Msg); its Error adds the value that gives the set's own.
type SpecError struct {
	Field string // "N", "Classes" or "Noise"
	Msg   string
}

func (e *SpecError) Error() string {
	if e.Field == "Noise" {
		return e.Msg + "; a negative Noise gives the set's own"
	}
	return e.Msg + "; " + e.Field + " 0 gives the set's own"
}

func specError(field, format string, args ...any) error {
	return &SpecError{Field: field, Msg: fmt.Sprintf(format, args...)}
}

// newClassSet allocates n points of dims features for each of k classes.
func newClassSet(n, k, dims int) *Dataset {
	d := &Dataset{X: tensor.New(n*k, dims), Labels: make([]int, n*k), Classes: k, Target: "label"}
	for j := range dims {
		d.Features = append(d.Features, fmt.Sprintf("x%d", j))
	}
	for c := range k {
		d.ClassNames = append(d.ClassNames, fmt.Sprint(c))
	}
	return d
}

// put sets row i to the point (a, b) of class c.
func (d *Dataset) put(i, c int, a, b float64) {
	row := d.X.Row(i)
	row[0], row[1] = float32(a), float32(b)
	d.Labels[i] = c
}

// genSpiral: arm c along radius r ∈ [0, 1] at angle 4c + 4r plus noise.
// Rows come arm by arm.
func genSpiral(s SyntheticSpec, rng *rand.Rand) *Dataset {
	d := newClassSet(s.N, s.Classes, 2)
	for c := range s.Classes {
		for i := range s.N {
			r := linspace(0, 1, s.N, i)
			t := linspace(float64(4*c), float64(4*(c+1)), s.N, i) + rng.NormFloat64()*s.Noise
			d.put(c*s.N+i, c, r*math.Sin(t), r*math.Cos(t))
		}
	}
	return d
}

// Spiral is the spiral of n points per class with the given noise, in
// class order: Generate of the spiral, whose defaults a zero n or classes
// and a negative noise take. It panics with Generate's error, wrapped (a
// *SpecError for errors.As), where n, classes or noise is one Generate
// refuses.
func Spiral(n, classes int, noise float64, rng *rand.Rand) *Dataset {
	ds, err := Generate(SyntheticSpec{Name: "spiral", N: n, Classes: classes, Noise: noise}, rng)
	if err != nil {
		panic(fmt.Errorf("data: Spiral: %w", err))
	}
	return ds
}

// genXOR: points in the quadrants; class 1 where x0·x1 < 0.
func genXOR(s SyntheticSpec, rng *rand.Rand) *Dataset {
	d := newClassSet(s.N, 2, 2)
	for i := range 2 * s.N {
		c := i % 2
		a, b := 0.1+0.9*rng.Float64(), 0.1+0.9*rng.Float64()
		if rng.IntN(2) == 0 {
			a = -a
		}
		if (c == 0) != (a > 0) {
			b = -b
		}
		d.put(i, c, a+s.Noise*rng.NormFloat64(), b+s.Noise*rng.NormFloat64())
	}
	return d
}

// genCircles: class c on the ring of radius (c+1)/classes.
func genCircles(s SyntheticSpec, rng *rand.Rand) *Dataset {
	d := newClassSet(s.N, s.Classes, 2)
	for i := range s.N * s.Classes {
		c := i % s.Classes
		r, t := float64(c+1)/float64(s.Classes), 2*math.Pi*rng.Float64()
		d.put(i, c, r*math.Cos(t)+s.Noise*rng.NormFloat64(), r*math.Sin(t)+s.Noise*rng.NormFloat64())
	}
	return d
}

// genMoons: an upper half circle and a lower one shifted into its gap.
func genMoons(s SyntheticSpec, rng *rand.Rand) *Dataset {
	d := newClassSet(s.N, 2, 2)
	for i := range 2 * s.N {
		c, t := i%2, math.Pi*rng.Float64()
		a, b := math.Cos(t), math.Sin(t)
		if c == 1 {
			a, b = 1-a, 0.5-b
		}
		d.put(i, c, a+s.Noise*rng.NormFloat64(), b+s.Noise*rng.NormFloat64())
	}
	return d
}

// genBlobs: class c around the point at angle 2πc/classes on a circle of
// radius 2, with standard deviation noise.
func genBlobs(s SyntheticSpec, rng *rand.Rand) *Dataset {
	d := newClassSet(s.N, s.Classes, 2)
	for i := range s.N * s.Classes {
		c := i % s.Classes
		t := 2 * math.Pi * float64(c) / float64(s.Classes)
		d.put(i, c, 2*math.Cos(t)+s.Noise*rng.NormFloat64(), 2*math.Sin(t)+s.Noise*rng.NormFloat64())
	}
	return d
}

// genLinear: uniform points in [−1, 1]² on either side of a line through the
// origin at a random angle, none closer to it than 0.1.
func genLinear(s SyntheticSpec, rng *rand.Rand) *Dataset {
	d := newClassSet(s.N, 2, 2)
	t := 2 * math.Pi * rng.Float64()
	nx, ny := math.Cos(t), math.Sin(t)
	for i := 0; i < 2*s.N; {
		a, b := 2*rng.Float64()-1, 2*rng.Float64()-1
		side := a*nx + b*ny
		if c := i % 2; (c == 1 && side > 0.1) || (c == 0 && side < -0.1) {
			d.put(i, c, a, b)
			i++
		}
	}
	return d
}

// genSine: x uniform on [−π, π], y = sin(x) + noise·N(0, 1).
func genSine(s SyntheticSpec, rng *rand.Rand) *Dataset {
	d := &Dataset{X: tensor.New(s.N, 1), Values: tensor.New(s.N, 1), Features: []string{"x0"}, Target: "y"}
	for i := range s.N {
		x := math.Pi * (2*rng.Float64() - 1)
		d.X.Data[i] = float32(x)
		d.Values.Data[i] = float32(math.Sin(x) + s.Noise*rng.NormFloat64())
	}
	return d
}

// genSurface makes a 2-D regression set of a surface: (x0, x1) uniform
// on [−1, 1]², the value at them plus noise·N(0, 1).
func genSurface(value func(a, b float64) float64) func(SyntheticSpec, *rand.Rand) *Dataset {
	return func(s SyntheticSpec, rng *rand.Rand) *Dataset {
		d := &Dataset{X: tensor.New(s.N, 2), Values: tensor.New(s.N, 1), Features: []string{"x0", "x1"}, Target: "value"}
		for i := range s.N {
			a, b := 2*rng.Float64()-1, 2*rng.Float64()-1
			row := d.X.Row(i)
			row[0], row[1] = float32(a), float32(b)
			d.Values.Data[i] = float32(value(a, b) + s.Noise*rng.NormFloat64())
		}
		return d
	}
}

// planeAt is the plane set's value at (a, b) without noise: (a + b)/2, a
// plane, which one linear unit fits.
func planeAt(a, b float64) float64 { return (a + b) / 2 }

// bumps are the gaussians set's centres and signs: a 3×2 grid whose
// neighbours differ in sign; bumpWidth is each bump's standard
// deviation, so that neighbours (2/3 apart) overlap by under 3%.
var bumps = [6]struct{ x, y, sign float64 }{
	{-2.0 / 3, 0.5, 1}, {0, 0.5, -1}, {2.0 / 3, 0.5, 1},
	{-2.0 / 3, -0.5, -1}, {0, -0.5, 1}, {2.0 / 3, -0.5, -1},
}

const bumpWidth = 0.25

// bumpsAt is the gaussians set's value at (a, b) without noise: the sum
// of the bumps, each ±exp(−r²/(2·bumpWidth²)), within about ±1: hills
// and hollows a network must place one by one.
func bumpsAt(a, b float64) float64 {
	var v float64
	for _, c := range bumps {
		r2 := (a-c.x)*(a-c.x) + (b-c.y)*(b-c.y)
		v += c.sign * math.Exp(-r2/(2*bumpWidth*bumpWidth))
	}
	return v
}

// linspace returns the i-th of n evenly spaced points from a to b.
func linspace(a, b float64, n, i int) float64 {
	if n == 1 {
		return a
	}
	return a + (b-a)*float64(i)/float64(n-1)
}
