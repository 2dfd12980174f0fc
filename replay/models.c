/* The set of models a replay runs: architectures by name, a profile, a cost table. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "replay/replay.h"

/* Read a whole profile file; NULL if it cannot be read. */
static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t cap = 0, n = 0;
	if (!f)
		return NULL;
	for (;;) {
		if (n + 4096 > cap) {
			char *b = realloc(buf, cap = cap ? cap * 2 : 8192);
			if (!b) {
				free(buf);
				fclose(f);
				return NULL;
			}
			buf = b;
		}
		size_t got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (!got)
			break;
	}
	fclose(f);
	*len = n;
	return buf;
}

/* A builtin profile by name, or (when the name is not builtin) a profile file. */
static int load_profile(const char *guest, struct nv_profile **p, char *err, size_t errlen)
{
	if (nv_profile_builtin_text(guest))
		return nv_profile_load_builtin(guest, p, err, errlen);
	size_t len = 0;
	char *text = slurp(guest, &len);
	if (!text) {
		snprintf(err, errlen, "%s: not a builtin guest profile and not a readable file",
			 guest);
		return -1;
	}
	int rc = nv_profile_parse(text, len, guest, p, err, errlen);
	free(text);
	return rc;
}

/* One model per listed architecture over a shared profile and cost table. */
int nv_models_open(struct nv_models *ms, const char *archs, const char *guest,
		   const char *cost, char *err, size_t errlen)
{
	char list[256], *save = NULL;
	memset(ms, 0, sizeof(*ms));
	ms->cost = nv_cost_find(cost);
	if (!ms->cost) {
		snprintf(err, errlen, "unknown cost table '%s'", cost);
		return -1;
	}
	if (load_profile(guest, &ms->profile, err, errlen))
		return -1;
	snprintf(list, sizeof(list), "%s", archs);
	for (char *a = strtok_r(list, ",", &save); a; a = strtok_r(NULL, ",", &save)) {
		if (ms->n == NV_REPLAY_MAX_ARCH) {
			snprintf(err, errlen, "at most %d architectures", NV_REPLAY_MAX_ARCH);
			goto fail;
		}
		ms->arch[ms->n] = nv_arch_find(a);
		if (!ms->arch[ms->n]) {
			snprintf(err, errlen, "unknown architecture '%s'", a);
			goto fail;
		}
		ms->m[ms->n] = nv_model_new(ms->arch[ms->n], ms->profile, ms->cost);
		if (!ms->m[ms->n] || nv_model_prepare(ms->m[ms->n])) {
			snprintf(err, errlen, "cannot prepare the model of '%s'", a);
			nv_model_free(ms->m[ms->n]);
			goto fail;
		}
		ms->n++;
	}
	if (!ms->n) {
		snprintf(err, errlen, "no architecture given");
		goto fail;
	}
	return 0;
fail:
	nv_models_close(ms);
	return -1;
}

/* Free the models and the profile (safe on a zeroed set). */
void nv_models_close(struct nv_models *ms)
{
	for (int i = 0; i < ms->n; i++)
		nv_model_free(ms->m[i]);
	nv_profile_free(ms->profile);
	memset(ms, 0, sizeof(*ms));
}

/* The normalised list of architecture names of a model set ("vm,v8.3"). */
void nv_models_arch_list(const struct nv_models *ms, char *buf, size_t len)
{
	size_t n = 0;
	buf[0] = 0;
	for (int i = 0; i < ms->n && n < len; i++)
		n += snprintf(buf + n, len - n, "%s%s", i ? "," : "", nv_arch_name(ms->arch[i]));
}
