/* What-if edits of a profile and a model (see whatif.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "model/model_int.h"
#include "model/whatif.h"

static const char *const edit_names[] = {
#define X(id, name) name,
	NV_WHATIF_EDITS(X)
#undef X
};

/* The name of an edit type ("set", "vncr" ...). */
const char *nv_edit_type_name(enum nv_edit_type t)
{
	return (unsigned)t < NV_EDIT__COUNT ? edit_names[t] : "?";
}

/* An option value: on, off, or 0..64; -1 if not one. */
static int parse_value(const char *s)
{
	char *end = NULL;
	long v;
	if (!strcmp(s, "on"))
		return 1;
	if (!strcmp(s, "off"))
		return 0;
	v = strtol(s, &end, 10);
	return *s && end && !*end && v >= 0 && v <= 64 ? (int)v : -1;
}

/* See whatif.h. */
int nv_whatif_add(struct nv_whatif *w, enum nv_edit_type t, const char *arg,
		  char *err, size_t errlen)
{
	struct nv_edit e = { .type = (uint8_t)t };
	if (w->n == NV_WHATIF_MAX) {
		snprintf(err, errlen, "at most %d what-if edits", NV_WHATIF_MAX);
		return -1;
	}
	if (t == NV_EDIT_SET) {
		const char *eq = strchr(arg, '=');
		if (!eq || eq == arg || (size_t)(eq - arg) >= sizeof(e.name) ||
		    (e.value = parse_value(eq + 1)) < 0) {
			snprintf(err, errlen, "--set wants OPTION=VALUE (on, off or 0..64), not '%s'",
				 arg);
			return -1;
		}
		snprintf(e.name, sizeof(e.name), "%.*s", (int)(eq - arg), arg);
	} else {
		if (!*arg || strlen(arg) >= sizeof(e.name) || strpbrk(arg, " ,=")) {
			snprintf(err, errlen, "--%s wants a register name, not '%s'",
				 nv_edit_type_name(t), arg);
			return -1;
		}
		snprintf(e.name, sizeof(e.name), "%s", arg);
		for (char *c = e.name; *c; c++)
			if (*c >= 'a' && *c <= 'z')
				*c = (char)(*c - 'a' + 'A');
	}
	w->e[w->n++] = e;
	return 0;
}

/* Append name to a comma list once (bounded; "..." when full). */
static void list_add(char *buf, size_t len, const char *name)
{
	size_t n = strlen(buf), k = strlen(name);
	const char *p = buf;
	while ((p = strstr(p, name))) {
		if ((p == buf || p[-1] == ' ') && (p[k] == ',' || !p[k]))
			return;
		p += k;
	}
	if (n + k + 6 >= len) {
		if (n + 4 < len && !strstr(buf, "..."))
			strcat(buf, ", ...");
		return;
	}
	snprintf(buf + n, len - n, "%s%s", n ? ", " : "", name);
}

/* The register names a profile's paths and sequences use, as a list. */
static void profile_regs(const struct nv_profile *p, char *buf, size_t len)
{
	buf[0] = 0;
	for (int k = 0; k < NV_EXIT__COUNT + p->nseq; k++) {
		const struct nv_block *b = k < NV_EXIT__COUNT ? &p->path[k] : &p->seq[k - NV_EXIT__COUNT];
		for (int i = 0; i < b->n; i++)
			if (b->st[i].type == NV_ST_OP && b->st[i].reg && !strchr(b->st[i].reg, '#'))
				list_add(buf, len, b->st[i].reg);
	}
}

/* See whatif.h. */
int nv_whatif_apply_profile(const struct nv_whatif *w, struct nv_profile *p,
			    char *err, size_t errlen)
{
	char known[768];
	for (int i = 0; i < w->n; i++) {
		const struct nv_edit *e = &w->e[i];
		if (e->type == NV_EDIT_SET) {
			if (!nv_profile_option_set(p, e->name, e->value))
				continue;
			known[0] = 0;
			for (int o = 0; o < p->nopt; o++)
				list_add(known, sizeof(known), p->opt[o].name);
			snprintf(err, errlen, "unknown option '%s' in --set (profile %s has: %s)",
				 e->name, p->name, known);
			return -1;
		}
		if (nv_sysreg_by_name(e->name) >= 0)
			continue;
		profile_regs(p, known, sizeof(known));
		snprintf(err, errlen, "unknown register '%s' in --%s (profile %s uses: %s; "
			 "nvtrace regs lists all)", e->name, nv_edit_type_name(e->type), p->name, known);
		return -1;
	}
	return 0;
}

