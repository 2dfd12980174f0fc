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
#define MAX_NAME 255	/* longest event name taken */
#define MAX_CPU 1000000	/* cpu numbers above this are not a real trace */
#define HEAD_LINES 50	/* lines allowed before the first event before we give up */
#define BAD_SHARE 100	/* fail when more than 1 in BAD_SHARE event lines (and more than
			   one line: a cut last line of trace_pipe) cannot be read */

/* One event name seen in the text, with its templates and their plans. */
struct text_kind {
	char *name;
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
	struct text_kind *kinds;	/* grown as names appear (pointers valid for one line) */
	int nkinds, cap;
	int64_t done, skipped, bad, first_bad;
	char *scratch;		/* a copy of a "[FAILED TO PARSE]" message */
	size_t scratch_cap;
};

/* dec_lookup_fn over a template's fields. */
static int tmpl_lookup(void *ctx, const char *name)
{
	return tf_field_index(ctx, name);
}

/* Decimal digits [s, end) into *v, at most max; 0 on none or overflow. */
static int parse_dec(const char *s, const char *end, uint64_t max, uint64_t *v)
{
	uint64_t n = 0;
	if (s >= end)
		return 0;
	for (; s < end; s++) {
		if (!isdigit((unsigned char)*s))
			return 0;
		if (n > (max - (uint64_t)(*s - '0')) / 10)
			return 0;
		n = n * 10 + (uint64_t)(*s - '0');
	}
	*v = n;
	return 1;
}

/* "SECONDS[.FRACTION]" -> ns (up to 9 fraction digits); 0 if it is not one or overflows. */
static int parse_ts(const char *s, const char *end, int64_t *ns)
{
	const char *dot = memchr(s, '.', (size_t)(end - s));
	uint64_t sec, frac = 0;
	int digits = 0;
	if (!parse_dec(s, dot ? dot : end, (uint64_t)INT64_MAX / 1000000000u - 1, &sec))
		return 0;
	if (dot) {
		for (const char *p = dot + 1; p < end; p++) {
			if (!isdigit((unsigned char)*p))
				return 0;
			if (digits < 9) {
				frac = frac * 10 + (uint64_t)(*p - '0');
				digits++;
			}
		}
	}
	while (digits++ < 9)
		frac *= 10;
	*ns = (int64_t)(sec * 1000000000u + frac);
	return 1;
}

/* End of a run of at most max bytes of class fn (space or not) from p. */
static const char *span(const char *p, int want_space, size_t max)
{
	const char *start = p;
	while (*p && (size_t)(p - start) < max && (isspace((unsigned char)*p) != 0) == want_space)
		p++;
	return p;
}

/*
 * The columns after the thread name, from its "-PID": PID [(TGID)] then the
 * CPU as "[NNN] [FLAGS]" or, in trace-cmd's latency form, "NFLAGS"; then
 * "TIMESTAMP: EVENT:".  Every part has a bounded length, so trying each '-'
 * of a line costs linear time.  1 with l filled (but comm), 0 if no match.
 */
static int columns_at(char *dash, struct text_line *l)
{
	const char *p = dash + 1, *e;
	uint64_t v;

	e = span(p, 0, 12);
	if (!parse_dec(p, e, INT32_MAX, &v))
		return 0;
	l->pid = (int)v;
	p = span(e, 1, 64);
	if (p == e)
		return 0;
	if (*p == '(') {	/* tgid: digits or dashes */
		e = span(p, 0, 16);
		if (e[-1] != ')')
			return 0;
		e = span(p = e, 1, 64);
		if (e == p)
			return 0;
		p = e;
	}
	if (*p == '[') {
		const char *close = span(p, 0, 12);
		if (close - p < 3 || close[-1] != ']' || !parse_dec(p + 1, close - 1, MAX_CPU, &v))
			return 0;
		l->cpu = (int)v;
		p = span(close, 1, 64);
		if (p == close)
			return 0;
	} else {	/* latency form: cpu digits glued to the flags */
		const char *d = p;
		while (isdigit((unsigned char)*d) && d - p < 8)
			d++;
		if (!parse_dec(p, d, MAX_CPU, &v))
			return 0;
		l->cpu = (int)v;
		e = span(d, 0, 16);
		p = span(e, 1, 64);
		if (p == e)
			return 0;
	}
	for (int tries = 0; tries < 2; tries++) {	/* [FLAGS] TIMESTAMP: */
		e = span(p, 0, 40);
		if (e > p + 1 && e[-1] == ':' && parse_ts(p, e - 1, &l->ts))
			break;
		if (tries == 1 || !*e)
			return 0;
		p = span(e, 1, 64);	/* that was the flags column */
		if (p == e)
			return 0;
	}
	p = span(e, 1, 64);
	l->event = (char *)p;
	while (*p && *p != ':' && !isspace((unsigned char)*p) && p - l->event <= MAX_NAME)
		p++;
	if (*p != ':' || p == l->event)
		return 0;
	*(char *)p = 0;
	l->msg = (char *)p + 1;
	return 1;
}

