package clock

import (
	"math/bits"
	"syscall"
	"time"
	"unsafe"

	"golang.org/x/sys/windows"
)

var (
	// start and startCount are time.Now and the counter read together when
	// the package starts; frequency is the counter's ticks a second, 0
	// where it cannot be read (now is then time.Now); queryCounter is
	// QueryPerformanceCounter's address.
	start        time.Time
	startCount   int64
	frequency    uint64
	queryCounter uintptr
)

func init() {
	kernel32 := windows.NewLazySystemDLL("kernel32.dll")
	counter, freq := kernel32.NewProc("QueryPerformanceCounter"), kernel32.NewProc("QueryPerformanceFrequency")
	if counter.Find() != nil || freq.Find() != nil {
		return
	}
	var f int64
	if ok, _, _ := syscall.SyscallN(freq.Addr(), uintptr(unsafe.Pointer(&f))); ok == 0 || f <= 0 {
		return
	}
	queryCounter = counter.Addr()
	start, startCount, frequency = time.Now(), count(), uint64(f)
}

// count reads the performance counter.
func count() int64 {
	var c int64
	syscall.SyscallN(queryCounter, uintptr(unsafe.Pointer(&c)))
	return c
}

func now() time.Time {
	if frequency == 0 {
		return time.Now()
	}
	hi, lo := bits.Mul64(uint64(count()-startCount), uint64(time.Second))
	if hi >= frequency { // past 2⁶⁴ ns (584 years), or a counter gone back: Div64 would panic
		return time.Now()
	}
	ns, _ := bits.Div64(hi, lo, frequency)
	return start.Add(time.Duration(ns))
}
