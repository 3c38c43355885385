/* A stand-in for Windows 10's bcryptprimitives.dll, which Wine 8 (Debian
   12's) lacks and Go's runtime asks for at start: ProcessPrng, its one
   function Go calls, filled from RtlGenRandom (advapi32's
   SystemFunction036). Built by .ci/windows-under-wine with mingw-w64; only
   the tests run under Wine load it. */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length) {
	while (length > 0) {
		ULONG n = length > 0x40000000 ? 0x40000000 : (ULONG)length;
		if (!SystemFunction036(data, n))
			return FALSE;
		data += n;
		length -= n;
	}
	return TRUE;
}
