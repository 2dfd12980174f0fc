/*
 * The BPF loader's check of a tracepoint's arguments against what an
 * argument program was written for, on this machine's kernel BTF (the
 * generic kvm events exist on every KVM host) and on a BTF built here.
 */
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include "tap.h"
#include "collector/record_int.h"

/* typedef void (*btf_trace_kvm_fake)(void *, unsigned int, const void *, _Bool) */
static struct btf *fake_btf(void)
{
	struct btf *b = btf__new_empty();
	int uint = btf__add_int(b, "unsigned int", 4, 0);
	int boolean = btf__add_int(b, "_Bool", 1, BTF_INT_BOOL);
	int cv = btf__add_const(b, 0);
	int pvoid = btf__add_ptr(b, 0);
	int pcvoid = btf__add_ptr(b, cv);
	int proto = btf__add_func_proto(b, 0);
	btf__add_func_param(b, "", pvoid);
	btf__add_func_param(b, "", uint);
	btf__add_func_param(b, "", pcvoid);
	btf__add_func_param(b, "", boolean);
	int pp = btf__add_ptr(b, proto);
	btf__add_typedef(b, "btf_trace_kvm_fake", pp);
	return b;
}

int main(void)
{
	struct btf *fake = fake_btf();
	T_OK(rec_bpf_args_match(fake, "kvm_fake", "4p1"), "built BTF: unsigned int, const void *, bool");
	T_OK(!rec_bpf_args_match(fake, "kvm_fake", "4p"), "one argument short: no match");
	T_OK(!rec_bpf_args_match(fake, "kvm_fake", "4p14"), "one argument more: no match");
	T_OK(!rec_bpf_args_match(fake, "kvm_fake", "8p1"), "a wider integer: no match");
	T_OK(!rec_bpf_args_match(fake, "kvm_other", "4p1"), "no such tracepoint: no match");
	btf__free(fake);

	struct btf *k = btf__load_vmlinux_btf();
	if (libbpf_get_error(k)) {
		t_skip("this kernel's kvm tracepoints", "no BTF (/sys/kernel/btf/vmlinux)");
	} else if (btf__find_by_name_kind(k, "btf_trace_kvm_userspace_exit", BTF_KIND_TYPEDEF) < 0) {
		t_skip("this kernel's kvm tracepoints", "no KVM in this kernel's BTF");
		btf__free(k);
	} else {
		/* include/trace/events/kvm.h: (__u32 reason, int errno), (int type, int len, u64 gpa, void *val) */
		T_OK(rec_bpf_args_match(k, "kvm_userspace_exit", "44"), "kvm_userspace_exit(__u32, int)");
		T_OK(rec_bpf_args_match(k, "kvm_mmio", "448p"), "kvm_mmio(int, int, u64, void *)");
		T_OK(!rec_bpf_args_match(k, "kvm_mmio", "4488"), "kvm_mmio's val is a pointer, not a number");
		btf__free(k);
	}
	return t_done();
}
