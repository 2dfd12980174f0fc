/*
 * Guest-hypervisor profiles: a small line-oriented text format (see
 * docs/usage-model.md "Profile format") parsed from a string.  The parser
 * only builds statements; options are applied when a model expands a path
 * (model/model.c), so one parsed profile serves any option setting.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "model/model_int.h"
#include "model/text_token.h"

#define MAX_ALIASES 16

struct parser {
	struct nv_profile *p;
	const char *origin;
	char *err;
	size_t errlen;
	int line;
	struct nv_block *cur;		/* open seq/path, NULL at top level */
	char *alias[MAX_ALIASES][2];	/* "source NL soccertack/nesting-linaro" */
	int naliases;
};

static const struct { const char *kw; enum nv_op_kind kind; int has_arg; } op_words[] = {
	{ "mrs", NV_OP_MRS, 1 },       { "msr", NV_OP_MSR, 1 },       { "eret", NV_OP_ERET, 0 },
	{ "hvc", NV_OP_HVC, 0 },       { "smc", NV_OP_SMC, 0 },       { "tlbi", NV_OP_TLBI, 1 },
	{ "at", NV_OP_AT, 1 },         { "mmio-r", NV_OP_MMIO_R, 1 }, { "mmio-w", NV_OP_MMIO_W, 1 },
	{ "exc", NV_OP_EXC, 0 },       { "native", NV_OP_NATIVE, 1 }, { "mem", NV_OP_MEM, 0 },
	{ "call", NV_OP_CALL, 1 },
};

/*
 * Text quoted from the file in a message ('...') stays only when it looks
 * like a profile word: any file may be given as a profile, and its contents
 * (a password file's first line) must not be echoed; others read '(text)'.
 */
static void redact_quotes(const char *msg, char *out, size_t n)
{
	size_t o = 0;
	while (*msg && o + 1 < n) {
		const char *e = *msg == '\'' ? strchr(msg + 1, '\'') : NULL;
		int word = e && e - msg <= 41;
		for (const char *c = msg + 1; word && c < e; c++)
			word = isalnum((unsigned char)*c) || strchr("_.- :|>=!@[]", *c);	/* variant signatures too */
		if (e && !word) {
			o += (size_t)snprintf(out + o, n - o, "'(text)'");
			msg = e + 1;
		} else {
			size_t len = e ? (size_t)(e - msg) + 1 : 1;
			for (size_t i = 0; i < len && o + 1 < n; i++)
				out[o++] = msg[i];
			msg += len;
		}
		if (o >= n)
			o = n - 1;
	}
	out[o] = 0;
}

