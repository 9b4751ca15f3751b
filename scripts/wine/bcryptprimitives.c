/* For testing under Wine 8 only, never shipped: Rust's standard library asks Windows 10 and
 * later for random bytes with ProcessPrng (bcryptprimitives.dll), which Wine 8 lacks. This
 * stand-in, placed beside the .exe under test, answers from RtlGenRandom (SystemFunction036 in
 * advapi32), which Wine has. Built by scripts/build-windows.sh with mingw-w64. */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length) {
    while (length > 0) {
        ULONG chunk = length > 0x10000000 ? 0x10000000 : (ULONG)length;
        if (!SystemFunction036(data, chunk)) return FALSE;
        data += chunk;
        length -= chunk;
    }
    return TRUE;
}
