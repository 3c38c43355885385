package clock

import (
	"sync"
	"syscall"
	"time"
	"unsafe"

	"golang.org/x/sys/windows"
)

var (
	kernel32     = windows.NewLazySystemDLL("kernel32.dll")
	queryCounter = kernel32.NewProc("QueryPerformanceCounter")

	// start and startCount are time.Now and the counter read together when
	// the package starts; frequency is the counter's ticks a second, 0
	// where it cannot be read (now is then time.Now).
	start      time.Time
	startCount int64
	frequency  int64

	// counts holds the words the counter is read into: a pointer handed
	// to a system call escapes, and a word from the pool spares each read
	// an allocation.
	counts = sync.Pool{New: func() any { return new(int64) }}
)

func init() {
	queryFrequency := kernel32.NewProc("QueryPerformanceFrequency")
	if queryCounter.Find() != nil || queryFrequency.Find() != nil {
		return
	}
	var f int64
	if ok, _, _ := syscall.SyscallN(queryFrequency.Addr(), uintptr(unsafe.Pointer(&f))); ok == 0 || f <= 0 {
		return
	}
	start, startCount, frequency = time.Now(), count(), f
}

// count reads the performance counter.
func count() int64 {
	c := counts.Get().(*int64)
	syscall.SyscallN(queryCounter.Addr(), uintptr(unsafe.Pointer(c)))
	n := *c
	counts.Put(c)
	return n
}

func now() time.Time {
	if frequency == 0 {
		return time.Now()
	}
	ticks := count() - startCount
	// ticks·10⁹/frequency without overflow: the remainder's product stays
	// below 10⁹·frequency, far inside an int64 for any counter's rate.
	ns := ticks/frequency*int64(time.Second) + ticks%frequency*int64(time.Second)/frequency
	return start.Add(time.Duration(ns))
}
