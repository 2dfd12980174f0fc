/* The guest hypervisor's symbol table: parse, sort, look up (see symtab.h). */
#include <lzma.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "collector/slurp.h"
#include "collector/symtab.h"

#define SYMTAB_MAX_BYTES (1ull << 30)	/* a kallsyms is ~10 MB; refuse absurd inputs */
#define XZ_MEMLIMIT (256ull << 20)

/* Free a table and its names (NULL is fine). */
void nv_symtab_free(struct nv_symtab *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->n; i++)
		free(t->sym[i].name);
	free(t->sym);
	free(t);
}

/* Address order, then name, for qsort. */
static int by_addr(const void *a, const void *b)
{
	const struct nv_sym *x = a, *y = b;
	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	return strcmp(x->name, y->name);
}

/* See symtab.h. */
void nv_symtab_sort(struct nv_symtab *t)
{
	size_t w = 0;
	qsort(t->sym, t->n, sizeof(*t->sym), by_addr);
	for (size_t i = 0; i < t->n; i++) {
		if (w && t->sym[w - 1].addr == t->sym[i].addr &&
		    !strcmp(t->sym[w - 1].name, t->sym[i].name)) {
			free(t->sym[i].name);
			continue;
		}
		t->sym[w++] = t->sym[i];
	}
	t->n = w;
}

/* Append one symbol; -1 on allocation failure. */
static int add_sym(struct nv_symtab *t, size_t *cap, uint64_t addr, char type,
		   const char *name, size_t nlen)
{
	if (t->n == *cap) {
		size_t c = *cap ? *cap * 2 : 4096;
		struct nv_sym *s = realloc(t->sym, c * sizeof(*s));
		if (!s)
			return -1;
		t->sym = s;
		*cap = c;
	}
	char *nm = malloc(nlen + 1);
	if (!nm)
		return -1;
	memcpy(nm, name, nlen);
	nm[nlen] = 0;
	t->sym[t->n++] = (struct nv_sym){ addr, nm, type };
	return 0;
}

/*
 * One line "ADDRESS TYPE NAME [\t[module]]": 0 parsed, 1 not that shape.
 * Sets *addr, *type, name/nlen.
 */
static int parse_line(const char *p, const char *end, uint64_t *addr, char *type,
		      const char **name, size_t *nlen)
{
	uint64_t a = 0;
	int digits = 0;
	for (; p < end && digits <= 16; p++, digits++) {
		char c = *p;
		int v = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 :
			c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
		if (v < 0)
			break;
		a = a << 4 | (uint64_t)v;
	}
	if (!digits || digits > 16 || p >= end || *p != ' ')
		return 1;
	p++;
	if (p + 2 > end || !((p[0] >= 'a' && p[0] <= 'z') || (p[0] >= 'A' && p[0] <= 'Z')) ||
	    p[1] != ' ')
		return 1;
	*type = p[0];
	p += 2;
	const char *n = p;
	while (p < end && *p != ' ' && *p != '\t')
		p++;
	if (p == n)
		return 1;
	*addr = a;
	*name = n;
	*nlen = (size_t)(p - n);
	return 0;
}

/* A code symbol: the only ones a trap PC can fall in. */
static int is_code(char type)
{
	return type == 't' || type == 'T' || type == 'w' || type == 'W';
}

/* See symtab.h. */
int nv_symtab_parse(const char *text, size_t len, const char *origin,
		    struct nv_symtab **out, char *err, size_t errlen)
{
	struct nv_symtab *t = calloc(1, sizeof(*t));
	size_t cap = 0, lines = 0;
	int nonzero = 0;
	const char *p = text, *end = text + len;

	*out = NULL;
	if (!t) {
		snprintf(err, errlen, "%s: out of memory", origin);
		return -1;
	}
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;
		uint64_t addr;
		char type;
		const char *name;
		size_t nlen;
		if (le > p && le[-1] == '\r')
			le--;
		lines++;
		if (le > p) {
			if (parse_line(p, le, &addr, &type, &name, &nlen)) {
				snprintf(err, errlen, "%s:%zu: not a kallsyms or System.map line "
					 "(want 'ADDRESS TYPE NAME')", origin, lines);
				goto fail;
			}
			nonzero |= addr != 0;
			if (nlen == 6 && !memcmp(name, "_etext", 6))
				t->text_end = addr;
			if (is_code(type) && add_sym(t, &cap, addr, type, name, nlen)) {
				snprintf(err, errlen, "%s: out of memory", origin);
				goto fail;
			}
		}
		p = nl ? nl + 1 : end;
	}
	if (!t->n) {
		snprintf(err, errlen, "%s: no code symbols (not a kallsyms or System.map)", origin);
		goto fail;
	}
	if (!nonzero) {
		snprintf(err, errlen, "%s: every address is 0 (kallsyms read with "
			 "kptr_restrict set: read it as root with kptr_restrict 0)", origin);
		goto fail;
	}
	nv_symtab_sort(t);
	*out = t;
	return 0;
