//go:build amd64 && !purego

package kernels

import (
	"math"

	"golang.org/x/sys/cpu"
)

//go:generate go run -C asmgen -tags generate . -pkg kernels -out ../asm_amd64.s -stubs ../asm_stub_amd64.go

// blocksInBands is whether a stepped product of more than one k block goes
// in bands of rows with a shared operand of up to maxStepPack, or only up
// to maxSharedPack (stepPackLimit): false here, the product stored and
// then stepped where its packing passes 1 MB, as measured faster on an
// Intel Xeon and on a Zen 5 (see stepPackLimit). Both give the same bits.
// A variable, so that tests can take either way.
var blocksInBands = false

// HasAVX2FMA reports whether the assembly kernels run on this CPU.
var HasAVX2FMA = cpu.X86.HasAVX2 && cpu.X86.HasFMA

// HasAVX512 reports whether the AVX-512 micro-kernel runs on this CPU.
var HasAVX512 = cpu.X86.HasAVX512F && cpu.X86.HasAVX512DQ

// hasAVX512VL reports whether the AVX-512 forms of 256-bit instructions
// run (softmaxRowsAVX512's gathers and scatters of eight floats): on every
// CPU with AVX512DQ so far, but a virtual machine may hide it.
var hasAVX512VL = cpu.X86.HasAVX512VL

var (
	avx2Kernel   = microKernel{name: "avx2 6x16", rows: 6, mc: 120, run: kernelAVX2, packA: packTransposed6, packAT: packRows6, row: rowAVX2, rowPanels: rowPanelsAVX2}
	avx512Kernel = microKernel{name: "avx512 12x32", rows: 12, mc: 132, run: kernelAVX512, pair: pairAVX512, pairRows: pairRowsAVX512, panelRows: panelRowsAVX512, packA: packTransposed12, packAT: packRows12, row: rowAVX512, rowPanels: rowPanelsAVX512, pairStep: pairStepAVX512, pairAhead: pairAheadAVX512, pairRowsAhead: pairRowsAheadAVX512}
)

// WithPlainGo runs f with every kernel in its plain Go form, as other CPUs
// and the WebAssembly playground run them, so a benchmark can set the two
// side by side. It changes process-wide state: nothing else may use the
// engine while f runs.
func WithPlainGo(f func()) {
	avx2, avx512, k := HasAVX2FMA, HasAVX512, kernel
	HasAVX2FMA, HasAVX512, kernel = false, false, goKernel
	defer func() { HasAVX2FMA, HasAVX512, kernel = avx2, avx512, k }()
	f()
}

// fastestKernel is the widest micro-kernel the CPU runs.
func fastestKernel() microKernel {
	switch {
	case HasAVX512:
		return avx512Kernel
	case HasAVX2FMA:
		return avx2Kernel
	}
	return goKernel
}

// kernels lists the micro-kernels this CPU runs, for the tests.
func kernels() []microKernel {
	ks := []microKernel{goKernel}
	if HasAVX2FMA {
		ks = append(ks, avx2Kernel)
	}
	if HasAVX512 {
		ks = append(ks, avx512Kernel)
	}
	return ks
}

// kernelAVX2 and kernelAVX512 call the assembly micro-kernels; the slices
// are long enough by the driver's construction.
func kernelAVX2(k int, a, b []float32, ldb int, c []float32, ldc int, store bool, bias []float32) {
	_ = a[k*6-1]
	_ = b[(k-1)*ldb+nr-1]
	_ = c[5*ldc+nr-1]
	gemmKernel6x16(k, &a[0], &b[0], ldb, &c[0], ldc, store, biasRow(bias))
}

func kernelAVX512(k int, a, b []float32, ldb int, c []float32, ldc int, store bool, bias []float32) {
	_ = a[k*12-1]
	_ = b[(k-1)*ldb+nr-1]
	_ = c[11*ldc+nr-1]
	gemmKernelAVX512_12x16(k, &a[0], &b[0], ldb, &c[0], ldc, store, biasRow(bias))
}

