package plot

// An activation's curves as a figure draws them: sampled evenly, again
// where they are steep, and broken where they jump.

import (
	"math"
	"slices"

	"gonum.org/v1/plot/plotter"

	"github.com/wigglenn/wiggle/act"
)

// curves samples f and f′ at n evenly spaced points of r (evenly), and
// more closely where they change steeply between two of those (refine).
func curves(f act.Func, r Range, n int) (x, y, dy []float32) {
	x, y, dy = evenly(f, r, n)
	return refine(f, x, y, dy)
}

// evenly samples f and f′ at n evenly spaced points of r.
func evenly(f act.Func, r Range, n int) (x, y, dy []float32) {
	x = make([]float32, n)
	for i := range x {
		x[i] = float32(r.Min + (r.Max-r.Min)*float64(i)/float64(n-1))
	}
	y, dy = act.Eval(f, x)
	return x, y, dy
}

// steepStep is the share of a curve's span from which a step between two
// neighbouring samples is looked at more closely: sampled more finely
// (refine), and tested for a jump (isJump).
const steepStep = 0.02

// refineSteps is how many samples refine puts between two neighbours, at
// most refineSpans times a curve.
const (
	refineSteps = 32
	refineSpans = 64
)

// refine samples f again between neighbouring samples whose f or f′ step
// by steepStep of its span or more: tanh over [-1000, 1000], its rise and
// f′'s peak between two samples 2 apart, would read as a jump and a blip.
func refine(f act.Func, x, y, dy []float32) ([]float32, []float32, []float32) {
	ySpan, dySpan := spanOf(y), spanOf(dy)
	var between []float32
	spans := 0
	for i := 1; i < len(x) && spans < refineSpans; i++ {
		if !steep(y[i-1], y[i], ySpan) && !steep(dy[i-1], dy[i], dySpan) {
			continue
		}
		spans++
		for k := 1; k <= refineSteps; k++ {
			between = append(between, x[i-1]+(x[i]-x[i-1])*float32(k)/(refineSteps+1))
		}
	}
	if len(between) == 0 {
		return x, y, dy
	}
	x = append(x, between...)
	slices.Sort(x)
	x = slices.Compact(x)
	y, dy = act.Eval(f, x)
	return x, y, dy
}

// steep tells whether a step from a to b is steepStep of span or more.
func steep(a, b float32, span float64) bool {
	return span > 0 && math.Abs(float64(b)-float64(a)) >= steepStep*span
}

// spanOf is the span of v's finite values (0 where there are none).
func spanOf(v []float32) float64 {
	lo, hi := extent(v, nil, nil)
	if !(hi > lo) {
		return 0
	}
	return hi - lo
}

// curve is one of the lines an activation's figure draws: f, or f′ drawn
// times scale (derivScale).
type curve struct {
	f     act.Func
	deriv bool
	scale float64
}

// at is the curve's value at x, as drawn.
func (c curve) at(x float32) float64 {
	y, dy := act.Eval(c.f, []float32{x})
	if c.deriv {
		return c.scale * float64(dy[0])
	}
	return float64(y[0])
}

// isJump tells whether c jumps between a and b, whose values differ by
// gap: halving the interval towards its larger change until its ends are
// neighbouring float32s, a jump keeps a good part of its gap (step at 0,
// hardswish′ at ±3; half of it where a halving lands on the jump's own
// value between, as step(at_zero=0.5)'s at 0) where a steep curve's change
// vanishes.
func (c curve) isJump(a, b float32, gap float64) bool {
	va, vb := c.at(a), c.at(b)
	for range 64 {
		m := a + (b-a)/2
		if m <= a || m >= b {
			break
		}
		vm := c.at(m)
		if math.IsNaN(vm) {
			return true
		}
		if math.Abs(vm-va) >= math.Abs(vb-vm) {
			b, vb = m, vm
		} else {
			a, va = m, vm
		}
	}
	return math.Abs(vb-va) > gap/4
}

// points pairs x and y, leaving out non-finite values that cannot be drawn.
func points(x, y []float32) plotter.XYs {
	xy := make(plotter.XYs, 0, len(x))
	for i := range x {
		if v := float64(y[i]); !math.IsNaN(v) && !math.IsInf(v, 0) {
			xy = append(xy, plotter.XY{X: float64(x[i]), Y: v})
		}
	}
	return xy
}

// pieces splits c, drawn through values v at x, where it jumps between
// two neighbouring samples (isJump), so a discontinuity shows as a gap,
// not a vertical stroke.
func (c curve) pieces(x, v []float32) []plotter.XYs {
	xy := points(x, v)
	span := spanOf(v)
	var out []plotter.XYs
	start := 0
	for i := 1; i <= len(xy); i++ {
		if i == len(xy) || c.jumps(xy[i-1], xy[i], span) {
			out = append(out, xy[start:i])
			start = i
		}
	}
	return out
}

// jumps tells whether c jumps between two neighbouring points.
func (c curve) jumps(p, q plotter.XY, span float64) bool {
	gap := math.Abs(q.Y - p.Y)
	return span > 0 && gap >= steepStep*span && c.isJump(float32(p.X), float32(q.X), gap)
}
