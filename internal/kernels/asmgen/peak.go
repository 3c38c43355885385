//go:build generate

package main

// What the engine measures the machine with, and how its threads wait:
// the FMA peak and the polling pause.

import (
	"fmt"

	. "github.com/mmcloughlin/avo/build"
	. "github.com/mmcloughlin/avo/operand"
	. "github.com/mmcloughlin/avo/reg"
)

// fmaPeak emits
//
//	func fmaPeakAVX512(n int, a, b float32) float32
//	func fmaPeakAVX2(n int, a, b float32) float32
//
// n rounds of peakChains independent multiply-adds acc += a·b, 16 (8) lanes
// wide, with nothing loaded or stored: the most flops a core does, its
// FMA units' peak, against which `wiggle bench` sets the micro-kernel. Each
// chain is a register of its own, enough of them to cover the latency of
// two FMA units. It returns the sum of the chains' first lanes,
// peakChains·n·a·b, so a test can tell that every round of every chain ran.
func fmaPeak() {
	for _, wide := range []bool{true, false} {
		name, vec := "fmaPeakAVX2", YMM
		if wide {
			name, vec = "fmaPeakAVX512", ZMM
		}
		TEXT(name, NOSPLIT, "func(n int, a, b float32) float32")
		Doc(fmt.Sprintf("%s runs n rounds of %d independent multiply-adds and returns %d·n·a·b (see PeakFMA).", name, peakChains, peakChains),
			"n must be at least 1.")
		n := Load(Param("n"), GP64())
		a, b := vec(), vec()
		VBROADCASTSS(paramAddr("a"), a)
		VBROADCASTSS(paramAddr("b"), b)
		acc := make([]VecVirtual, peakChains)
		for i := range acc {
			acc[i] = vec()
			VXORPS(acc[i], acc[i], acc[i])
		}
		Label(name + "_loop")
		for _, r := range acc {
			VFMADD231PS(a, b, r)
		}
		DECQ(n)
		JNZ(LabelRef(name + "_loop"))
		for _, r := range acc[1:] {
			VADDPS(r, acc[0], acc[0])
		}
		VZEROUPPER() // first: Store is a legacy SSE MOVSS
		Store(acc[0].AsX(), ReturnIndex(0))
		RET()
	}
}

// peakChains is fmaPeak's independent accumulators a round: FMA latency (4
// cycles) times two units, and a few more.
const peakChains = 12

// processorSignature emits func cpuSignature() uint32: CPUID leaf 1's EAX, the
// processor's family, model and stepping, by which the kernels tell one
// core design from another where a distance measured on one costs on the
// other (floorAhead).
func processorSignature() {
	TEXT("cpuSignature", NOSPLIT, "func() uint32")
	Doc("cpuSignature returns CPUID leaf 1's EAX: the processor's family, model and stepping.")
	MOVL(U32(1), EAX)
	XORL(ECX, ECX)
	CPUID()
	Store(EAX, ReturnIndex(0))
	RET()
}

// pause emits func spinPause(): a few PAUSE instructions, for threads that
// poll, so that a poller yields the core's resources to a thread sharing it
// and does not flood the memory system with loads.
func pause() {
	TEXT("spinPause", NOSPLIT, "func()")
	Doc("spinPause waits a moment, as a polling loop should between polls.")
	for range 4 {
		PAUSE()
	}
	RET()
}
