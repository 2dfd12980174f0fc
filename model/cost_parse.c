/*
 * Cost tables as text: nv_cost_format writes a table, nv_cost_parse reads
 * one (a user's own platform).  Format, one item per line, '#' comments:
 *   cost NAME
 *   describe TEXT...          host TEXT...
 *   l0 vhe|nvhe               nv2 yes|no
 *   param NAME CYCLES PROVENANCE SOURCE...
 *   handler NAME CYCLES PROVENANCE SOURCE...
 *   block NAME CYCLES PROVENANCE SOURCE...
 * Every param and every required block must be there; handlers not given
 * cost 0.  PROVENANCE: measured, derived, fitted, assumed, placeholder.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "model/cost_tables.h"
#include "model/text_token.h"

/* Blocks the built-in profiles and sub-models name (the one list of them,
 * model/cost_tables.h): a table without one cannot cost them. */
static const char *const required_blocks[] = {
#define REQUIRED(n, v, p, w, v2, p2, w2) #n,
	NV_COST_BLOCKS(REQUIRED)
#undef REQUIRED
};
#define NREQ ((int)(sizeof(required_blocks) / sizeof(required_blocks[0])))

const char *nv_cost_required_block(int i) { return i >= 0 && i < NREQ ? required_blocks[i] : NULL; }

/* A parsed table owns its strings, blocks and notes in one struct. */
struct owned_cost {
	struct nv_cost c;	/* first: nv_cost_free casts back */
	char *text;		/* the input, cut into strings in place */
	struct nv_cost_block *blocks;
	struct nv_cost_note *notes;
};

void nv_cost_free(struct nv_cost *c)
{
	struct owned_cost *o = (struct owned_cost *)c;

	if (!o)
		return;
	free(o->text);
	free(o->blocks);
	free(o->notes);
	free(o);
}

static int fail(char *err, size_t len, const char *origin, int line, const char *what, const char *arg)
{
	snprintf(err, len, "%s:%d: %s%s%s%s", origin, line, what, arg ? " '" : "", arg ? arg : "",
		 arg ? "'" : "");
	return -1;
}


/* The rest of a line, trimmed; "" if empty. */
static char *rest(char *s)
{
	char *r = nv_text_rest(s);
	return r ? r : s + strlen(s);
}

/* "param|handler|block NAME CYCLES PROV SOURCE": store the value and its note. */
static int parse_const(struct owned_cost *o, const char *group, char *s, uint8_t *seen,
		       const char *origin, int line, char *err, size_t len)
{
	char *name = nv_text_token(&s), *num = nv_text_token(&s), *prov = nv_text_token(&s), *end;
	long v;
	int pv;

	if (!name || !num || !prov)
		return fail(err, len, origin, line, "expected NAME CYCLES PROVENANCE SOURCE after", group);
	v = strtol(num, &end, 10);
	if (*end || v < 0 || v > 100000000)
		return fail(err, len, origin, line, "cycles must be a number 0..100000000, not", num);
	if ((pv = nv_prov_from_name(prov)) < 0)
		return fail(err, len, origin, line, "provenance must be measured, derived, fitted, assumed or placeholder, not", prov);
	if (!strcmp(group, "param")) {
		int i;
		for (i = 0; i < nv_cost_scalar_count() && strcmp(nv_cost_scalar_name(i), name); i++)
			;
		if (i == nv_cost_scalar_count())
			return fail(err, len, origin, line, "unknown param", name);
		*nv_cost_scalar_ptr(&o->c, i) = (uint32_t)v;
		seen[i] = 1;
	} else if (!strcmp(group, "handler")) {
		int h;
		for (h = 1; h < NV_H__COUNT && strcmp(nv_handler_name((enum nv_handler)h), name); h++)
			;
		if (h == NV_H__COUNT)
			return fail(err, len, origin, line, "unknown handler", name);
		o->c.handler[h] = (uint32_t)v;
	} else {
		for (uint32_t i = 0; i < o->c.nblocks; i++)
			if (!strcmp(o->blocks[i].name, name))
				return fail(err, len, origin, line, "block given twice:", name);
		o->blocks[o->c.nblocks++] = (struct nv_cost_block){ name, (uint32_t)v };
	}
	o->notes[o->c.nnotes++] = (struct nv_cost_note){ group, name, (uint8_t)pv, rest(s) };
	return 0;
}

