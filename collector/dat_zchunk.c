/*
 * Reading a compressed trace.dat, libtracecmd 1.3 decompresses each chunk of
 * a CPU's data into a malloc'd buffer it caches, and means to free it once
 * its pages are read; but its free_zpage never finds the chunk (an inverted
 * range test), so every decompressed chunk stays until the file is closed
 * and resident memory grows with the trace (tens of MB per million events).
 *
 * This definition takes the place of libtracecmd's tracecmd_uncompress_chunk
 * (its own calls go through the PLT, and the executable's symbol comes first
 * in the dynamic linker's lookup), calls the real one, and while import_dat
 * asks for it, gives back the memory of chunks already read: a CPU's chunks
 * sit one after another in one array and are read in order, so when chunk
 * i + 1 of an array is decompressed right after chunk i (same array,
 * offsets that follow on), chunk i's pages are done with and its whole pages
 * are dropped with madvise(MADV_DONTNEED).  The buffer itself stays
 * allocated (libtracecmd frees it at close), so nothing is freed twice.
 * Anything else (a first chunk, a jump, an unknown library version whose
 * free_zpage might work and free the buffer itself) drops nothing.
 */
#include <dlfcn.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include "collector/import.h"

/* libtracecmd's (trace-cmd-private.h; not in its public header). */
struct tracecmd_compression;
struct tracecmd_compress_chunk {
	unsigned int size;
	unsigned int zsize;
	long long zoffset;
	long long offset;
};

int tracecmd_uncompress_chunk(struct tracecmd_compression *handle,
			      struct tracecmd_compress_chunk *chunk, char *data);

#define NSTREAM 64	/* CPUs followed at once; more are simply not dropped */

static struct {
	pthread_mutex_t mu;
	int on;		/* import_dat asked for dropping */
	int known;	/* -1 unknown library, 1 libtracecmd 1.3 (leaks), 0 not looked yet */
	int (*real)(struct tracecmd_compression *, struct tracecmd_compress_chunk *, char *);
	int n, next;	/* streams in use; the one to replace when full */
	struct { const struct tracecmd_compress_chunk *last; char *data; } s[NSTREAM];
	uint64_t dropped;	/* bytes given back (for tests) */
} z = { .mu = PTHREAD_MUTEX_INITIALIZER };

/* See import.h: 1 while import_dat reads a handle; 0 forgets every chunk. */
void import_drop_zchunks(int on)
{
	pthread_mutex_lock(&z.mu);
	z.on = on;
	z.n = z.next = 0;	/* the buffers are freed at tracecmd_close */
	pthread_mutex_unlock(&z.mu);
}

/* See import.h: bytes of decompressed chunks given back so far. */
uint64_t import_zchunk_dropped(void)
{
	return z.dropped;
}

/*
 * The real function, and whether the library is a 1.3 release (the ones
 * whose free_zpage never frees): the file the symbol comes from, symlinks
 * resolved, is named libtracecmd.so.1.3.N.
 */
static void find_real(void)
{
	Dl_info info;
	char *path;
	*(void **)&z.real = dlsym(RTLD_NEXT, "tracecmd_uncompress_chunk");
	z.known = -1;
	if (!z.real || !dladdr(*(void **)&z.real, &info) || !info.dli_fname)
		return;
	path = realpath(info.dli_fname, NULL);
	if (path && strstr(path, "libtracecmd.so.1.3."))
		z.known = 1;
	free(path);
}

/* Give back the whole pages of [p, p + len). */
static void drop(char *p, size_t len)
{
	uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
	uintptr_t a = ((uintptr_t)p + page - 1) & ~(page - 1);
	uintptr_t b = ((uintptr_t)p + len) & ~(page - 1);
	if (b > a && madvise((void *)a, b - a, MADV_DONTNEED) == 0)
		z.dropped += b - a;
}

/* libtracecmd's entry point, forwarded; then drop the chunk read before. */
int tracecmd_uncompress_chunk(struct tracecmd_compression *handle,
			      struct tracecmd_compress_chunk *chunk, char *data)
{
	int rc, i;
	pthread_mutex_lock(&z.mu);
	if (!z.known)
		find_real();
	pthread_mutex_unlock(&z.mu);
	if (!z.real)
		return -1;
	rc = z.real(handle, chunk, data);
	if (rc < 0 || !chunk || !data)
		return rc;
	pthread_mutex_lock(&z.mu);
	if (z.on && z.known == 1) {
		for (i = 0; i < z.n; i++)
			if (z.s[i].last + 1 == chunk &&
			    z.s[i].last->offset + (long long)z.s[i].last->size == chunk->offset)
				break;
		if (i < z.n) {
			char *old = z.s[i].data;
			size_t len = z.s[i].last->size;
			/* never a buffer the new chunk overlaps (it would be a reused one) */
			if (old + len <= data || data + chunk->size <= old)
				drop(old, len);
		} else if (z.n < NSTREAM) {
			i = z.n++;
		} else {
			i = z.next;
			z.next = (z.next + 1) % NSTREAM;
		}
		z.s[i].last = chunk;
		z.s[i].data = data;
	}
	pthread_mutex_unlock(&z.mu);
	return rc;
}