fail:
	nv_symtab_free(t);
	return -1;
}

/* Decompress xz data in memory; NULL with err. */
static char *unxz(const unsigned char *in, size_t inlen, size_t *outlen, const char *path,
		  char *err, size_t errlen)
{
	lzma_stream s = LZMA_STREAM_INIT;
	size_t cap = inlen * 8 + 4096, n = 0;
	char *out = malloc(cap);
	lzma_ret rc;

	if (!out || lzma_stream_decoder(&s, XZ_MEMLIMIT, LZMA_CONCATENATED) != LZMA_OK) {
		free(out);
		snprintf(err, errlen, "%s: cannot start the xz decoder", path);
		return NULL;
	}
	s.next_in = in;
	s.avail_in = inlen;
	do {
		if (n == cap) {
			if (cap >= SYMTAB_MAX_BYTES) {
				snprintf(err, errlen, "%s: more than %llu MB decompressed", path,
					 SYMTAB_MAX_BYTES >> 20);
				goto fail;
			}
			char *o = realloc(out, cap *= 2);
			if (!o) {
				snprintf(err, errlen, "%s: out of memory", path);
				goto fail;
			}
			out = o;
		}
		s.next_out = (uint8_t *)out + n;
		s.avail_out = cap - n;
		rc = lzma_code(&s, LZMA_FINISH);
		n = cap - s.avail_out;
	} while (rc == LZMA_OK);
	if (rc != LZMA_STREAM_END) {
		snprintf(err, errlen, "%s: corrupt xz data (liblzma error %d)", path, (int)rc);
		goto fail;
	}
	lzma_end(&s);
	*outlen = n;
	return out;
fail:
	lzma_end(&s);
	free(out);
	return NULL;
}

/* See symtab.h. */
int nv_symtab_read(const char *path, struct nv_symtab **out, char *err, size_t errlen)
{
	size_t len = 0;
	unsigned char *raw = (unsigned char *)nv_slurp(path, SYMTAB_MAX_BYTES, &len, err, errlen);
	int rc;
	*out = NULL;
	if (!raw)
		return -1;
	if (len >= 6 && !memcmp(raw, "\xfd" "7zXZ\x00", 6)) {
		size_t tl = 0;
		char *text = unxz(raw, len, &tl, path, err, errlen);
		free(raw);
		if (!text)
			return -1;
		rc = nv_symtab_parse(text, tl, path, out, err, errlen);
		free(text);
		return rc;
	}
	rc = nv_symtab_parse((const char *)raw, len, path, out, err, errlen);
	free(raw);
	return rc;
}

/* See symtab.h: the last symbol at or below pc, within the kernel's text or a module. */
const struct nv_sym *nv_symtab_lookup(const struct nv_symtab *t, uint64_t pc, uint64_t *off)
{
	if (!t || !t->n || pc < t->sym[0].addr)
		return NULL;
	size_t lo = 0, hi = t->n;	/* sym[lo].addr <= pc < sym[hi].addr */
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (t->sym[mid].addr <= pc)
			lo = mid;
		else
			hi = mid;
	}
	const struct nv_sym *s = &t->sym[lo];
	/* past _etext only a symbol that is itself past it (a module's) contains pc */
	if (t->text_end && pc >= t->text_end && s->addr < t->text_end)
		return NULL;
	if (lo == t->n - 1 && pc - s->addr >= 0x100000)	/* past the last symbol */
		return NULL;
	if (off)
		*off = pc - s->addr;
	return s;
}

/* See symtab.h. */
void nv_symtab_format(const struct nv_symtab *t, uint64_t pc, char *buf, size_t len)
{
	uint64_t off = 0;
	const struct nv_sym *s = nv_symtab_lookup(t, pc, &off);
	if (s)
		snprintf(buf, len, "%s+0x%llx", s->name, (unsigned long long)off);
	else
		snprintf(buf, len, "0x%llx", (unsigned long long)pc);
}
