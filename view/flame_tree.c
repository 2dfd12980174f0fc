/* The flame tree: nodes in one array, children found through a hash. */
#include <stdlib.h>
#include <string.h>
#include "view/flame.h"

/* FNV-1a of a name mixed with its parent index: the hash key of a child. */
static unsigned child_hash(int parent, const char *name)
{
	unsigned h = 2166136261u ^ (unsigned)parent * 0x9e3779b1u;

	for (; *name; name++)
		h = (h ^ (unsigned char)*name) * 16777619u;
	h ^= h >> 16;		/* murmur3's finaliser: spread into the low bits */
	h *= 0x85ebca6bu;
	h ^= h >> 13;
	h *= 0xc2b2ae35u;
	h ^= h >> 16;
	return h;
}

/* Grow the hash to twice its size and re-insert every node but the root. */
static int rehash(struct flame *f)
{
	int cap = f->hcap ? f->hcap * 2 : 1024;
	int *h = malloc(sizeof(*h) * (size_t)cap);

	if (!h)
		return -1;
	memset(h, 0xff, sizeof(*h) * (size_t)cap);
	for (int i = 1; i < f->len; i++) {
		if (!f->n[i].hashed)
			continue;
		unsigned k = child_hash(f->n[i].parent, f->n[i].name) & (unsigned)(cap - 1);
		while (h[k] >= 0)
			k = (k + 1) & (unsigned)(cap - 1);
		h[k] = i;
	}
	free(f->hash);
	f->hash = h;
	f->hcap = cap;
	return 0;
}

/* Append a node (not hashed: chart blocks are never merged by name); index or -1. */
int flame_append(struct flame *f, int parent, const char *name, enum flame_class cls)
{
	if (f->len == f->cap) {
		int cap = f->cap ? f->cap * 2 : 256;
		struct flame_node *n = realloc(f->n, sizeof(*n) * (size_t)cap);
		if (!n)
			return -1;
		f->n = n;
		f->cap = cap;
	}
	struct flame_node *x = &f->n[f->len];
	memset(x, 0, sizeof(*x));
	x->name = strdup(name);
	if (!x->name)
		return -1;
	x->detail = NULL;
	x->detail_b = NULL;
	x->w = -1;
	x->t0 = x->t1 = -1;
	x->cls = cls;
	x->parent = parent;
	x->first = x->last = x->next = -1;
	x->depth = parent >= 0 ? f->n[parent].depth + 1 : 0;
	if (parent >= 0) {
		struct flame_node *p = &f->n[parent];
		if (p->last >= 0)
			f->n[p->last].next = f->len;
		else
			p->first = f->len;
		p->last = f->len;
	}
	return f->len++;
}

/* A tree with its root only. */
struct flame *flame_new(const char *root_name)
{
	struct flame *f = calloc(1, sizeof(*f));

	if (!f || flame_append(f, -1, root_name, FC_ROOT) < 0 || rehash(f) < 0) {
		flame_free(f);
		return NULL;
	}
	f->minwidth = FLAME_MINWIDTH;
	return f;
}

static const char *const weight_names[] = { "cycles", "traps", "operations" };

/* The name of a weight, as titles and tooltips say it. */
const char *flame_weight_name(enum flame_weight w)
{
	return (unsigned)w < sizeof(weight_names) / sizeof(weight_names[0]) ? weight_names[w] : "?";
}

/* A weight by name ("ops" is short for operations); -1 when unknown. */
int flame_weight_find(const char *name)
{
	for (size_t i = 0; i < sizeof(weight_names) / sizeof(weight_names[0]); i++)
		if (!strcmp(name, weight_names[i]))
			return (int)i;
	return strcmp(name, "ops") ? -1 : FLAME_OPS;
}

/* Free a tree and its names (NULL is fine). */
void flame_free(struct flame *f)
{
	if (!f)
		return;
	for (int i = 0; i < f->len; i++) {
		free(f->n[i].name);
		free(f->n[i].detail);
		free(f->n[i].detail_b);
	}
	free(f->n);
	free(f->hash);
	free(f);
}

/* Find or make a child by name: merging is what turns exits into a flame graph. */
int flame_child(struct flame *f, int parent, const char *name, enum flame_class cls)
{
	unsigned mask, k;

	if ((f->len + 1) * 2 > f->hcap && rehash(f) < 0)
		return -1;
	mask = (unsigned)f->hcap - 1;
	k = child_hash(parent, name) & mask;
	for (; f->hash[k] >= 0; k = (k + 1) & mask) {
		struct flame_node *c = &f->n[f->hash[k]];
		if (c->parent == parent && !strcmp(c->name, name))
			return f->hash[k];
	}
	int i = flame_append(f, parent, name, cls);
	if (i >= 0) {
		f->hash[k] = i;
		f->n[i].hashed = 1;
	}
	return i;
}

/* Weights are inclusive: a node's value includes its children's. */
void flame_add(struct flame *f, int node, uint64_t value, uint64_t value_b,
	       uint64_t cycles, uint64_t traps)
{
	for (; node >= 0; node = f->n[node].parent) {
		f->n[node].value += value;
		f->n[node].value_b += value_b;
		f->n[node].cycles += cycles;
		f->n[node].traps += traps;
	}
}

/* The first text given for a node is kept: later ones say the same. */
int flame_detail(struct flame *f, int node, int b, const char *text)
{
	char **d = b ? &f->n[node].detail_b : &f->n[node].detail;

	if (*d)
		return 0;
	*d = strdup(text);
	return *d ? 0 : -1;
}

/* Fates are strings from the model; the picture colours four of them. */
enum flame_class flame_fate_class(const char *fate)
{
	static const struct { const char *prefix; enum flame_class cls; } fates[] = {
		{ "trap", FC_TRAP }, { "mem", FC_MEMORY }, { "vncr", FC_MEMORY },
		{ "redirect", FC_REDIRECT }, { "native", FC_NATIVE },
	};
	for (size_t i = 0; fate && i < sizeof(fates) / sizeof(fates[0]); i++)
		if (!strncmp(fate, fates[i].prefix, strlen(fates[i].prefix)))
			return fates[i].cls;
	return FC_OTHER;
}

/* Relink the root's children in descending weight (insertion sort: few kinds). */
void flame_sort_root(struct flame *f)
{
	int sorted = -1;

	for (int c = f->n[0].first; c >= 0;) {
		int next = f->n[c].next, *pp = &sorted;
		while (*pp >= 0 && f->n[*pp].value >= f->n[c].value)
			pp = &f->n[*pp].next;
		f->n[c].next = *pp;
		*pp = c;
		c = next;
	}
	f->n[0].first = sorted;
	f->n[0].last = -1;
	for (int c = sorted; c >= 0; c = f->n[c].next)
		f->n[0].last = c;
}

/* XML text and attribute escaping (also drops control characters). */
void xml_escape(FILE *out, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&': fputs("&amp;", out); break;
		case '<': fputs("&lt;", out); break;
		case '>': fputs("&gt;", out); break;
		case '"': fputs("&quot;", out); break;
		case '\'': fputs("&#39;", out); break;
		default:
			if ((unsigned char)*s >= 0x20 || *s == '\n')
				fputc(*s, out);
		}
	}
}

/*
 * One name for a vCPU in every chart and export lane, as every command names
 * it: its index (order of first exit) and its thread id.
 */
void flame_lane_name(char *buf, size_t len, int index, int vcpu)
{
	if (vcpu >= 0)
		snprintf(buf, len, "vCPU %d (tid %d)", index, vcpu);
	else
		snprintf(buf, len, "vCPU %d (tid ?)", index);
}