/*
 * Split one line into its columns; 1 ok, 0 not an event line.  The thread
 * name before "-PID" may hold any bytes, spaces too (QEMU's "CPU 0/KVM"):
 * the first '-' followed by the other columns ends it.
 */
static int parse_line(char *line, struct text_line *l)
{
	char *e = line + strlen(line), *p;
	while (e > line && (e[-1] == '\n' || e[-1] == '\r'))
		*--e = 0;
	for (char *dash = strchr(line, '-'); dash; dash = strchr(dash + 1, '-')) {
		if (!isdigit((unsigned char)dash[1]) || !columns_at(dash, l))
			continue;
		*dash = 0;
		for (p = line; isspace((unsigned char)*p); p++)
			;
		{	/* trace-cmd report prefixes instance events with "BUFFER: " */
			char *colon = strstr(p, ": ");
			if (colon && !memchr(p, ' ', (size_t)(colon - p)))
				for (p = colon + 1; isspace((unsigned char)*p); p++)
					;
		}
		l->comm = p;
		return 1;
	}
	return 0;
}

/* A line with a "[NNN]" cpu column or a "SECONDS.FRACTION:" word: meant as an event. */
static int looks_like_event(const char *line)
{
	for (const char *p = line; *p; p++) {
		if (*p == '[' && isdigit((unsigned char)p[1])) {
			const char *d = p + 1;
			while (isdigit((unsigned char)*d))
				d++;
			if (*d == ']')
				return 1;
		}
		if (*p == '.' && p > line && isdigit((unsigned char)p[-1]) &&
		    isdigit((unsigned char)p[1])) {
			const char *d = p + 1;
			while (isdigit((unsigned char)*d))
				d++;
			if (*d == ':')
				return 1;
			p = d - 1;
		}
	}
	return 0;
}

/*
 * Remove what Debian's trace-cmd writes when it prints arm64 events with its
 * x86 kvm plugin: `CAN'T FIND FIELD "vcpu_id"` and `<CANT FIND FIELD rip>`.
 * One pass over the message (a long line costs linear time).
 */
static void strip_cant_find(char *msg)
{
	static const char *const starts[] = { "CAN'T FIND FIELD \"", "<CANT FIND FIELD " };
	static const char ends[] = { '"', '>' };
	char *out = msg;
	for (char *in = msg; *in;) {
		int cut = 0;
		if (*in == 'C' || *in == '<')
			for (int i = 0; i < 2 && !cut; i++) {
				size_t n = strlen(starts[i]);
				char *e;
				if (strncmp(in, starts[i], n) != 0)
					continue;
				e = in + n;
				while (*e && *e != ends[i] && e - in < 128)
					e++;
				if (*e == ends[i]) {
					in = e + 1;
					cut = 1;
				}
			}
		if (!cut)
			*out++ = *in++;
	}
	*out = 0;
}

