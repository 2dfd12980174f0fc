/* libFuzzer: the trace.dat reader (libtracecmd through import_dat, decode, the writer). */
#include "collector/import.h"
#include "fuzz_input.h"

/* One input: a trace.dat (or anything) imported into an in-memory database. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_import(data, size, IMPORT_DAT, import_dat);
}