// pairAVX512 is the AVX-512 pair kernel (microKernel.pair): h ≤ 12 rows
// from an A panel packed 12 floats a step, each count of rows a form of
// its own (a block's last panel has any).
func pairAVX512(h, k int, a, b0, b1 []float32, ldb int, c []float32, ldc int, store, relu bool, bias []float32) {
	_ = a[(k-1)*12+h-1]
	_ = b0[(k-1)*ldb+nr-1]
	_ = b1[(k-1)*ldb+nr-1]
	_ = c[(h-1)*ldc+2*nr-1]
	pairFormsAVX512[h](k, &a[0], &b0[0], &b1[0], ldb, &c[0], ldc, store, relu, biasAt(bias, 2*nr))
}

// pairAheadAVX512 is the AVX-512 pair kernel's 12-row tile fetching
// ahead (microKernel.pairAhead).
func pairAheadAVX512(k int, a, b0, b1 []float32, ldb int, c []float32, ldc int, store, relu bool, bias []float32, f *fetchAhead) {
	_ = a[k*12-1]
	_ = b0[(k-1)*ldb+nr-1]
	_ = b1[(k-1)*ldb+nr-1]
	_ = c[11*ldc+2*nr-1]
	budget, dense := f.pairBudget(k)
	from, left, count := f.next(budget, 1)
	fetching := gemmPairAheadAVX512_12x32
	if dense {
		fetching = gemmPairAheadDenseAVX512_12x32
	}
	fetching(k, &a[0], &b0[0], &b1[0], ldb, &c[0], ldc, store, relu, biasAt(bias, 2*nr), (*float32)(f.first), from, f.ld, f.lines, left, count)
}

// pairRowsAheadAVX512 is pairRowsAVX512's 12-row tile fetching ahead
// (microKernel.pairRowsAhead).
func pairRowsAheadAVX512(k int, a []float32, lda int, b0, b1 []float32, ldb int, c []float32, ldc int, store, relu bool, bias []float32, f *fetchAhead) {
	_ = a[11*lda+k-1]
	_ = b0[(k-1)*ldb+nr-1]
	_ = b1[(k-1)*ldb+nr-1]
	_ = c[11*ldc+2*nr-1]
	from, left, count := f.next(rowsFetchBudget(k), 2)
	gemmPairRowsAheadAVX512_12x32(k, &a[0], lda, &b0[0], &b1[0], ldb, &c[0], ldc, store, relu, biasAt(bias, 2*nr), (*float32)(f.first), from, f.ld, f.lines, left, count)
}

// pairStepAVX512 is the AVX-512 stepping pair kernel (microKernel.pairStep).
func pairStepAVX512(k int, a, b0, b1 []float32, ldb int, c []float32, ldc int, w, buf []float32, ldw int, nextW, nextBuf []float32, u *MomentumUpdate, floor float32) {
	_ = a[k*12-1]
	_ = b0[(k-1)*ldb+nr-1]
	_ = b1[(k-1)*ldb+nr-1]
	var sums *float32 // the earlier k blocks' tile, if any
	if c != nil {
		_ = c[11*ldc+2*nr-1]
		sums = &c[0]
	}
	last := 11*ldw + 2*nr - 1
	_, _, _, _ = w[last], buf[last], nextW[last], nextBuf[last]
	step := gemmPairStepAVX512_12x32
	if u.Nesterov {
		step = gemmPairNesterovAVX512_12x32
	}
	step(k, &a[0], &b0[0], &b1[0], ldb, sums, ldc, &w[0], &buf[0], ldw, &nextW[0], &nextBuf[0], u.LR, u.Mu, floor)
}

// pairRowsAVX512 is pairAVX512 with A read in place (microKernel.pairRows).
func pairRowsAVX512(h, k int, a []float32, lda int, b0, b1 []float32, ldb int, c []float32, ldc int, store, relu bool, bias []float32) {
	_ = a[(h-1)*lda+k-1]
	_ = b0[(k-1)*ldb+nr-1]
	_ = b1[(k-1)*ldb+nr-1]
	_ = c[(h-1)*ldc+2*nr-1]
	pairRowsFormsAVX512[h](k, &a[0], lda, &b0[0], &b1[0], ldb, &c[0], ldc, store, relu, biasAt(bias, 2*nr))
}