/* Change a cached fate when it is a trap. */
static void retarget(struct nv_fate_info *f, enum nv_fate fate, int target)
{
	if (f->fate != NV_FATE_TRAP)
		return;
	f->fate = fate;
	f->handler = NV_H_NONE;
	f->target = target;
}

/* See whatif.h. */
void nv_whatif_apply_model(const struct nv_whatif *w, struct nv_model *m)
{
	if (!m->arch->nested)
		return;
	for (int i = 0; i < w->n; i++) {
		const struct nv_edit *e = &w->e[i];
		int r = nv_sysreg_by_name(e->name);
		struct nv_fate_info *rd = m->reg_fate[NV_OP_MRS], *wr = m->reg_fate[NV_OP_MSR];
		if (e->type == NV_EDIT_SET || r < 0 || !rd || !wr)
			continue;
		const struct nv_sysreg *s = nv_sysreg_at(r);
		int el1 = s->el1_map ? nv_sysreg_by_name(s->el1_map) : -1;
		switch (e->type) {
		case NV_EDIT_VNCR:
			retarget(&rd[r], NV_FATE_MEMORY, -1);
			retarget(&wr[r], NV_FATE_MEMORY, -1);
			break;
		case NV_EDIT_REDIRECT:
			retarget(&rd[r], NV_FATE_REDIRECT, el1 >= 0 ? el1 : r);
			retarget(&wr[r], NV_FATE_REDIRECT, el1 >= 0 ? el1 : r);
			break;
		case NV_EDIT_CACHE:
			retarget(&rd[r], NV_FATE_NATIVE, -1);
			break;
		case NV_EDIT_DEFER:
			retarget(&wr[r], NV_FATE_NATIVE, -1);
			break;
		default:
			break;
		}
	}
}

/* See whatif.h. */
void nv_whatif_format(const struct nv_whatif *w, char *buf, size_t len)
{
	size_t n = 0;
	buf[0] = 0;
	for (int i = 0; i < w->n && n < len; i++) {
		const struct nv_edit *e = &w->e[i];
		if (e->type == NV_EDIT_SET)
			n += snprintf(buf + n, len - n, "%sset %s=%d", i ? ", " : "", e->name, e->value);
		else
			n += snprintf(buf + n, len - n, "%s%s %s", i ? ", " : "",
				      nv_edit_type_name(e->type), e->name);
	}
}

/* See whatif.h: "TYPE ARG" items separated by ", ". */
int nv_whatif_parse_label(const char *label, struct nv_whatif *w, char *err, size_t errlen)
{
	char item[96];
	const char *p = label;
	while (*p) {
		const char *end = strstr(p, ", ");
		size_t n = end ? (size_t)(end - p) : strlen(p);
		const char *sp;
		int t;
		if (n >= sizeof(item)) {
			snprintf(err, errlen, "what-if label too long: '%.40s...'", p);
			return -1;
		}
		memcpy(item, p, n);
		item[n] = 0;
		sp = strchr(item, ' ');
		for (t = 0; sp && t < NV_EDIT__COUNT; t++)
			if ((size_t)(sp - item) == strlen(edit_names[t]) &&
			    !strncmp(item, edit_names[t], (size_t)(sp - item)))
				break;
		if (!sp || t == NV_EDIT__COUNT) {
			snprintf(err, errlen, "not a what-if edit: '%s' (want set, vncr, redirect, "
				 "cache or defer)", item);
			return -1;
		}
		if (nv_whatif_add(w, (enum nv_edit_type)t, sp + 1, err, errlen))
			return -1;
		p = end ? end + 2 : p + n;
	}
	return 0;
}

/* See whatif.h: the trap branch of nv_op_cycles. */
uint64_t nv_model_trap_cycles(const struct nv_model *m, enum nv_handler h)
{
	struct nv_op op = { .kind = NV_OP_MRS, .reg = -1 };
	struct nv_fate_info f = { NV_FATE_TRAP, h, -1 };
	return nv_op_cycles(m, &op, &f);
}
