package memlimit

import (
	"strconv"
	"syscall"
	"unsafe"

	"golang.org/x/sys/windows"
)

// memoryStatus is Windows's MEMORYSTATUSEX.
type memoryStatus struct {
	length, memoryLoad                     uint32
	totalPhys, availPhys                   uint64
	totalPageFile, availPageFile           uint64 // the commit limit (memory and page files) and what is left of it
	totalVirtual, availVirtual, availExtra uint64
}

var globalMemoryStatus = windows.NewLazySystemDLL("kernel32.dll").NewProc("GlobalMemoryStatusEx")

// rooms reads what Windows may still commit to this process (the
// machine's memory and page files: past it an allocation fails and Go's
// runtime stops), and for a 32-bit process its address space left.
func rooms() []Room {
	if globalMemoryStatus.Find() != nil {
		return nil
	}
	s := memoryStatus{length: uint32(unsafe.Sizeof(memoryStatus{}))}
	if ok, _, _ := syscall.SyscallN(globalMemoryStatus.Addr(), uintptr(unsafe.Pointer(&s))); ok == 0 {
		return nil
	}
	// A page file Windows manages grows when this runs out, so a job
	// refused here might have fitted after its growth: the remedy says to
	// let it grow.
	rs := []Room{{Bytes: float64(s.availPageFile), Limit: Commit}}
	if strconv.IntSize == 32 {
		rs = append(rs, Room{Bytes: float64(s.availVirtual), Limit: AddressSpace32, Of: float64(s.totalVirtual)})
	}
	return rs
}
