/* libFuzzer: the text importer (import_src sniffing and decompression, line parser, templates, decode). */
#include "collector/import.h"
#include "fuzz_input.h"

/* One input: open it as import does, import it into an in-memory database. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_import(data, size, IMPORT_TEXT, import_text);
}
