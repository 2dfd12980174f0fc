/*
 * Import a text trace: the output of `trace-cmd report` and the tracefs
 * `trace` / `trace_pipe` format, as people paste them into bug reports:
 *
 *   [BUFFER: ]COMM-PID [(TGID)] [CPU] [FLAGS] SECONDS.FRACTION: EVENT: MESSAGE
 *
 * The message is read back into named fields with the event's print-format
 * template (text_format.c), then decoded by the same table as trace.dat.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "collector/decode.h"
#include "collector/import.h"
#include "collector/text_format.h"

#define MAX_TMPL 8
#define MAX_KINDS 1024
#define HEAD_LINES 50	/* lines allowed before the first event before we give up */

/* One event name seen in the text, with its templates and their plans. */
struct text_kind {
	char name[64];
	int name_id;
	enum nv_event_type type;
	int ntmpl;
	const struct text_format *tmpl[MAX_TMPL];
	struct dec_plan plan[MAX_TMPL];
	int planned[MAX_TMPL];
};

/* A parsed line. */
struct text_line {
	char *comm;
	int pid, cpu;
	int64_t ts;
	char *event;
	char *msg;
};

struct text_state {
	struct import_ctx *c;
	struct text_kind *kinds;
	int nkinds;
	int64_t done, skipped;
};

/* dec_lookup_fn over a template's fields. */
static int tmpl_lookup(void *ctx, const char *name)
{
	return tf_field_index(ctx, name);
}

/* "SECONDS.FRACTION" -> ns (6 or 9 fraction digits). */
static int parse_ts(const char *s, const char *end, int64_t *ns)
{
	int64_t sec = 0, frac = 0;
	int digits = 0;
	if (s >= end || !isdigit((unsigned char)*s))
		return 0;
	while (s < end && isdigit((unsigned char)*s))
		sec = sec * 10 + (*s++ - '0');
	if (s < end && *s == '.') {
		s++;
		while (s < end && isdigit((unsigned char)*s) && digits < 9) {
			frac = frac * 10 + (*s++ - '0');
			digits++;
		}
	}
	if (s != end)
		return 0;
	while (digits++ < 9)
		frac *= 10;
	*ns = sec * 1000000000LL + frac;
	return 1;
}

/* Find the " [NNN]" cpu column; returns its '[' or NULL. */
static char *find_cpu(char *line)
{
	for (char *b = strchr(line, '['); b; b = strchr(b + 1, '[')) {
		char *d = b + 1;
		if (b == line || (b[-1] != ' ' && b[-1] != '\t'))
			continue;
		while (isdigit((unsigned char)*d))
			d++;
		if (d > b + 1 && *d == ']')
			return b;
	}
	return NULL;
}

/* Split one line into its columns; 1 ok, 0 not an event line. */
static int parse_line(char *line, struct text_line *l)
{
	char *b = find_cpu(line), *p, *e, *dash;
	if (!b)
		return 0;
	/* before the cpu: [BUFFER: ]COMM-PID [(TGID)] */
	e = b;
	while (e > line && isspace((unsigned char)e[-1]))
		e--;
	if (e > line && e[-1] == ')') {
		char *open = e;
		while (open > line && *open != '(')
			open--;
		e = open;
		while (e > line && isspace((unsigned char)e[-1]))
			e--;
	}
	*e = 0;
	p = line;
	while (isspace((unsigned char)*p))
		p++;
	{	/* trace-cmd report prefixes instance events with "BUFFER: " */
		char *colon = strstr(p, ": ");
		if (colon && colon < e && !memchr(p, ' ', (size_t)(colon - p)))
			for (p = colon + 1; isspace((unsigned char)*p); p++)
				;
	}
	dash = strrchr(p, '-');
	if (!dash || !isdigit((unsigned char)dash[1]))
		return 0;
	*dash = 0;
	l->comm = p;
	l->pid = atoi(dash + 1);
	l->cpu = atoi(b + 1);
	/* after the cpu: [FLAGS] TIMESTAMP: EVENT: MESSAGE */
	p = strchr(b, ']') + 1;
	for (int tries = 0; tries < 2; tries++) {
		while (isspace((unsigned char)*p))
			p++;
		e = p;
		while (*e && !isspace((unsigned char)*e))
			e++;
		if (e > p && e[-1] == ':' && parse_ts(p, e - 1, &l->ts))
			break;
		if (tries == 1)
			return 0;
		p = e;	/* that was the flags column */
	}
	p = e;
	while (isspace((unsigned char)*p))
		p++;
	l->event = p;
	while (*p && *p != ':' && !isspace((unsigned char)*p))
		p++;
	if (*p != ':' || p == l->event)
		return 0;
	*p++ = 0;
	l->msg = p;
	e = p + strlen(p);
	while (e > p && (e[-1] == '\n' || e[-1] == '\r'))
		*--e = 0;
	return 1;
}

