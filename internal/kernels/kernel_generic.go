//go:build !amd64 || purego

package kernels

// HasAVX2FMA is false: this build uses the plain Go kernels.
const HasAVX2FMA = false

// HasAVX512 is false: this build has no AVX-512 kernels. It is a variable,
// as on amd64, so tests may turn the wide forms off.
var HasAVX512 = false

func fastestKernel() microKernel { return goKernel }

// blocksInBands is true: with the plain-Go kernels, stepped products of
// several k blocks go in bands with as large a packing as one of a single
// block (stepPackLimit), the choice amd64 made before it was measured
// there; never measured here. A variable, as on amd64, for the tests.
var blocksInBands = true

// kernels lists the micro-kernels this build has, for the tests.
func kernels() []microKernel { return []microKernel{goKernel} }

func packTransposedFast(panel, src []float32, ld, k int) int      { return 0 }
func packTransposed12Fast(panel, src []float32, ld, k, h int) int { return 0 }
func packTransposed6Fast(panel, src []float32, ld, k, h int) int  { return 0 }
func packRows12Fast(panel, src []float32, ld, k, h int) bool      { return false }

func axpyFast(y, x []float32, alpha float32) int { return 0 }

func addRowsFast(dst, src []float32, rows, cols int) int { return 0 }

func momentumFast(w, buf, g []float32, lr, mu, floor float32) int        { return 0 }
func nesterovFast(w, buf, g []float32, lr, mu, floor float32) int        { return 0 }
func adamFast(w, m, v, g []float32, a Adam, floor float32) int           { return 0 }
func rmsFast(w, v, g []float32, keep, scale, lr, eps, floor float32) int { return 0 }

func packRowsFast(panel, src []float32, ld, k int) bool            { return false }
func packRows6Fast(panel, src []float32, ld, k, h int) bool        { return false }
func packRowPanelsFast(dst, src []float32, ld, k, panels int) bool { return false }

func gemvFast(c, a, w []float32, ldw int) (k int) { return 0 }

func spinPause() {}

func fetchLines(p *float32, lines int) {}

func reluForwardFast(y, x []float32) int { return 0 }

func reluBackwardFast(dX, dOut, x []float32) int { return 0 }

func copyStreamingFast(dst, src []float32) int { return 0 }

func dotFast(a, b []float32) (int, float32) { return 0, 0 }

func expFast(y, x []float32) int                    { return 0 }
func sigmoidFast(y, x []float32) int                { return 0 }
func tanhFast(y, x []float32) int                   { return 0 }
func sigmoidBackwardFast(dX, dOut, y []float32) int { return 0 }
func tanhBackwardFast(dX, dOut, y []float32) int    { return 0 }

func siluFast(y, x []float32) int                    { return 0 }
func geluFast(y, x []float32) int                    { return 0 }
func geluTanhFast(y, x []float32) int                { return 0 }
func siluBackwardFast(dX, dOut, x []float32) int     { return 0 }
func geluBackwardFast(dX, dOut, x []float32) int     { return 0 }
func geluTanhBackwardFast(dX, dOut, x []float32) int { return 0 }

func softplusFast(y, x []float32) int                { return 0 }
func mishFast(y, x []float32) int                    { return 0 }
func softplusBackwardFast(dX, dOut, x []float32) int { return 0 }
func mishBackwardFast(dX, dOut, x []float32) int     { return 0 }

func leakyFast(y, x []float32, slope float32) int                { return 0 }
func leakyBackwardFast(dX, dOut, x []float32, slope float32) int { return 0 }

func clampFast(y, x []float32, shift, lo, hi, mul float32) int                { return 0 }
func clampBackwardFast(dX, dOut, x []float32, shift, lo, hi, mul float32) int { return 0 }

func eluFast(y, x []float32, pos, neg, in float32) int                { return 0 }
func eluBackwardFast(dX, dOut, x []float32, pos, neg, in float32) int { return 0 }

func identityFast(y, x []float32) int                            { return 0 }
func stepFast(y, x []float32, atZero float32) int                { return 0 }
func slopeBackwardFast(dX, dOut, x []float32, slope float32) int { return 0 }

func softsignFast(y, x []float32) int                  { return 0 }
func logsigmoidFast(y, x []float32) int                { return 0 }
func hardswishFast(y, x []float32) int                 { return 0 }
func softsignBackwardFast(dX, dOut, x []float32) int   { return 0 }
func logsigmoidBackwardFast(dX, dOut, y []float32) int { return 0 }
func hardswishBackwardFast(dX, dOut, x []float32) int  { return 0 }

// WithPlainGo runs f: this build has only the plain Go kernels.
func WithPlainGo(f func()) { f() }

func peakFast(rounds int, a, b float32) (lanes int, sum float32) { return 0, 0 }

func allFiniteFast(x []float32) (done int, ok bool) { return 0, true }

func softmaxRowFast(y []float32, e []float64, x []float32, m, scale float64) (float64, bool) {
	return 0, false
}

func argmaxFast(row []float32) int { return -1 }

func softmaxEightFast(y, x []float32, cols int, m, sums []float64, scale float64, e *[8 * maxRowsCols]float64) bool {
	return false
}
