package probe

// The sums a Recorder keeps of a sampled step: moments of the values,
// norms of the gradients and of a step's update.

import (
	"math"

	"github.com/wigglenn/wiggle/internal/kernels"
)

type moments struct{ n, sum, sq float64 }

func (m *moments) add(v []float32) {
	// Four running sums of each, in variables: a chain of additions each,
	// not one, so that a sampled step costs little beside the step.
	var s0, s1, s2, s3, q0, q1, q2, q3 float64
	i := 0
	for ; i+4 <= len(v); i += 4 {
		a, b, c, d := float64(v[i]), float64(v[i+1]), float64(v[i+2]), float64(v[i+3])
		s0, s1, s2, s3 = s0+a, s1+b, s2+c, s3+d
		q0, q1, q2, q3 = q0+a*a, q1+b*b, q2+c*c, q3+d*d
	}
	for ; i < len(v); i++ {
		f := float64(v[i])
		s0, q0 = s0+f, q0+f*f
	}
	m.sum += (s0 + s1) + (s2 + s3)
	m.sq += (q0 + q1) + (q2 + q3)
	m.n += float64(len(v))
}

func (m moments) meanStd() (float64, float64) {
	if m.n == 0 {
		return 0, 0
	}
	mean := m.sum / m.n
	return mean, math.Sqrt(math.Max(m.sq/m.n-mean*mean, 0))
}

func norm(v []float32) float64 { return math.Sqrt(sumSquares(v)) }

// sumSquares returns Σ v[i]²: on the vector kernels in float32 (a
// weight-sized sum is most of what a sampled step costs the probe), and
// again in float64 where that sum is outside [1e-30, 1e30] (squares past
// 1e19 overflow float32; tiny ones lose their digits, and a vanishing
// gradient is what the probe is there to show). The float32 sum's last
// bits depend on the CPU's kernels: the probe's figures, not the
// training's.
func sumSquares(v []float32) float64 {
	if s := float64(kernels.Dot(v, v)); s > 1e-30 && s < 1e30 {
		return s
	}
	var q0, q1, q2, q3 float64 // four running sums: four chains of additions, not one
	i := 0
	for ; i+4 <= len(v); i += 4 {
		a, b, c, d := float64(v[i]), float64(v[i+1]), float64(v[i+2]), float64(v[i+3])
		q0, q1, q2, q3 = q0+a*a, q1+b*b, q2+c*c, q3+d*d
	}
	for ; i < len(v); i++ {
		q0 += float64(v[i]) * float64(v[i])
	}
	return (q0 + q1) + (q2 + q3)
}

// changeAndSize returns ‖w − before‖² and ‖w‖²; before is left holding
// before − w.
func changeAndSize(w, before []float32) (diff, size float64) {
	kernels.Axpy(before, w, -1)
	return sumSquares(before), sumSquares(w)
}