int nv_cost_parse(const char *text, size_t len, const char *origin, struct nv_cost **out,
		  char *err, size_t errlen)
{
	struct owned_cost *o = calloc(1, sizeof(*o));
	uint8_t seen[64] = { 0 };
	size_t lines = 1;
	char *s, *next;
	int line = 0;

	*out = NULL;
	for (size_t i = 0; i < len; i++)
		lines += text[i] == '\n';
	if (!o || !(o->text = malloc(len + 1)) || !(o->blocks = calloc(lines, sizeof(*o->blocks))) ||
	    !(o->notes = calloc(lines, sizeof(*o->notes)))) {
		nv_cost_free(&o->c);
		snprintf(err, errlen, "%s: out of memory", origin);
		return -1;
	}
	if (memchr(text, 0, len)) {
		nv_cost_free(&o->c);
		snprintf(err, errlen, "%s: a NUL byte in a cost table", origin);
		return -1;
	}
	memcpy(o->text, text, len);
	o->text[len] = 0;
	o->c.blocks = o->blocks;
	o->c.notes = o->notes;
	for (s = o->text; s; s = next) {
		char *kw;
		int rc = 0;

		line++;
		next = strchr(s, '\n');
		if (next)
			*next++ = 0;
		if (!(kw = nv_text_token(&s)) || kw[0] == '#') {
			continue;
		} else if (!strcmp(kw, "cost")) {
			o->c.name = nv_text_token(&s);
			if (!o->c.name)
				rc = fail(err, errlen, origin, line, "cost needs a NAME", NULL);
		} else if (!strcmp(kw, "describe")) {
			o->c.desc = rest(s);
		} else if (!strcmp(kw, "host")) {
			o->c.host = rest(s);
		} else if (!strcmp(kw, "l0") || !strcmp(kw, "nv2")) {
			char *v = nv_text_token(&s);
			int is_l0 = kw[0] == 'l';
			const char *yes = is_l0 ? "vhe" : "yes", *no = is_l0 ? "nvhe" : "no";
			if (!v || (strcmp(v, yes) && strcmp(v, no)))
				rc = fail(err, errlen, origin, line, is_l0 ? "l0 must be vhe or nvhe, not" : "nv2 must be yes or no, not", v ? v : "");
			else if (is_l0)
				o->c.l0_vhe = !strcmp(v, yes);
			else
				o->c.nv2_host = !strcmp(v, yes);
		} else if (!strcmp(kw, "param") || !strcmp(kw, "handler") || !strcmp(kw, "block")) {
			rc = parse_const(o, !strcmp(kw, "param") ? "param" : !strcmp(kw, "handler") ? "handler" : "block",
					 s, seen, origin, line, err, errlen);
		} else {
			rc = fail(err, errlen, origin, line, "unknown keyword", kw);
		}
		if (rc) {
			nv_cost_free(&o->c);
			return -1;
		}
	}
	if (!o->c.name) {
		nv_cost_free(&o->c);
		return fail(err, errlen, origin, 1, "no 'cost NAME' line", NULL);
	}
	for (int i = 0; i < nv_cost_scalar_count(); i++)
		if (!seen[i]) {
			snprintf(err, errlen, "%s: cost table '%s' has no param %s", origin, o->c.name,
				 nv_cost_scalar_name(i));
			nv_cost_free(&o->c);
			return -1;
		}
	for (int i = 0; i < NREQ; i++)
		if (!nv_cost_has_block(&o->c, required_blocks[i])) {
			snprintf(err, errlen, "%s: cost table '%s' has no block %s (the built-in profiles use it)",
				 origin, o->c.name, required_blocks[i]);
			nv_cost_free(&o->c);
			return -1;
		}
	if (!o->c.desc)
		o->c.desc = "";
	*out = &o->c;
	return 0;
}

size_t nv_cost_format(const struct nv_cost *c, char *buf, size_t len)
{
	size_t at = 0;
	struct nv_cost_const k;
	int n;

	if (len)
		buf[0] = 0;
	n = snprintf(buf, len, "cost %s\ndescribe %s\nhost %s\nl0 %s\nnv2 %s\n", c->name, c->desc,
		     nv_cost_host(c), c->l0_vhe ? "vhe" : "nvhe", c->nv2_host ? "yes" : "no");
	at += n > 0 ? (size_t)n : 0;
	for (int i = 0; !nv_cost_const_at(c, i, &k); i++) {
		size_t room = at < len ? len - at : 0;
		n = snprintf(room ? buf + at : NULL, room, "%s %s %u %s %s\n", k.group, k.name, k.value,
			     nv_prov_name(k.prov), k.source);
		at += n > 0 ? (size_t)n : 0;
	}
	return at;
}