/*
 * Remove what Debian's trace-cmd writes when it prints arm64 events with its
 * x86 kvm plugin: `CAN'T FIND FIELD "vcpu_id"` and `<CANT FIND FIELD rip>`.
 */
static void strip_cant_find(char *msg)
{
	static const char *const starts[] = { "CAN'T FIND FIELD \"", "<CANT FIND FIELD " };
	static const char ends[] = { '"', '>' };
	for (int i = 0; i < 2; i++) {
		char *s;
		while ((s = strstr(msg, starts[i])) != NULL) {
			char *e = strchr(s + strlen(starts[i]), ends[i]);
			if (!e)
				break;
			memmove(s, e + 1, strlen(e + 1) + 1);
		}
	}
}

/* The kind of an event name, made (templates, name id) on first sight. */
static struct text_kind *kind_of(struct text_state *s, const char *name)
{
	struct text_kind *k;
	for (int i = s->nkinds - 1; i >= 0; i--)
		if (strcmp(s->kinds[i].name, name) == 0)
			return &s->kinds[i];
	if (s->nkinds == MAX_KINDS || strlen(name) >= sizeof(k->name))
		return NULL;
	k = &s->kinds[s->nkinds++];
	memset(k, 0, sizeof(*k));
	snprintf(k->name, sizeof(k->name), "%s", name);
	k->type = nv_event_type_of(name);
	k->ntmpl = tf_find(name, k->tmpl, MAX_TMPL);
	k->name_id = nvdb_name_id(s->c->db, nv_event_type_system(k->type)[0] ?
				  nv_event_type_system(k->type) : "", name, k->type);
	return k;
}

/* Names and values of a "[FAILED TO PARSE] a=1 b=0x2" message. */
struct kv { int n; char *name[TF_MAX_FIELDS * 2]; uint64_t val[TF_MAX_FIELDS * 2]; };

/* dec_lookup_fn over the names of a "[FAILED TO PARSE]" message. */
static int kv_lookup(void *ctx, const char *name)
{
	struct kv *kv = ctx;
	for (int i = 0; i < kv->n; i++)
		if (strcmp(kv->name[i], name) == 0)
			return i;
	return -1;
}

/* Split "a=1 b=0x2" (trace-cmd's fallback print) into names and values. */
static void kv_parse(char *msg, struct kv *kv)
{
	char *save = NULL;
	kv->n = 0;
	for (char *tok = strtok_r(msg, " ", &save); tok && kv->n < TF_MAX_FIELDS * 2;
	     tok = strtok_r(NULL, " ", &save)) {
		char *eq = strchr(tok, '=');
		if (!eq)
			continue;
		*eq = 0;
		kv->name[kv->n] = tok;
		kv->val[kv->n++] = strtoull(eq + 1, NULL, 0);
	}
}

/* Decode a message into ev (fields, or raw text when no template fits). */
static void decode_msg(struct text_state *s, struct text_kind *k, char *msg,
		       struct nv_event *ev)
{
	uint64_t vals[TF_MAX_FIELDS];
	static const char ftp[] = "[FAILED TO PARSE]";
	char *m = msg;

	strip_cant_find(m);
	while (*m == ' ')
		m++;
	if (!strncmp(m, ftp, sizeof(ftp) - 1)) {
		struct kv kv;
		struct dec_plan plan;
		kv_parse(m + sizeof(ftp) - 1, &kv);
		dec_plan_build(&plan, k->name, s->c->host, kv_lookup, &kv);
		if (plan.decoded) {
			dec_apply(&plan, kv.val, ev);
			import_note_host(s->c, plan.arch);
			return;
		}
	} else {
		for (int i = 0; i < k->ntmpl; i++) {
			if (!tf_match(k->tmpl[i]->tmpl, m, vals))
				continue;
			if (!k->planned[i]) {
				dec_plan_build(&k->plan[i], k->name, s->c->host, tmpl_lookup,
					       (void *)k->tmpl[i]->tmpl);
				k->planned[i] = 1;
			}
			if (!k->plan[i].decoded)
				continue;
			dec_apply(&k->plan[i], vals, ev);
			import_note_host(s->c, k->plan[i].arch);
			return;
		}
	}
	if (k->type != NV_EV_OTHER)
		s->c->undecoded++;
	ev->raw = m;
}