// pairRowsFormsAVX512 holds the in-place pair kernel of each count of rows.
var pairRowsFormsAVX512 = [...]func(k int, a *float32, lda int, b0, b1 *float32, ldb int, c *float32, ldc int, store, relu bool, bias *float32){
	nil, gemmPairRowsAVX512_1x32, gemmPairRowsAVX512_2x32, gemmPairRowsAVX512_3x32, gemmPairRowsAVX512_4x32,
	gemmPairRowsAVX512_5x32, gemmPairRowsAVX512_6x32, gemmPairRowsAVX512_7x32, gemmPairRowsAVX512_8x32,
	gemmPairRowsAVX512_9x32, gemmPairRowsAVX512_10x32, gemmPairRowsAVX512_11x32, gemmPairRowsAVX512_12x32,
}

// panelRowsAVX512 is the AVX-512 one-panel kernel with A read in place
// (microKernel.panelRows).
func panelRowsAVX512(h, k int, a []float32, lda int, b []float32, ldb int, c []float32, ldc int, store, relu bool, bias []float32, cols int) {
	_ = a[(h-1)*lda+k-1]
	_ = b[(k-1)*ldb+nr-1]
	_ = c[(h-1)*ldc+cols-1]
	panelRowsFormsAVX512[h](k, &a[0], lda, &b[0], ldb, &c[0], ldc, store, relu, biasAt(bias, cols), cols)
}

// panelRowsFormsAVX512 holds the in-place one-panel kernel of each count
// of rows.
var panelRowsFormsAVX512 = [...]func(k int, a *float32, lda int, b *float32, ldb int, c *float32, ldc int, store, relu bool, bias *float32, cols int){
	nil, gemmPanelRowsAVX512_1x16, gemmPanelRowsAVX512_2x16, gemmPanelRowsAVX512_3x16, gemmPanelRowsAVX512_4x16,
	gemmPanelRowsAVX512_5x16, gemmPanelRowsAVX512_6x16, gemmPanelRowsAVX512_7x16, gemmPanelRowsAVX512_8x16,
	gemmPanelRowsAVX512_9x16, gemmPanelRowsAVX512_10x16, gemmPanelRowsAVX512_11x16, gemmPanelRowsAVX512_12x16,
}

// pairFormsAVX512 holds the pair kernel of each count of rows.
var pairFormsAVX512 = [...]func(k int, a, b0, b1 *float32, ldb int, c *float32, ldc int, store, relu bool, bias *float32){
	nil, gemmPairAVX512_1x32, gemmPairAVX512_2x32, gemmPairAVX512_3x32, gemmPairAVX512_4x32,
	gemmPairAVX512_5x32, gemmPairAVX512_6x32, gemmPairAVX512_7x32, gemmPairAVX512_8x32,
	gemmPairAVX512_9x32, gemmPairAVX512_10x32, gemmPairAVX512_11x32, gemmPairAVX512_12x32,
}

// biasRow is the address of a tile's nr biases, or nil for none.
func biasRow(bias []float32) *float32 { return biasAt(bias, nr) }

// biasAt is the address of n biases, checked to be there, or nil for none.
func biasAt(bias []float32, n int) *float32 {
	if bias == nil {
		return nil
	}
	_ = bias[n-1]
	return &bias[0]
}

// rowAVX2 and rowAVX512 are the row forms of the micro-kernels (see
// microKernel.row): the widest one-row kernel over as many columns as it
// takes, then 16 at a time.
func rowAVX2(k int, a, b []float32, ldb int, c []float32) {
	rowAsm(k, a, b, ldb, c, 64, gemmKernelAVX2_1x64, gemmKernelAVX2_1x16)
}

func rowAVX512(k int, a, b []float32, ldb int, c []float32) {
	rowAsm(k, a, b, ldb, c, 128, gemmKernelAVX512_1x128, gemmKernelAVX512_1x16)
}

