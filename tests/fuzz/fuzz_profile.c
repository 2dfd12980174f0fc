/* libFuzzer: the guest-hypervisor profile parser (model/profile.c). */
#include <stddef.h>
#include <stdint.h>
#include "model/model.h"

/* One input: parsed as a profile text, then freed. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct nv_profile *p = NULL;
	char err[512];
	if (nv_profile_parse((const char *)data, size, "fuzz", &p, err, sizeof(err)) == 0)
		nv_profile_free(p);
	return 0;
}
