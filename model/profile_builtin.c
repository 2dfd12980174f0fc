/* The built-in profiles: the text of examples/profiles, compiled in. */
#include <string.h>
#include <strings.h>
#include "model/model_int.h"

/* Number of built-in profiles. */
int nv_profile_builtin_count(void)
{
	return nv_builtin_profile_count;
}

/* Name of the i-th built-in profile, NULL past the end. */
const char *nv_profile_builtin_name(int i)
{
	return i >= 0 && i < nv_builtin_profile_count ? nv_builtin_profiles[i].name : NULL;
}

/* Text of a built-in profile by name, NULL if unknown. */
const char *nv_profile_builtin_text(const char *name)
{
	for (int i = 0; name && i < nv_builtin_profile_count; i++)
		if (!strcasecmp(nv_builtin_profiles[i].name, name))
			return nv_builtin_profiles[i].text;
	return NULL;
}

/* Parse a built-in profile; an unknown name is reported like a parse error. */
int nv_profile_load_builtin(const char *name, struct nv_profile **out, char *err, size_t errlen)
{
	const char *text = nv_profile_builtin_text(name);
	*out = NULL;
	if (!text) {
		if (err && errlen) {
			strncpy(err, "unknown built-in profile", errlen - 1);
			err[errlen - 1] = 0;
		}
		return -1;
	}
	return nv_profile_parse(text, strlen(text), name, out, err, errlen);
}