func rowAsm(k int, a, b []float32, ldb int, c []float32, wide int, wideKernel, narrowKernel func(k int, a, b *float32, ldb int, c *float32, ldc int)) {
	_ = a[k-1]
	_ = b[(k-1)*ldb+len(c)-1]
	j := 0
	for ; j+wide <= len(c); j += wide {
		wideKernel(k, &a[0], &b[j], ldb, &c[j], 0)
	}
	for ; j+nr <= len(c); j += nr {
		narrowKernel(k, &a[0], &b[j], ldb, &c[j], 0)
	}
}

// rowPanelsAVX2 and rowPanelsAVX512 are the panel forms of the row
// kernels (see microKernel.rowPanels): as many panels at a time as the
// widest of them takes, then fewer, then one.
func rowPanelsAVX2(k int, a, b []float32, stride int, c []float32) {
	rowPanelsAsm(k, a, b, stride, c, avx2Panels[:], gemmKernelAVX2_1x16)
}

func rowPanelsAVX512(k int, a, b []float32, stride int, c []float32) {
	rowPanelsAsm(k, a, b, stride, c, avx512Panels[:], gemmKernelAVX512_1x16)
}

// panelKernel is a row kernel over panels side by side.
type panelKernel struct {
	panels int
	run    func(k int, a, b *float32, stride int, c *float32, ldc int)
}

var (
	avx2Panels   = [...]panelKernel{{4, gemmKernelAVX2_1x64p}, {2, gemmKernelAVX2_1x32p}}
	avx512Panels = [...]panelKernel{{8, gemmKernelAVX512_1x128p}, {4, gemmKernelAVX512_1x64p}, {2, gemmKernelAVX512_1x32p}}
)

func rowPanelsAsm(k int, a, b []float32, stride int, c []float32, wide []panelKernel, single func(k int, a, b *float32, ldb int, c *float32, ldc int)) {
	panels := len(c) / nr
	_ = a[k-1]
	_ = b[(panels-1)*stride+k*nr-1]
	j := 0
	for _, pk := range wide {
		for ; j+pk.panels <= panels; j += pk.panels {
			pk.run(k, &a[0], &b[j*stride], stride, &c[j*nr], 0)
		}
	}
	for ; j < panels; j++ { // a panel's rows are nr floats apart
		single(k, &a[0], &b[j*stride], nr, &c[j*nr], 0)
	}
}

// packTransposedFast packs the longest multiple of 8 columns of
// packTransposed16 in assembly and returns how many it did.
func packTransposedFast(panel, src []float32, ld, k int) int {
	n := k &^ 7
	if !HasAVX2FMA || n == 0 {
		return 0
	}
	_ = panel[n*nr-1]
	_ = src[(nr-1)*ld+n-1]
	done := 0
	if wide := k &^ 15; HasAVX512 && wide > 0 { // 16 columns at a time, then 8
		packTransposed16AVX512(&panel[0], &src[0], ld, wide/16)
		done = wide
	}
	if done < n {
		packTransposed16AVX2(&panel[done*nr], &src[done], ld, (n-done)/8)
	}
	return n
}

// packTransposed12Fast and packTransposed6Fast pack the longest multiple
// of 16 (8) columns of packTransposed12 (6) in assembly and return how many
// they did.
func packTransposed12Fast(panel, src []float32, ld, k, h int) int {
	return packPanelFast(HasAVX512, 12, 16, packTransposed12AVX512, panel, src, ld, k, h)
}

func packTransposed6Fast(panel, src []float32, ld, k, h int) int {
	return packPanelFast(HasAVX2FMA, 6, 8, packTransposed6AVX2, panel, src, ld, k, h)
}

// packPanelFast runs asm, which packs an A panel of mr rows (h of them
// from src) step columns a block, over the longest multiple of step
// columns when the CPU has it, and returns how many columns it did.
func packPanelFast(has bool, mr, step int, asm func(panel, src *float32, ld, blocks, rows int), panel, src []float32, ld, k, h int) int {
	n := k / step * step
	if !has || n == 0 || h < 1 {
		return 0
	}
	_ = panel[n*mr-1]
	_ = src[(h-1)*ld+n-1]
	asm(&panel[0], &src[0], ld, n/step, h)
	return n
}

