/* The set of models a replay runs: architectures by name, a profile, a cost table. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "collector/slurp.h"
#include "replay/replay.h"

/* A builtin profile by name, or (when the name is not builtin) a profile file. */
static int load_profile(const char *guest, struct nv_profile **p, char *err, size_t errlen)
{
	if (nv_profile_builtin_text(guest))
		return nv_profile_load_builtin(guest, p, err, errlen);
	size_t len = 0;
	char e2[8];
	char *text = nv_slurp(guest, (size_t)16 << 20, &len, e2, sizeof(e2));
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
	return nv_models_open_whatif(ms, archs, guest, cost, NULL, err, errlen);
}

/* See replay.h. */
void nv_replay_guest_key(const char *guest, const struct nv_whatif *w, char *buf, size_t len)
{
	char edits[512];
	if (!w || !w->n) {
		snprintf(buf, len, "%s", guest);
		return;
	}
	nv_whatif_format(w, edits, sizeof(edits));
	snprintf(buf, len, "%s [%s]", guest, edits);
}

/* See replay.h: the profile edited first, then each model's register fates. */
int nv_models_open_whatif(struct nv_models *ms, const char *archs, const char *guest,
			  const char *cost, const struct nv_whatif *w, char *err, size_t errlen)
{
	char list[256], *save = NULL, base[256];
	struct nv_whatif all = { 0 };
	const char *br = strstr(guest, " [");
	size_t gl = strlen(guest);

	memset(ms, 0, sizeof(*ms));
	/* a stored replay's guest "NAME [EDITS]" (nv_replay_guest_key): the edits come back */
	if (br && gl && guest[gl - 1] == ']' && (size_t)(br - guest) < sizeof(base)) {
		char label[512];
		snprintf(base, sizeof(base), "%.*s", (int)(br - guest), guest);
		snprintf(label, sizeof(label), "%.*s", (int)(gl - (size_t)(br - guest) - 3), br + 2);
		if (nv_whatif_parse_label(label, &all, err, errlen))
			return -1;
		guest = base;
	}
	for (int i = 0; w && i < w->n && all.n < NV_WHATIF_MAX; i++)
		all.e[all.n++] = w->e[i];
	w = all.n ? &all : NULL;
	ms->cost = nv_cost_find(cost);
	if (!ms->cost) {
		snprintf(err, errlen, "unknown cost table '%s'", cost);
		return -1;
	}
	if (load_profile(guest, &ms->profile, err, errlen))
		return -1;
	if (w && nv_whatif_apply_profile(w, ms->profile, err, errlen))
		goto fail;
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
		if (ms->m[ms->n] && w)
			nv_whatif_apply_model(w, ms->m[ms->n]);
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