/* Header lines of both formats that carry no event. */
static int header_line(struct import_ctx *c, const char *line)
{
	int n;
	long long lost;
	const char *p;
	while (*line == ' ' || *line == '\t')
		line++;
	if (*line == 0 || *line == '\n' || *line == '\r')
		return 1;
	if (*line == '#') {
		if ((p = strstr(line, "#P:")) && atoi(p + 3) > c->cpus)
			c->cpus = atoi(p + 3);
		return 1;
	}
	if (sscanf(line, "cpus=%d", &n) == 1) {
		if (n > c->cpus)
			c->cpus = n;
		return 1;
	}
	if (sscanf(line, "CPU:%d [LOST %lld EVENTS]", &n, &lost) == 2 ||
	    sscanf(line, "CPU:%d [%lld EVENTS DROPPED]", &n, &lost) == 2) {
		c->lost += lost;
		return 1;
	}
	return !strncmp(line, "version = ", 10) || sscanf(line, "CPU %d is empty", &n) == 1 ||
	       !strncmp(line, "Buffer: ", 8) || !strncmp(line, "CPU ", 4);
}

/* Read the file line by line: headers skipped, events decoded and inserted. */
int import_text(struct import_ctx *c, const char *path)
{
	struct text_state s = { .c = c };
	FILE *f = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	uint64_t bytes = 0;
	int64_t lineno = 0;
	int rc = -1;

	if (!f) {
		snprintf(c->err, sizeof(c->err), "%s: cannot open", path);
		return -1;
	}
	s.kinds = calloc(MAX_KINDS, sizeof(*s.kinds));
	if (!s.kinds) {
		snprintf(c->err, sizeof(c->err), "%s: out of memory", path);
		goto out;
	}
	setvbuf(f, NULL, _IOFBF, 1 << 20);
	while ((len = getline(&line, &cap, f)) > 0) {
		struct text_line l;
		struct text_kind *k;
		struct nv_event ev;

		lineno++;
		bytes += (uint64_t)len;
		if (header_line(c, line))
			continue;
		if (memchr(line, 0, (size_t)len)) {
			snprintf(c->err, sizeof(c->err), "%s:%lld: binary data, not a text trace",
				 path, (long long)lineno);
			goto out;
		}
		if (!parse_line(line, &l)) {
			if (s.done == 0 && lineno <= HEAD_LINES) {
				snprintf(c->err, sizeof(c->err), "%s:%lld: not a trace (expected "
					 "'COMM-PID [CPU] TIME: EVENT: ...')", path, (long long)lineno);
				goto out;
			}
			s.skipped++;
			continue;
		}
		k = kind_of(&s, l.event);
		if (!k) {
			snprintf(c->err, sizeof(c->err), "%s:%lld: too many event names", path,
				 (long long)lineno);
			goto out;
		}
		nv_event_clear(&ev);
		ev.ts = l.ts;
		ev.cpu = l.cpu;
		ev.pid = l.pid;
		ev.name_id = k->name_id;
		ev.type = (uint16_t)k->type;
		if (import_note_host(c, dec_host_of_event(k->name))) {
			snprintf(c->err, sizeof(c->err), "%s:%lld: %s is an %s event but the trace "
				 "so far is from an %s host", path, (long long)lineno, k->name,
				 import_host_name(dec_host_of_event(k->name)),
				 import_host_name(c->host));
			goto out;
		}
		decode_msg(&s, k, l.msg, &ev);
		if (l.cpu + 1 > c->cpus)
			c->cpus = l.cpu + 1;
		import_thread(c, l.pid, l.comm);
		if (nvdb_insert(c->db, &ev)) {
			snprintf(c->err, sizeof(c->err), "%s: cannot write the database: %s",
				 nvdb_path(c->db), nvdb_errmsg(c->db));
			goto out;
		}
		if ((++s.done & 0x3ff) == 0 && c->progress)
			c->progress(bytes);
	}
	if (ferror(f)) {
		snprintf(c->err, sizeof(c->err), "%s: read error", path);
		goto out;
	}
	if (s.done == 0) {
		snprintf(c->err, sizeof(c->err), "%s: no trace events in this file", path);
		goto out;
	}
	if (s.skipped)
		fprintf(stderr, "nvtrace import: %s: note: %lld lines are not events and were "
			"skipped\n", path, (long long)s.skipped);
	rc = 0;
out:
	c->events += s.done;
	free(line);
	free(s.kinds);
	fclose(f);
	return rc;
}