// packRows6Fast and packRows12Fast run packRows6 (12) in assembly, and
// say whether they could (packRows6AVX2 stores its last step apart, so
// needs two).
func packRows6Fast(panel, src []float32, ld, k, h int) bool {
	return packPanelRowsFast(HasAVX2FMA && k >= 2, 6, packRows6AVX2, panel, src, ld, k, h)
}

func packRows12Fast(panel, src []float32, ld, k, h int) bool {
	return packPanelRowsFast(HasAVX512, 12, packRows12AVX512, panel, src, ld, k, h)
}

// packPanelRowsFast runs asm, which packs an A panel of mr rows (h of them
// from src) from a transposed A, when ok, and says whether it did.
func packPanelRowsFast(ok bool, mr int, asm func(panel, src *float32, ld, k, rows int), panel, src []float32, ld, k, h int) bool {
	if !ok || k < 1 || h < 1 {
		return false
	}
	_ = panel[k*mr-1]
	_ = src[(k-1)*ld+h-1]
	asm(&panel[0], &src[0], ld, k, h)
	return true
}

// updateFast runs a momentum update in assembly over the longest multiple
// of 16 and returns how many elements it did.
func updateFast(w, buf, g []float32, lr, mu, floor float32, asm func(w, buf, g *float32, n int, lr, mu, floor float32)) int {
	n := len(w) &^ 15
	if !HasAVX2FMA || n == 0 {
		return 0
	}
	_, _ = buf[n-1], g[n-1]
	asm(&w[0], &buf[0], &g[0], n, lr, mu, floor)
	return n
}

// axpyFast runs Axpy in assembly over the longest multiple of 16 and
// returns how many elements it did.
func axpyFast(y, x []float32, alpha float32) int {
	n := len(y) &^ 15
	if !HasAVX2FMA || n == 0 {
		return 0
	}
	_ = x[n-1]
	axpyAVX2(&y[0], &x[0], n, alpha)
	return n
}

// addRowsFast runs AddRows in assembly over the first columns, a
// multiple of 8, and returns how many it did.
func addRowsFast(dst, src []float32, rows, cols int) int {
	n := cols &^ 7
	if !HasAVX2FMA || n == 0 {
		return 0
	}
	addRowsAVX2(&dst[0], &src[0], rows, cols, n)
	return n
}

func momentumFast(w, buf, g []float32, lr, mu, floor float32) int {
	return updateFast(w, buf, g, lr, mu, floor, momentumAVX2)
}

func nesterovFast(w, buf, g []float32, lr, mu, floor float32) int {
	return updateFast(w, buf, g, lr, mu, floor, nesterovAVX2)
}

// adamFast runs AdamStep in assembly over the longest multiple of 8 and
// returns how many elements it did.
func adamFast(w, m, v, g []float32, a Adam, floor float32) int {
	n := len(w) &^ 7
	if !HasAVX2FMA || n == 0 {
		return 0
	}
	_, _, _ = m[n-1], v[n-1], g[n-1]
	adamAVX2(&w[0], &m[0], &v[0], &g[0], n, a.Keep, a.Beta1, a.Scale1, a.Beta2, a.Scale2, a.StepSize, a.Correction, a.Eps, floor)
	return n
}

// rmsFast runs RMSStep in assembly over the longest multiple of 8 and
// returns how many elements it did.
func rmsFast(w, v, g []float32, keep, scale, lr, eps, floor float32) int {
	n := len(w) &^ 7
	if !HasAVX2FMA || n == 0 {
		return 0
	}
	_, _ = v[n-1], g[n-1]
	rmsAVX2(&w[0], &v[0], &g[0], n, keep, scale, lr, eps, floor)
	return n
}

// packRowsFast runs packRows for full 16-column panels in assembly.
func packRowsFast(panel, src []float32, ld, k int) bool {
	if !HasAVX2FMA || k == 0 {
		return false
	}
	_ = panel[k*nr-1]
	_ = src[(k-1)*ld+nr-1]
	packRows16AVX2(&panel[0], &src[0], ld, k)
	return true
}