/* The kind of an event name, made (templates, name id) on first sight; NULL when full. */
static struct text_kind *kind_of(struct text_state *s, const char *name)
{
	struct text_kind *k;
	for (int i = s->nkinds - 1; i >= 0; i--)
		if (strcmp(s->kinds[i].name, name) == 0)
			return &s->kinds[i];
	if (s->nkinds == MAX_KINDS)
		return NULL;
	if (s->nkinds == s->cap) {
		int cap = s->cap ? s->cap * 2 : 16;
		struct text_kind *grown = realloc(s->kinds, (size_t)cap * sizeof(*grown));
		if (!grown)
			return NULL;
		s->kinds = grown;
		s->cap = cap;
	}
	k = &s->kinds[s->nkinds];
	memset(k, 0, sizeof(*k));
	if (!(k->name = strdup(name)))
		return NULL;
	s->nkinds++;
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

/* Split "a=1 b=0x2" (trace-cmd's fallback print) into names and values (msg is cut up). */
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

/* A copy of msg in the state's scratch buffer (kv_parse cuts its input up). */
static char *scratch_copy(struct text_state *s, const char *msg)
{
	size_t n = strlen(msg) + 1;
	if (n > s->scratch_cap) {
		char *p = realloc(s->scratch, n);
		if (!p)
			return NULL;
		s->scratch = p;
		s->scratch_cap = n;
	}
	return memcpy(s->scratch, msg, n);
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
		char *copy = scratch_copy(s, m + sizeof(ftp) - 1);
		if (copy) {
			kv_parse(copy, &kv);
			dec_plan_build(&plan, k->name, s->c->host, kv_lookup, &kv);
			if (plan.decoded) {
				dec_apply(&plan, kv.val, ev);
				import_note_host(s->c, plan.arch);
				return;
			}
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

/*
 * "PREFIX<number>" at *p: the number, p moved past it; 0 if none.  Above max
 * it is refused, or with sat it is max (a count too large to store).
 */
static int take_num(const char **p, const char *prefix, uint64_t max, int sat, uint64_t *v)
{
	const char *s = *p, *e;
	size_t n = strlen(prefix);
	if (strncmp(s, prefix, n) != 0)
		return 0;
	s += n;
	for (e = s; isdigit((unsigned char)*e); e++)
		;
	if (!parse_dec(s, e, max, v)) {
		if (!sat || e == s)
			return 0;
		*v = max;
	}
	*p = e;
	return 1;
}

/* Header lines of both formats that carry no event (cpu counts and lost events noted). */
static int header_line(struct import_ctx *c, const char *line)
{
	const char *p;
	uint64_t n, lost;
	while (*line == ' ' || *line == '\t')
		line++;
	if (*line == 0 || *line == '\n' || *line == '\r')
		return 1;
	if (*line == '#') {
		if ((p = strstr(line, "#P:")) && take_num(&p, "#P:", MAX_CPU, 0, &n) && (int)n > c->cpus)
			c->cpus = (int)n;
		return 1;
	}
	p = line;
	if (take_num(&p, "cpus=", MAX_CPU, 0, &n)) {
		if ((int)n > c->cpus)
			c->cpus = (int)n;
		return 1;
	}
	p = line;
	if (take_num(&p, "CPU:", MAX_CPU, 0, &n) &&
	    (take_num(&p, " [LOST ", INT64_MAX, 1, &lost) || take_num(&p, " [", INT64_MAX, 1, &lost)) &&
	    (!strncmp(p, " EVENTS]", 8) || !strncmp(p, " EVENTS DROPPED]", 16))) {
		import_add_lost(c, (int64_t)lost);
		return 1;
	}
	p = line;
	if (take_num(&p, "CPU ", MAX_CPU, 0, &n) && !strncmp(p, " is empty", 9))
		return 1;
	return !strncmp(line, "version = ", 10) || !strncmp(line, "Buffer: ", 8) ||
	       (!strncmp(line, "CPU", 3) && !looks_like_event(line));
}

/*
 * Read the input line by line: events decoded and inserted, headers noted,
 * lines that look like events but cannot be read counted (an error above
 * 1 in BAD_SHARE), other lines after the first event skipped with a note.
 */
int import_text(struct import_ctx *c, struct import_src *src)
{
	struct text_state s = { .c = c };
	const char *path = import_src_path(src);
	FILE *f = import_src_stream(src);
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	int64_t lineno = 0;
	int rc = -1;

	if (!f) {
		snprintf(c->err, sizeof(c->err), "%s: cannot read", path);
		return -1;
	}
	setvbuf(f, NULL, _IOFBF, 1 << 16);
	while ((len = getline(&line, &cap, f)) > 0) {
		struct text_line l;
		struct text_kind *k;
		struct nv_event ev;

		lineno++;
		if (memchr(line, 0, (size_t)len)) {
			snprintf(c->err, sizeof(c->err), "%s:%lld: binary data, not a text trace",
				 path, (long long)lineno);
			goto out;
		}
		if (line[strspn(line, " \t")] == '#' || !parse_line(line, &l)) {
			if (header_line(c, line))
				continue;
			if (looks_like_event(line)) {
				if (!s.bad++)
					s.first_bad = lineno;
				continue;
			}
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
			snprintf(c->err, sizeof(c->err), "%s:%lld: more than %d event names (or out "
				 "of memory)", path, (long long)lineno, MAX_KINDS);
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
		if (k->name_id < 0 || nvdb_insert(c->db, &ev)) {
			snprintf(c->err, sizeof(c->err), "%s: cannot write the database: %s",
				 nvdb_path(c->db), nvdb_errmsg(c->db));
			goto out;
		}
		if ((++s.done & 0x3ff) == 0 && c->progress)
			c->progress(import_src_consumed(src));
	}
	if (ferror(f)) {
		if (import_src_error(src)[0])
			snprintf(c->err, sizeof(c->err), "%s", import_src_error(src));
		else
			snprintf(c->err, sizeof(c->err), "%s: read error", path);
		goto out;
	}
	if (s.bad > 1 && s.bad > (s.done + s.bad) / BAD_SHARE) {
		snprintf(c->err, sizeof(c->err), "%s: %lld of %lld lines that look like events "
			 "could not be read (the first is line %lld)", path, (long long)s.bad,
			 (long long)(s.done + s.bad), (long long)s.first_bad);
		goto out;
	}
	if (s.done == 0) {
		snprintf(c->err, sizeof(c->err), "%s: no trace events in this file", path);
		goto out;
	}
	if (s.bad)
		fprintf(stderr, "nvtrace import: %s: warning: %lld lines look like events but "
			"could not be read (the first is line %lld); they are not imported\n",
			path, (long long)s.bad, (long long)s.first_bad);
	if (s.skipped)
		fprintf(stderr, "nvtrace import: %s: note: %lld lines are not events and were "
			"skipped\n", path, (long long)s.skipped);
	rc = 0;
out:
	c->events += s.done;
	c->unreadable += s.bad;
	free(line);
	for (int i = 0; i < s.nkinds; i++)
		free(s.kinds[i].name);
	free(s.kinds);
	free(s.scratch);
	return rc;
}