/* Record a parse error "origin:line: message"; returns -1 for the caller. */
static int fail(struct parser *ps, const char *fmt, ...)
{
	char raw[256], msg[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(raw, sizeof raw, fmt, ap);
	va_end(ap);
	redact_quotes(raw, msg, sizeof msg);
	if (ps->err && ps->errlen)
		snprintf(ps->err, ps->errlen, "%s:%d: %s", ps->origin, ps->line, msg);
	return -1;
}

/* Copy of the first n bytes of s, NUL-terminated (NULL if out of memory). */
static char *dupn(const char *s, size_t n)
{
	char *d = malloc(n + 1);
	if (d) {
		memcpy(d, s, n);
		d[n] = 0;
	}
	return d;
}

/* strdup() without needing POSIX feature macros (the model builds as plain C11). */
static char *copy_str(const char *s)
{
	return dupn(s, strlen(s));
}

/* Next whitespace-separated token of *s, or NULL (model/text_token.c). */
static char *token(char **s) { return nv_text_token(s); }

/* The rest of a line, trimmed; NULL if empty. */
static char *rest(char *s) { return nv_text_rest(s); }

/* A new zeroed statement at the end of the open block. */
static struct nv_stmt *new_stmt(struct parser *ps, enum nv_stmt_type type)
{
	struct nv_block *b = ps->cur;
	if (b->n == b->cap) {
		int cap = b->cap ? 2 * b->cap : 32;
		struct nv_stmt *st = realloc(b->st, cap * sizeof *st);
		if (!st)
			return NULL;
		b->st = st;
		b->cap = cap;
	}
	struct nv_stmt *s = &b->st[b->n++];
	memset(s, 0, sizeof *s);
	s->type = type;
	s->line = ps->line;
	return s;
}

/* Index of an option by name, -1 if not declared. */
static int find_option(const struct nv_profile *p, const char *name)
{
	for (int i = 0; name && i < p->nopt; i++)
		if (!strcasecmp(p->opt[i].name, name))
			return i;
	return -1;
}

/* Index of a variant by name, -1 if not declared. */
int nv_profile_variant_find(const struct nv_profile *p, const char *name)
{
	for (int i = 0; name && i < p->nvar; i++)
		if (!strcasecmp(p->var[i].name, name))
			return i;
	return -1;
}

/* An option or a variant: what "if" and "x" may name. */
static int known_switch(const struct nv_profile *p, const char *name)
{
	return find_option(p, name) >= 0 || nv_profile_variant_find(p, name) >= 0;
}

/* Exception classes a signature may name (ESR_ELx_EC_* of arch/arm64/include/asm/esr.h). */
static const struct { const char *name; int ec; } sig_ecs[] = {
	{ "WFX", 0x01 }, { "HVC", 0x16 }, { "SMC", 0x17 }, { "ERET", 0x1a },
	{ "IABT", 0x20 }, { "DABT", 0x24 },
};

/*
 * One signature term: [!]REGISTER[:r|:w][>=N] or [!]EC[>=N] (WFX HVC SMC ERET
 * IABT DABT): observed at least N times (default 1); with '!', fewer.
 */
static int parse_sig(struct parser *ps, char *t, struct nv_sig *g)
{
	memset(g, 0, sizeof *g);
	g->neg = t[0] == '!';
	t += g->neg;
	g->dir = -1;
	g->min = 1;
	char *ge = strstr(t, ">=");
	if (ge) {
		char *end;
		long n = strtol(ge + 2, &end, 10);
		if (*end || n < 1 || n > 64)
			return fail(ps, "bad variant signature '%s' (want TRAP>=N, N 1..64)", t);
		g->min = (uint8_t)n;
		*ge = 0;
	}
	char *colon = strchr(t, ':');
	if (colon) {
		if (!strcmp(colon, ":r"))
			g->dir = 0;
		else if (!strcmp(colon, ":w"))
			g->dir = 1;
		else
			return fail(ps, "bad variant signature '%s' (want REGISTER[:r|:w] or an EC)", t);
		*colon = 0;
	}
	for (size_t i = 0; i < sizeof(sig_ecs) / sizeof(sig_ecs[0]); i++)
		if (!strcasecmp(t, sig_ecs[i].name)) {
			if (colon)
				return fail(ps, "bad variant signature '%s:': an EC has no direction", t);
			g->reg = -1;
			g->ec = (int16_t)sig_ecs[i].ec;
			return 0;
		}
	int r = nv_sysreg_by_name(t);
	if (r < 0)
		return fail(ps, "bad variant signature: unknown register or EC '%s'", t);
	g->reg = (int16_t)r;
	g->ec = 0x18;
	return 0;
}

/*
 * "variant NAME when SIG..." (value 1 when every term holds) or
 * "variant NAME count SIG [minus N]" (value = occurrences - N, at least 0),
 * then ": why".  Declared before the paths that read it.
 */
static int parse_variant(struct parser *ps, char *name, char *line)
{
	struct nv_profile *p = ps->p;
	if (!line)
		return fail(ps, "variant %s needs 'when SIGNATURE' or 'count TRAP'", name);
	if (p->nvar == NV_VARIANT_MAX)
		return fail(ps, "too many variants (at most %d)", NV_VARIANT_MAX);
	if (known_switch(p, name))
		return fail(ps, "variant '%s' declared twice (or named like an option)", name);
	char *why = strstr(line, " : ");
	if (why)
		*why = 0, why = rest(why + 3);
	struct nv_variant *v = &p->var[p->nvar];
	memset(v, 0, sizeof *v);
	char *text = rest(line);
	v->text = copy_str(text ? text : "");
	v->name = copy_str(name);
	v->why = copy_str(why ? why : "");
	p->nvar++;
	char *mode = token(&line), *t;
	if (!mode || (strcmp(mode, "when") && strcmp(mode, "count")))
		return fail(ps, "variant %s needs 'when SIGNATURE' or 'count TRAP'", name);
	v->counted = !strcmp(mode, "count");
	int group = 0;
	while ((t = token(&line))) {
		if (!strcmp(t, "else")) {	/* "else @userspace|@block": no traps observed */
			char *e = token(&line);
			if (e && !strcmp(e, "@userspace"))
				v->ev_else = NV_OBS_EV_USERSPACE;
			else if (e && !strcmp(e, "@block"))
				v->ev_else = NV_OBS_EV_BLOCK;
			if (!v->ev_else || token(&line))
				return fail(ps, "bad variant signature: want 'else @userspace' or 'else @block' at the end");
			break;
		}
		if (!strcmp(t, "|") && !v->counted) {
			if (!v->nsig || v->sig[v->nsig - 1].group != group)
				return fail(ps, "bad variant signature: '|' needs a term on each side");
			group++;
			continue;
		}
		if (v->counted && v->nsig == 1) {
			char *n = token(&line), *end;
			long k = n ? strtol(n, &end, 10) : -1;
			if (strcmp(t, "minus") || !n || *end || k < 0 || k > 64 || token(&line))
				return fail(ps, "bad variant signature: want 'count TRAP [minus N]'");
			v->minus = (int)k;
			break;
		}
		if (v->nsig == NV_SIG_MAX)
			return fail(ps, "bad variant signature: at most %d terms", NV_SIG_MAX);
		if (parse_sig(ps, t, &v->sig[v->nsig]))
			return -1;
		v->sig[v->nsig].group = (uint8_t)group;
		if (v->counted && v->sig[v->nsig].neg)
			return fail(ps, "bad variant signature: 'count' takes a trap, not '!'");
		v->nsig++;
	}
	if (!v->nsig || v->sig[v->nsig - 1].group != group)
		return fail(ps, "bad variant signature: variant %s names no trap%s", name,
			    v->nsig ? " after '|'" : "");
	return 0;
}

/* "on"/"off"/integer -> value; -1 on a bad value. */
static int parse_value(const char *v, int *out)
{
	if (!strcasecmp(v, "on") || !strcasecmp(v, "yes"))
		return *out = 1, 0;
	if (!strcasecmp(v, "off") || !strcasecmp(v, "no"))
		return *out = 0, 0;
	char *end;
	long n = strtol(v, &end, 10);
	if (*end || n < 0 || n > 64)
		return -1;
	*out = (int)n;
	return 0;
}

/* Check a register name of an op ('#' stands for the repeat index 0..). */
static int check_reg(struct parser *ps, const char *reg)
{
	char buf[64];
	snprintf(buf, sizeof buf, "%s", reg);
	char *h = strchr(buf, '#');
	if (h)
		*h = '0';
	if (nv_sysreg_by_name(buf) < 0)
		return fail(ps, "unknown register '%s'", reg);
	return 0;
}

/* One op line: KIND [ARG] [if [!]OPT] [x OPT] [: TEXT]. */
static int parse_op(struct parser *ps, int w, char *line)
{
	char *text = line + strspn(line, " \t");
	if (*text == ':' && (text[1] == ' ' || !text[1]))
		*text = 0, text = rest(text + 1);	/* "eret : text" */
	else if ((text = strstr(line, " : ")))
		*text = 0, text = rest(text + 3);
	struct nv_stmt *s = new_stmt(ps, NV_ST_OP);
	if (!s)
		return fail(ps, "out of memory");
	s->op_kind = op_words[w].kind;
	char *t;
	if (op_words[w].has_arg) {
		if (!(t = token(&line)))
			return fail(ps, "'%s' needs an argument", op_words[w].kw);
		int is_reg = s->op_kind != NV_OP_NATIVE && s->op_kind != NV_OP_CALL;
		if (is_reg && check_reg(ps, t))
			return -1;
		if (s->op_kind == NV_OP_CALL && !strchr(t, '.'))
			return fail(ps, "call target must be SUBMODEL.STEP, not '%s'", t);
		if (!(*(is_reg ? &s->reg : &s->name) = copy_str(t)))
			return fail(ps, "out of memory");
	}
	while ((t = token(&line))) {
		char *o = token(&line);
		if (!o)
			return fail(ps, "'%s' needs an option name", t);
		if (!strcmp(t, "if")) {
			s->cond_neg = o[0] == '!';
			s->cond = copy_str(o + s->cond_neg);
			if (!known_switch(ps->p, s->cond))
				return fail(ps, "unknown option '%s' (declare it with 'option' first)",
					    s->cond);
		} else if (!strcmp(t, "x")) {
			s->repeat = copy_str(o);
			if (!known_switch(ps->p, o))
				return fail(ps, "unknown option '%s' (declare it with 'option' first)",
					    o);
		} else {
			return fail(ps, "unexpected '%s' (want 'if OPTION', 'x OPTION' or ': text')", t);
		}
	}
	if (text && !(s->text = copy_str(text)))
		return fail(ps, "out of memory");
	return 0;
}

/* Expand "NL:path" with a declared source alias. */
static char *expand_src(struct parser *ps, const char *src)
{
	const char *colon = strchr(src, ':');
	for (int i = 0; colon && i < ps->naliases; i++) {
		if (strlen(ps->alias[i][0]) == (size_t)(colon - src) &&
		    !strncmp(ps->alias[i][0], src, colon - src)) {
			size_t n = strlen(ps->alias[i][1]) + strlen(colon) + 1;
			char *d = malloc(n);
			if (d)
				snprintf(d, n, "%s%s", ps->alias[i][1], colon);
			return d;
		}
	}
	return copy_str(src);
}

/* Start a "path KIND" or "seq NAME" block (each name once). */
static struct nv_block *open_block(struct parser *ps, const char *what, char *name)
{
	struct nv_profile *p = ps->p;
	if (!strcmp(what, "path")) {
		int k = nv_exit_kind_from_name(name);
		if (k < 0) {
			fail(ps, "unknown exit kind '%s'", name);
			return NULL;
		}
		if (p->has_path[k]) {
			fail(ps, "path '%s' defined twice", name);
			return NULL;
		}
		p->has_path[k] = 1;
		p->path[k].name = copy_str(name);
		return &p->path[k];
	}
	for (int i = 0; i < p->nseq; i++)
		if (!strcmp(p->seq[i].name, name)) {
			fail(ps, "seq '%s' defined twice", name);
			return NULL;
		}
	struct nv_block *seq = realloc(p->seq, (p->nseq + 1) * sizeof *seq);
	if (!seq) {
		fail(ps, "out of memory");
		return NULL;
	}
	p->seq = seq;
	memset(&seq[p->nseq], 0, sizeof seq[0]);
	seq[p->nseq].name = copy_str(name);
	return &seq[p->nseq++];
}

/* Top-level directives and the statements inside seq/path blocks. */
static int parse_line(struct parser *ps, char *line)
{
	struct nv_profile *p = ps->p;
	char *word = token(&line);
	if (!word)
		return 0;
	if (ps->cur) {
		if (!strcmp(word, "end"))
			return ps->cur = NULL, 0;
		for (size_t w = 0; w < sizeof(op_words) / sizeof(op_words[0]); w++)
			if (!strcmp(word, op_words[w].kw))
				return parse_op(ps, (int)w, line);
		char *a = token(&line), *b = rest(line);
		if (!a)
			return fail(ps, "'%s' needs an argument", word);
		struct nv_stmt *s;
		if (!strcmp(word, "phase")) {
			if (!(s = new_stmt(ps, NV_ST_PHASE)))
				return fail(ps, "out of memory");
			for (s->phase = 0; s->phase < NV_PHASE__COUNT; s->phase++)
				if (!strcmp(nv_phase_name(s->phase), a))
					return 0;
			return fail(ps, "unknown phase '%s' (exit, handle, entry)", a);
		}
		if (!strcmp(word, "fn")) {
			if (!(s = new_stmt(ps, NV_ST_FN)))
				return fail(ps, "out of memory");
			s->name = copy_str(a);
			s->src = b ? expand_src(ps, b) : NULL;
			return 0;
		}
		if (!strcmp(word, "use")) {
			if (!(s = new_stmt(ps, NV_ST_USE)))
				return fail(ps, "out of memory");
			s->name = copy_str(a);
			/* "use SEQ [if [!]OPTION] [x OPTION]" */
			for (char *kw; b && (kw = token(&b));) {
				char *o = token(&b);
				if ((strcmp(kw, "if") && strcmp(kw, "x")) || !o)
					return fail(ps, "unexpected '%s' after use (want 'if OPTION' or 'x OPTION')",
						    kw);
				int neg = kw[0] == 'i' && o[0] == '!';
				char **dst = kw[0] == 'i' ? &s->cond : &s->repeat;
				s->cond_neg |= neg;
				*dst = copy_str(o + neg);
				if (!known_switch(ps->p, *dst))
					return fail(ps, "unknown option '%s' (declare it with 'option' first)",
						    *dst);
			}
			return 0;
		}
		return fail(ps, "unknown statement '%s'", word);
	}
	char *arg = token(&line), *tail = rest(line);
	if (!arg)
		return fail(ps, "'%s' needs an argument", word);
	if (!strcmp(word, "profile")) {
		free(p->name);
		p->name = copy_str(arg);
	} else if (!strcmp(word, "describe")) {
		size_t n = strlen(arg) + (tail ? strlen(tail) + 1 : 0) + 1;
		free(p->desc);
		if ((p->desc = malloc(n)))
			snprintf(p->desc, n, "%s%s%s", arg, tail ? " " : "", tail ? tail : "");
	} else if (!strcmp(word, "mode")) {
		if (strcmp(arg, "vhe") && strcmp(arg, "nvhe"))
			return fail(ps, "mode must be vhe or nvhe, not '%s'", arg);
		p->vhe = !strcmp(arg, "vhe");
	} else if (!strcmp(word, "variant")) {
		return parse_variant(ps, arg, tail);
	} else if (!strcmp(word, "variants")) {	/* "variants exhaustive [: WHY]" */
		if (strcmp(arg, "exhaustive") || (tail && tail[0] != ':'))
			return fail(ps, "want 'variants exhaustive', not 'variants %s'", arg);
		p->exhaustive = 1;
	} else if (!strcmp(word, "gic")) {
		if (strcmp(arg, "v2") && strcmp(arg, "v3"))
			return fail(ps, "gic must be v2 or v3, not '%s'", arg);
		p->gic = arg[1] == '2' ? 2 : 3;
	} else if (!strcmp(word, "option")) {
		char *v = tail ? token(&tail) : NULL;
		int value;
		if (!v || parse_value(v, &value))
			return fail(ps, "option %s needs a value (on, off or 0..64)", arg);
		if (known_switch(p, arg))
			return fail(ps, "option '%s' declared twice (or named like a variant)", arg);
		struct nv_option *o = realloc(p->opt, (p->nopt + 1) * sizeof *o);
		if (!o)
			return fail(ps, "out of memory");
		p->opt = o;
		o[p->nopt].name = copy_str(arg);
		o[p->nopt].why = copy_str(tail && rest(tail) ? rest(tail) : "");
		o[p->nopt++].value = value;
	} else if (!strcmp(word, "source")) {
		if (!tail || ps->naliases == MAX_ALIASES)
			return fail(ps, "source needs ALIAS REPOSITORY (at most %d)", MAX_ALIASES);
		ps->alias[ps->naliases][0] = copy_str(arg);
		ps->alias[ps->naliases++][1] = copy_str(tail);
	} else if (!strcmp(word, "seq") || !strcmp(word, "path")) {
		if (!(ps->cur = open_block(ps, word, arg)))
			return -1;
	} else {
		return fail(ps, "unknown directive '%s'", word);
	}
	return 0;
}

/* Mark the variants a block reads ("if"/"x", through its seqs too) as used by kind k. */
static void mark_variants(struct nv_profile *p, const struct nv_block *b, int k, int depth)
{
	for (int i = 0; i < b->n && depth < 8; i++) {
		const struct nv_stmt *st = &b->st[i];
		int v = nv_profile_variant_find(p, st->cond);
		if (v >= 0)
			p->var_used[k][v] = 1;
		if ((v = nv_profile_variant_find(p, st->repeat)) >= 0)
			p->var_used[k][v] = 1;
		if (st->type == NV_ST_USE)
			for (int j = 0; j < p->nseq; j++)
				if (!strcmp(p->seq[j].name, st->name))
					mark_variants(p, &p->seq[j], k, depth + 1);
	}
}

/* Every "use" names a defined seq (checked once the whole text is read). */
static int check_uses(struct parser *ps, const struct nv_block *b)
{
	for (int i = 0; i < b->n; i++) {
		if (b->st[i].type != NV_ST_USE)
			continue;
		int found = 0;
		for (int j = 0; j < ps->p->nseq; j++)
			found |= !strcmp(ps->p->seq[j].name, b->st[i].name);
		if (!found) {
			ps->line = b->st[i].line;
			return fail(ps, "use of undefined seq '%s'", b->st[i].name);
		}
	}
	return 0;
}

int nv_profile_parse(const char *text, size_t len, const char *origin,
		     struct nv_profile **out, char *err, size_t errlen)
{
	struct parser ps = { .origin = origin ? origin : "profile", .err = err, .errlen = errlen };
	*out = NULL;
	if (!(ps.p = calloc(1, sizeof *ps.p)))
		return fail(&ps, "out of memory");
	int rc = 0;
	const char *s = text, *end = text + len;
	while (s < end && !rc) {
		const char *nl = memchr(s, '\n', end - s);
		size_t n = nl ? (size_t)(nl - s) : (size_t)(end - s);
		ps.line++;
		char *line = dupn(s, n);
		if (!line) {
			rc = fail(&ps, "out of memory");
			break;
		}
		/* Whole-line comments only: '#' also appears in instructions
		 * ("hvc #0") and in repeated register names ("GICH_LR#"). */
		if (strlen(line) != n)
			rc = fail(&ps, "NUL byte in profile text");
		else if (line[strspn(line, " \t")] != '#')
			rc = parse_line(&ps, line);
		free(line);
		s = nl ? nl + 1 : end;
	}
	if (!rc && ps.cur)
		rc = fail(&ps, "missing 'end' of '%s'", ps.cur->name);
	if (!rc && !ps.p->name)
		rc = fail(&ps, "missing 'profile NAME'");
	for (int k = 0; !rc && k < NV_EXIT__COUNT; k++)
		rc = check_uses(&ps, &ps.p->path[k]);
	for (int i = 0; !rc && i < ps.p->nseq; i++)
		rc = check_uses(&ps, &ps.p->seq[i]);
	for (int k = 0; !rc && k < NV_EXIT__COUNT; k++)
		mark_variants(ps.p, &ps.p->path[k], k, 0);
	for (int i = 0; i < ps.naliases; i++)
		free(ps.alias[i][0]), free(ps.alias[i][1]);
	if (rc) {
		nv_profile_free(ps.p);
		return -1;
	}
	*out = ps.p;
	return 0;
}

/* Free a block and its statements. */
static void free_block(struct nv_block *b)
{
	for (int i = 0; i < b->n; i++) {
		struct nv_stmt *s = &b->st[i];
		free(s->reg), free(s->name), free(s->src), free(s->cond), free(s->repeat), free(s->text);
	}
	free(b->st);
	free(b->name);
}

/* Free a parsed profile (models built on it must be freed first). */
void nv_profile_free(struct nv_profile *p)
{
	if (!p)
		return;
	for (int i = 0; i < p->nopt; i++)
		free(p->opt[i].name), free(p->opt[i].why);
	free(p->opt);
	for (int i = 0; i < p->nvar; i++)
		free(p->var[i].name), free(p->var[i].why), free(p->var[i].text);
	for (int i = 0; i < p->nseq; i++)
		free_block(&p->seq[i]);
	free(p->seq);
	for (int k = 0; k < NV_EXIT__COUNT; k++)
		free_block(&p->path[k]);
	free(p->name);
	free(p->desc);
	free(p);
}

const char *nv_profile_name(const struct nv_profile *p) { return p->name; }
const char *nv_profile_desc(const struct nv_profile *p) { return p->desc ? p->desc : ""; }
int nv_profile_option_count(const struct nv_profile *p) { return p->nopt; }

/* Name of the i-th option, NULL past the end. */
const char *nv_profile_option_name(const struct nv_profile *p, int i)
{
	return i >= 0 && i < p->nopt ? p->opt[i].name : NULL;
}

/* Justification text of the i-th option. */
const char *nv_profile_option_why(const struct nv_profile *p, int i)
{
	return i >= 0 && i < p->nopt ? p->opt[i].why : NULL;
}

/* Current value of an option, -1 if unknown. */
int nv_profile_option_get(const struct nv_profile *p, const char *name)
{
	int i = find_option(p, name);
	return i < 0 ? -1 : p->opt[i].value;
}

/* Change an option (models built afterwards see it); -1 if unknown. */
int nv_profile_option_set(struct nv_profile *p, const char *name, int value)
{
	int i = find_option(p, name);
	if (i < 0 || value < 0)
		return -1;
	p->opt[i].value = value;
	return 0;
}

/* Whether the profile has a path for this exit kind. */
int nv_profile_has_kind(const struct nv_profile *p, enum nv_exit_kind k)
{
	return (unsigned)k < NV_EXIT__COUNT && p->has_path[k];
}

/* The GIC the guest hypervisor programs ("gic v2|v3"; v3 when not given). */
int nv_profile_gic(const struct nv_profile *p)
{
	return p && p->gic == 2 ? 2 : 3;
}

/*
 * The guest configuration the architectures read: E2H from "mode", L0's
 * optional trap controls from the options of the same names.
 */
struct nv_guest_cfg nv_profile_cfg(const struct nv_profile *p)
{
	static const struct { const char *opt; enum nv_trap_ctl ctl; } ctl_opts[] = {
		{ "tcpac", NV_CTL_TCPAC }, { "tacr", NV_CTL_TACR },
		{ "tda", NV_CTL_TDA },     { "tpm", NV_CTL_TPM },
	};
	struct nv_guest_cfg g = nv_guest_cfg_default();
	g.vhe = p->vhe;
	for (size_t i = 0; i < sizeof(ctl_opts) / sizeof(ctl_opts[0]); i++)
		if (nv_profile_option_get(p, ctl_opts[i].opt) > 0)
			g.ctl_on |= 1u << ctl_opts[i].ctl;
	g.elr_spsr_native = nv_profile_option_get(p, "nv1-elr-spsr") == 0;
	return g;
}

int nv_profile_variant_count(const struct nv_profile *p) { return p->nvar; }

/* See model.h: "variants exhaustive" was given. */
int nv_profile_variants_exhaustive(const struct nv_profile *p) { return p && p->exhaustive; }

/* See model.h: the word a signature term uses for an exception class. */
const char *nv_sig_ec_name(int ec)
{
	for (size_t i = 0; i < sizeof(sig_ecs) / sizeof(sig_ecs[0]); i++)
		if (sig_ecs[i].ec == ec)
			return sig_ecs[i].name;
	return NULL;
}

/* Name of the i-th variant, NULL past the end. */
const char *nv_profile_variant_name(const struct nv_profile *p, int i)
{
	return i >= 0 && i < p->nvar ? p->var[i].name : NULL;
}

/* Why the i-th variant exists (the KVM code it stands for). */
const char *nv_profile_variant_why(const struct nv_profile *p, int i)
{
	return i >= 0 && i < p->nvar ? p->var[i].why : NULL;
}

/* The signature of the i-th variant as written. */
const char *nv_profile_variant_sig(const struct nv_profile *p, int i)
{
	return i >= 0 && i < p->nvar ? p->var[i].text : NULL;
}

/* Whether an observed trap is the one a signature term names. */
static int sig_matches(const struct nv_sig *g, const struct nv_obs_trap *t)
{
	if (g->reg >= 0)
		return t->reg == g->reg && (g->dir < 0 || t->dir == g->dir);
	return t->ec == g->ec;
}

/* Occurrences of a term's trap among the observed ones. */
static int sig_count(const struct nv_sig *g, const struct nv_obs_trap *t, int n)
{
	int c = 0;
	for (int i = 0; i < n; i++)
		c += sig_matches(g, &t[i]);
	return c;
}

/* Whether kind k's path reads variant i (the others are left 0 for it). */
int nv_profile_variant_used(const struct nv_profile *p, enum nv_exit_kind k, int i)
{
	return (unsigned)k < NV_EXIT__COUNT && i >= 0 && i < p->nvar && p->var_used[k][i];
}

/* Each variant's value from one nested exit's observed traps. */
void nv_profile_variant_select(const struct nv_profile *p, enum nv_exit_kind k,
			       const struct nv_obs_trap *t, int n, uint32_t events,
			       struct nv_variant_sel *sel)
{
	memset(sel, 0, sizeof *sel);
	for (int i = 0; i < p->nvar; i++) {
		const struct nv_variant *v = &p->var[i];
		if (!nv_profile_variant_used(p, k, i))
			continue;
		if (!n) {	/* nothing observed: the events decide */
			sel->v[i] = (events & v->ev_else) != 0;
			continue;
		}
		if (v->counted) {
			int c = sig_count(&v->sig[0], t, n) - v->minus;
			sel->v[i] = (uint8_t)(c < 0 ? 0 : c > 64 ? 64 : c);
			continue;
		}
		/* (terms of group 0) or (terms of group 1) ... */
		int any = 0;
		for (int j = 0; j < v->nsig && !any;) {
			int grp = v->sig[j].group, ok = 1;
			for (; j < v->nsig && v->sig[j].group == grp; j++)
				ok &= (sig_count(&v->sig[j], t, n) >= v->sig[j].min) != v->sig[j].neg;
			any = ok;
		}
		sel->v[i] = (uint8_t)any;
	}
}

/* "plain" or "a+b*2": the variants with a value, in profile order. */
void nv_variant_label(const struct nv_profile *p, const struct nv_variant_sel *sel, char *buf,
		      size_t len)
{
	size_t o = 0;
	if (!len)
		return;
	buf[0] = 0;
	for (int i = 0; sel && i < p->nvar; i++) {
		if (!sel->v[i])
			continue;
		int w = sel->v[i] > 1 ? snprintf(buf + o, len - o, "%s%s*%d", o ? "+" : "",
						 p->var[i].name, sel->v[i])
				      : snprintf(buf + o, len - o, "%s%s", o ? "+" : "", p->var[i].name);
		if (w < 0 || (size_t)w >= len - o)
			return;
		o += (size_t)w;
	}
	if (!o)
		snprintf(buf, len, "plain");
}

/* Parse "plain" / "a+b*2" back into a selection; -1 with an unknown variant. */
int nv_variant_parse(const struct nv_profile *p, const char *label, struct nv_variant_sel *sel)
{
	char buf[256];
	memset(sel, 0, sizeof *sel);
	if (!label || !strcmp(label, "plain"))
		return 0;
	snprintf(buf, sizeof buf, "%s", label);
	for (char *t = buf, *next; t; t = next) {
		if ((next = strchr(t, '+')))
			*next++ = 0;
		char *star = strchr(t, '*');
		long n = 1;
		if (star) {
			char *end;
			*star = 0;
			n = strtol(star + 1, &end, 10);
			if (*end || n < 0 || n > 64)
				return -1;
		}
		int i = nv_profile_variant_find(p, t);
		if (i < 0)
			return -1;
		sel->v[i] = (uint8_t)n;
	}
	return 0;
}