// packRowPanelsFast runs packRowPanels in assembly, and says whether it
// could.
func packRowPanelsFast(dst, src []float32, ld, k, panels int) bool {
	if !HasAVX512 || k < 1 || panels < 1 {
		return false
	}
	_ = dst[panels*k*nr-1]
	_ = src[(k-1)*ld+panels*nr-1]
	packRowsBlock16AVX512(&dst[0], &src[0], ld, k, panels, k*nr)
	return true
}

// dotFast runs the assembly over the longest multiple of 8 and returns how
// many elements it did and their sum.
func dotFast(a, b []float32) (int, float32) {
	n := len(a) &^ 7
	if !HasAVX2FMA || n == 0 {
		return 0, 0
	}
	_ = b[n-1]
	return n, dotAVX2(&a[0], &b[0], n)
}

// gemvFast adds to each c[j] the dot product of a and row j of w over the
// first k elements of a (a multiple of 16), in AVX-512 assembly, and returns
// k; the caller adds the rest.
//
//	a: [K], w: [len(c), K] with rows ldw apart, c: [N]
func gemvFast(c, a, w []float32, ldw int) (k int) {
	k = len(a) &^ 15
	if !HasAVX512 || len(c) == 0 || k == 0 {
		return 0
	}
	_ = w[(len(c)-1)*ldw+k-1]
	gemvAVX512(&c[0], &w[0], ldw, &a[0], k, len(c))
	return k
}

// peakFast runs the FMA peak loop as wide as the micro-kernel in use and
// returns its lanes and the loop's sum, peakChains·rounds·a·b (0, 0: no
// assembly).
func peakFast(rounds int, a, b float32) (lanes int, sum float32) {
	switch kernel.name {
	case avx512Kernel.name:
		return 16, fmaPeakAVX512(rounds, a, b)
	case avx2Kernel.name:
		return 8, fmaPeakAVX2(rounds, a, b)
	}
	return 0, 0
}

// allFiniteFast checks the longest multiple of 32 of x in assembly and
// returns how many it checked and whether they are all finite.
func allFiniteFast(x []float32) (done int, ok bool) {
	n := len(x) &^ 31
	if !HasAVX2FMA || n == 0 {
		return 0, true
	}
	return n, allFiniteAVX2(&x[0], n)
}

func softmaxRowFast(y []float32, e []float64, x []float32, m, scale float64) (float64, bool) {
	if !HasAVX512 || len(x) == 0 || math.IsInf(m, 0) || math.IsNaN(m) {
		return 0, false
	}
	_, _ = y[len(x)-1], e[len(x)-1]
	return softmaxRowAVX512(&y[0], &e[0], &x[0], len(x), m, scale), true
}

// argmaxFast is Argmax in one AVX-512 vector for a row of 1 to 16
// values, else -1.
func argmaxFast(row []float32) int {
	if !HasAVX512 || len(row) == 0 || len(row) > 16 {
		return -1
	}
	return argmaxAVX512(&row[0], len(row))
}

// softmaxEightFast computes SoftmaxRows for eight rows, one row a lane,
// with e for scratch, where the CPU runs AVX-512 and cols is at most
// maxRowsCols, and reports whether it did: not where a row holds NaN or
// has ±Inf for its largest value (m is then written, y and sums not).
func softmaxEightFast(y, x []float32, cols int, m, sums []float64, scale float64, e *[8 * maxRowsCols]float64) bool {
	if !HasAVX512 || !hasAVX512VL || cols < 1 || cols > maxRowsCols {
		return false
	}
	_, _, _, _ = y[8*cols-1], x[8*cols-1], m[7], sums[7]
	var idx [8]int32 // each lane's row, in floats from the first
	for r := range idx {
		idx[r] = int32(r * cols)
	}
	return softmaxRowsAVX512(&y[0], &x[0], cols, &idx[0], &m[0], &sums[0], &e[0], scale)
}

// copyStreamingFast copies the whole cache lines at the start of dst
// (64-byte aligned) and returns the floats done.
func copyStreamingFast(dst, src []float32) int {
	lines := len(src) / 16
	if !HasAVX2FMA || lines == 0 {
		return 0
	}
	copyStreamingAVX2(&dst[0], &src[0], lines)
	return 16 * lines
}
