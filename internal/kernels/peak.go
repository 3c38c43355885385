package kernels

// PeakFMA runs rounds rounds of multiply-adds on registers alone, as wide
// as the micro-kernel's (16 lanes with AVX-512, 8 with AVX2), and returns
// the flops it did: timed, the most this core computes, the roof the
// micro-kernel is held to. It returns 0 where the kernels are plain Go,
// whose speed the compiler sets, not the FMA units. Safe for concurrent
// use: one call on each core measures the machine's peak.
func PeakFMA(rounds int) (flops float64) {
	if rounds < 1 {
		return 0
	}
	var lanes int
	for done := 0; done < rounds; done += peakBatch {
		n := min(peakBatch, rounds-done)
		var sum float32
		lanes, sum = peakFast(n, 1, 1)
		if lanes == 0 || sum != float32(peakChains*n) {
			return 0 // not run (plain Go), or it did not count every round of every chain
		}
	}
	return 2 * float64(rounds) * float64(lanes*peakChains)
}

// peakBatch is the most rounds a call of the assembly runs: its sum, a
// count in float32 (peakChains·rounds), is exact up to 2²⁴.
const peakBatch = 1 << 20

// peakChains is the independent multiply-adds a round of the assembly
// (asmgen's fmaPeak, whose sum tells if the two disagree): FMA latency
// times two units, and a few more.
const peakChains = 12
