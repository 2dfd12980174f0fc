/*
 * Whether a kernel tracepoint takes the arguments one of the BPF argument
 * programs was written for (record_int.h: rec_bpf_args_match), read from the
 * kernel's BTF.  Apart from the loader so that it builds, and is tested,
 * without the BPF skeleton.
 */
#include <stdio.h>
#include <string.h>
#include <bpf/btf.h>
#include "collector/record_int.h"

/* One argument's letter (integer size in bytes, p for a pointer; record_bpf.c's args_progs), or '?'. */
static char arg_letter(const struct btf *btf, __u32 id)
{
	const struct btf_type *t = btf__type_by_id(btf, id);
	while (t && (btf_is_typedef(t) || btf_is_const(t) || btf_is_volatile(t)))
		t = btf__type_by_id(btf, t->type);
	if (!t)
		return '?';
	if (btf_is_ptr(t))
		return 'p';
	if ((btf_is_int(t) || btf_is_enum(t)) && t->size <= 8)
		return (char)('0' + t->size);
	return '?';
}

/* See record_int.h. */
int rec_bpf_args_match(const struct btf *btf, const char *event, const char *want)
{
	char name[96], got[16];
	size_t n = 0;
	snprintf(name, sizeof(name), "btf_trace_%s", event);
	int id = btf__find_by_name_kind(btf, name, BTF_KIND_TYPEDEF);
	const struct btf_type *t = id > 0 ? btf__type_by_id(btf, (__u32)id) : NULL;
	if (t)
		t = btf__type_by_id(btf, t->type);	/* the pointer */
	if (t && btf_is_ptr(t))
		t = btf__type_by_id(btf, t->type);	/* the prototype */
	if (!t || !btf_is_func_proto(t))
		return 0;
	if ((size_t)btf_vlen(t) > sizeof(got))
		return 0;	/* more arguments than any program takes */
	const struct btf_param *p = btf_params(t);
	for (int i = 1; i < btf_vlen(t); i++)	/* after void * */
		got[n++] = arg_letter(btf, p[i].type);
	got[n] = 0;
	return strcmp(got, want) == 0;
}
