/* What both import paths share: threads, host arch. */
#include <stdio.h>
#include <string.h>
#include "collector/import.h"

/* Threads table: one row per pid (the vCPU key on arm64), written once. */
void import_thread(struct import_ctx *c, int pid, const char *comm)
{
	if (pid > 0 && nvdb_threads_first(&c->threads, pid))
		nvdb_thread(c->db, pid, comm);
}

/* The first arch-specific event decides the host; a contradiction is an error. */
int import_note_host(struct import_ctx *c, enum nv_host_arch host)
{
	if (host == NV_HOST_ANY)
		return 0;
	if (c->host == NV_HOST_ANY)
		c->host = host;
	return c->host == host ? 0 : -1;
}

/* The host_arch metadata value of a host. */
const char *import_host_name(enum nv_host_arch host)
{
	return host == NV_HOST_ARM64 ? "arm64" : host == NV_HOST_X86 ? "x86_64" : "unknown";
}

/* Add events the kernel lost (saturating: a crafted file may give any count). */
void import_add_lost(struct import_ctx *c, int64_t n)
{
	if (n <= 0)
		return;
	c->lost = c->lost > INT64_MAX - n ? INT64_MAX : c->lost + n;
}
