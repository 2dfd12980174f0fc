/*
 * A compact fingerprint of sub-model state (128 bits, two independent
 * multiply-xor lanes): the memo of per-exit results (model/memo.c) keys on
 * it.  Each stateful sub-model provides one function that feeds its state
 * into a digest (nv_timers_digest, nv_vgic_digest, s2mmu_digest); the vCPU
 * (nv_vcpu_digest, model/vcpu.c) asks each of them.  Equal digests mean
 * equal state for everything a step can read: a sub-model feeds all of its
 * state but pure statistics (counters no step reads).
 */
#ifndef NVTRACE_DIGEST_H
#define NVTRACE_DIGEST_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct nv_digest {
	uint64_t a, b;
};

#define NV_DIGEST_INIT { 0x243f6a8885a308d3ull, 0x13198a2e03707344ull }

/* Mix one 64-bit word into both lanes. */
static inline void nv_digest_word(struct nv_digest *d, uint64_t w)
{
	d->a = (d->a ^ w) * 0x9e3779b97f4a7c15ull;
	d->a ^= d->a >> 29;
	d->b = (d->b + w) * 0xc2b2ae3d27d4eb4full;
	d->b ^= d->b >> 31;
}

/* Mix n bytes (the state of a struct as it lies in memory; calloc'd
 * padding is zero, so equal states give equal bytes). */
static inline void nv_digest_bytes(struct nv_digest *d, const void *p, size_t n)
{
	const unsigned char *c = p;
	uint64_t w;

	for (; n >= 8; n -= 8, c += 8) {
		memcpy(&w, c, 8);
		nv_digest_word(d, w);
	}
	if (n) {
		w = 0;
		memcpy(&w, c, n);
		nv_digest_word(d, w ^ ((uint64_t)n << 56));
	}
}

/* Where a stored time lies against now: 0 before, 1 at, 2 after (two bits
 * of a time-relation word: the steps compare times, they store none that is
 * not in the state). */
static inline uint64_t nv_digest_time_rel(uint64_t t, uint64_t now)
{
	return (uint64_t)(t >= now) + (uint64_t)(t > now);	/* no branch */
}

static inline int nv_digest_eq(const struct nv_digest *x, const struct nv_digest *y)
{
	return x->a == y->a && x->b == y->b;
}

#endif
