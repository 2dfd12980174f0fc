/*
 * The print formats of KVM events (data) and the matcher that reads values
 * back out of printed text.  Formats are from the kernels' TP_printk
 * (linux-arm64-nv.md 2c for arm64, /sys/kernel/tracing/events/kvm/ x86).
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include "collector/names.h"
#include "collector/text_format.h"

static const struct text_format formats[] = {
	/* arm64 */
	{ "kvm_exit", "%{ret:exc}: HSR_EC: 0x%{esr_ec:x} (%{-}), PC: 0x%{vcpu_pc:x}" },
	{ "kvm_entry", "PC: 0x%{vcpu_pc:x}" },
	{ "kvm_guest_fault", "ipa %{ipa:n}, hsr %{hsr:n}, hxfar %{hxfar:n}, pc %{vcpu_pc:n}" },
	{ "kvm_access_fault", "IPA: %{ipa:x}" },
	{ "kvm_irq_line", "Inject %{-} interrupt (%{type:d}), vcpu->idx: %{vcpu_idx:d}, "
			  "num: %{irq_num:d}, level: %{level:d}" },
	{ "kvm_mmio_emulate", "Emulate MMIO at: 0x%{vcpu_pc:x} (instr: %{instr:x}, cpsr: %{cpsr:x})" },
	{ "kvm_mmio_nisv", "ipa %{ipa:n}, esr %{esr:n}, far %{far:n}, pc %{vcpu_pc:n}" },
	{ "kvm_set_way_flush", "S/W flush at 0x%{vcpu_pc:x} (cache %{cache:onoff})" },
	{ "kvm_toggle_cache", "VM op at 0x%{vcpu_pc:x} (cache was %{was:onoff}, now %{now:onoff})" },
	{ "kvm_timer_update_irq", "VCPU: %{vcpu_id:d}, IRQ %{irq:d}, level %{level:d}" },
	{ "kvm_get_timer_map", "VCPU: %{vcpu_id:d}, dv: %{direct_vtimer:d}, dp: %{direct_ptimer:d}, "
			       "ev: %{emul_vtimer:d}, ep: %{emul_ptimer:d}" },
	{ "kvm_get_timer_map", "VCPU: %{vcpu_id:d}, dv: %{direct_vtimer:d}, dp: %{direct_ptimer:d}, "
			       "ep: %{emul_ptimer:d}" },
	{ "kvm_timer_save_state", "CTL: %{ctl:n} CVAL: %{cval:n} arch_timer_ctx_index: %{timer_idx:d}" },
	{ "kvm_timer_restore_state", "CTL: %{ctl:n} CVAL: %{cval:n} arch_timer_ctx_index: %{timer_idx:d}" },
	{ "kvm_timer_hrtimer_expire", "arch_timer_ctx_index: %{timer_idx:d}" },
	{ "kvm_timer_emulate", "arch_timer_ctx_index: %{timer_idx:d} (should_fire: %{should_fire:d})" },
	{ "kvm_nested_eret", "elr_el2: 0x%{elr_el2:x} spsr_el2: 0x%{spsr_el2:x} (M: %{target_mode:mode}) "
			     "hcr_el2: %{hcr_el2:x}" },
	{ "kvm_inject_nested_exception", "%{type:nexc}: esr_el2 0x%{esr_el2:x} elr_el2: 0x%{pc:x} "
		"spsr_el2: 0x%{spsr_el2:x} (M: %{source_mode:mode}) hcr_el2: %{hcr_el2:x}" },
	{ "kvm_forward_sysreg_trap", "%{pc:x} %{is_read:RW} (%{Op0:d},%{Op1:d},%{CRn:d},%{CRm:d},%{Op2:d})" },
	{ "kvm_forward_sysreg_trap", "%{is_read:RW} %{sysreg:x}" },
	{ "kvm_wfx_arm64", "guest executed wf%{is_wfe:wf} at: 0x%{vcpu_pc:x}" },
	{ "kvm_hvc_arm64", "HVC at 0x%{vcpu_pc:x} (r0: 0x%{r0:x}, imm: 0x%{imm:x})" },
	{ "kvm_handle_sys_reg", "HSR 0x%{hsr:x}" },
	{ "kvm_sys_access", "PC: %{vcpu_pc:x} %{-} (%{Op0:d},%{Op1:d},%{CRn:d},%{CRm:d},%{Op2:d}) "
			    "%{is_write:rw}" },
	{ "vgic_update_irq_pending", "VCPU: %{vcpu_id:d}, IRQ %{irq:d}, level: %{level:d}" },
	/* common */
	{ "kvm_age_hva", "mmu notifier age hva: %{start:n} -- %{end:n}" },
	{ "kvm_test_age_hva", "mmu notifier test age hva: %{hva:n}" },
	{ "kvm_unmap_hva_range", "mmu notifier unmap range: %{start:n} -- %{end:n}" },
	{ "kvm_userspace_exit", "reason restart (%{-})%{errno=-4}%{reason=0}" },
	{ "kvm_userspace_exit", "reason error (%{errno:neg})%{reason=0}" },
	{ "kvm_userspace_exit", "reason %{reason:kvmexit} (%{-})%{errno=0}" },
	{ "kvm_mmio", "mmio %{type:mmio} len %{len:d} gpa 0x%{gpa:x} val 0x%{val:x}" },
	{ "kvm_fpu", "%{load:fpu}" },
	{ "kvm_vcpu_wakeup", "%{waited:wait} time %{ns:d} ns, polling %{valid:valid}" },
	{ "kvm_halt_poll_ns", "vcpu %{vcpu_id:d}: halt_poll_ns %{new:d} (%{grow:grow} %{old:d})" },
	{ "kvm_set_irq", "gsi %{gsi:d} level %{level:d} source %{irq_source_id:d}" },
	/* x86 */
	{ "kvm_exit", "vcpu %{vcpu_id:d} reason %{exit_reason:vmx}%{isa=1} rip 0x%{guest_rip:x} "
		      "info1 0x%{info1:x} info2 0x%{info2:x}%{*}" },
	{ "kvm_exit", "vcpu %{vcpu_id:d} reason %{exit_reason:svm}%{isa=2} rip 0x%{guest_rip:x} "
		      "info1 0x%{info1:x} info2 0x%{info2:x}%{*}" },
	{ "kvm_exit", "reason %{exit_reason:vmx}%{isa=1} rip 0x%{guest_rip:x} info %{info1:x} %{info2:x}%{*}" },
	{ "kvm_exit", "reason %{exit_reason:svm}%{isa=2} rip 0x%{guest_rip:x} info %{info1:x} %{info2:x}%{*}" },
	{ "kvm_entry", "vcpu %{vcpu_id:d}, rip 0x%{rip:x}%{*}" },
	{ "kvm_entry", "vcpu %{vcpu_id:d}%{*}" },
	{ "kvm_pio", "pio_%{rw:rw} at 0x%{port:x} size %{size:d} count %{count:d} val 0x%{val:x}%{*}" },
	{ "kvm_msr", "msr_%{write:rw} %{ecx:x} = 0x%{data:x} (#GP)%{exception=1}" },
	{ "kvm_msr", "msr_%{write:rw} %{ecx:x} = 0x%{data:x}%{exception=0}" },
	{ "kvm_cpuid", "func %{function:x} idx %{index:x} rax %{rax:x} rbx %{rbx:x} rcx %{rcx:x} "
		       "rdx %{rdx:x}%{*}" },
	{ "kvm_cpuid", "func %{function:x} rax %{rax:x} rbx %{rbx:x} rcx %{rcx:x} rdx %{rdx:x}%{*}" },
	{ "kvm_hypercall", "nr 0x%{nr:x} a0 0x%{a0:x}%{*}" },
	{ "kvm_emulate_insn", "%{csbase:x}:%{rip:x}:%{-} failed%{failed=1}" },
	{ "kvm_emulate_insn", "%{csbase:x}:%{rip:x}:%{*}%{failed=0}" },
	{ "kvm_nested_vmexit", "vcpu %{vcpu_id:d} reason %{exit_reason:vmx}%{isa=1} rip 0x%{guest_rip:x} "
			       "info1 0x%{info1:x} info2 0x%{info2:x}%{*}" },
	{ "kvm_nested_vmexit", "vcpu %{vcpu_id:d} reason %{exit_reason:svm}%{isa=2} rip 0x%{guest_rip:x} "
			       "info1 0x%{info1:x} info2 0x%{info2:x}%{*}" },
	{ "kvm_nested_vmexit", "rip: 0x%{rip:x} reason: %{exit_code:vmx}%{isa=1} "
			       "ext_inf1: 0x%{exit_info1:x} ext_inf2: 0x%{exit_info2:x}%{*}" },
	{ "kvm_nested_vmexit", "rip: 0x%{rip:x} reason: %{exit_code:svm}%{isa=2} "
			       "ext_inf1: 0x%{exit_info1:x} ext_inf2: 0x%{exit_info2:x}%{*}" },
	{ "kvm_nested_vmexit_inject", "reason: %{exit_code:vmx}%{isa=1} ext_inf1: 0x%{exit_info1:x} "
				      "ext_inf2: 0x%{exit_info2:x}%{*}" },
	{ "kvm_nested_vmexit_inject", "reason: %{exit_code:svm}%{isa=2} ext_inf1: 0x%{exit_info1:x} "
				      "ext_inf2: 0x%{exit_info2:x}%{*}" },
	{ "kvm_nested_vmenter", "rip: 0x%{rip:x} vmcs: 0x%{vmcb:x} nested_rip: 0x%{nested_rip:x}%{*}%{isa=1}" },
	{ "kvm_nested_vmenter", "rip: 0x%{rip:x} vmcb: 0x%{vmcb:x} nested_rip: 0x%{nested_rip:x}%{*}%{isa=2}" },
	{ "kvm_nested_intr_vmexit", "rip: 0x%{rip:x}" },
	{ "kvm_page_fault", "vcpu %{vcpu_id:d} rip 0x%{guest_rip:x} address 0x%{fault_address:x} "
			    "error_code 0x%{error_code:x}" },
	{ "kvm_page_fault", "address %{fault_address:x} error_code %{error_code:x}" },
	{ "kvm_cr", "cr_%{rw:rw} %{cr:x} = 0x%{val:x}" },
};

/* Small symbol tables of the print formats (value, name). */
static const struct nv_sym rw[] = { { 0, "read" }, { 1, "write" } };
static const struct nv_sym RW[] = { { 1, "R" }, { 0, "W" } };
static const struct nv_sym wf[] = { { 1, "e" }, { 0, "i" } };
static const struct nv_sym onoff[] = { { 1, "on" }, { 0, "off" } };
static const struct nv_sym fpu[] = { { 0, "unload" }, { 1, "load" } };
static const struct nv_sym wait[] = { { 1, "wait" }, { 0, "poll" } };
static const struct nv_sym valid[] = { { 1, "valid" }, { 0, "invalid" } };
static const struct nv_sym grow[] = { { 1, "grow" }, { 0, "shrink" } };
static const struct nv_sym mmio[] = { { 0, "unsatisfied-read" }, { 1, "read" }, { 2, "write" } };

#define SYMS(a) { a, sizeof(a) / sizeof(a[0]) }
static const struct { const char *type; struct nv_symtab tab; const struct nv_symtab *ext; } symtypes[] = {
	{ "rw", SYMS(rw), NULL },       { "RW", SYMS(RW), NULL },
	{ "wf", SYMS(wf), NULL },       { "onoff", SYMS(onoff), NULL },
	{ "fpu", SYMS(fpu), NULL },     { "wait", SYMS(wait), NULL },
	{ "valid", SYMS(valid), NULL }, { "grow", SYMS(grow), NULL },
	{ "mmio", SYMS(mmio), NULL },
	{ "exc", { NULL, 0 }, &nv_arm_ret_syms },
	{ "mode", { NULL, 0 }, &nv_arm_mode_syms },
	{ "nexc", { NULL, 0 }, &nv_arm_inject_syms },
	{ "kvmexit", { NULL, 0 }, &nv_kvm_exit_syms },
	{ "vmx", { NULL, 0 }, &nv_vmx_exit_syms },
	{ "svm", { NULL, 0 }, &nv_svm_exit_syms },
};

/* All templates of an event, in table order (most specific first). */
int tf_find(const char *event, const struct text_format **out, int max)
{
	int n = 0;
	for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]) && n < max; i++)
		if (strcmp(formats[i].event, event) == 0)
			out[n++] = &formats[i];
	return n;
}

/* A placeholder: its name and type, and where the template goes on. */
struct ph { const char *name; int nlen; const char *type; int tlen; char kind; const char *end; };

/* Parse "%{...}" at t (t points at '%'). kind: ':' field, '=' const, '-' skip, '*' rest. */
static void ph_parse(const char *t, struct ph *p)
{
	const char *s = t + 2, *close = strchr(s, '}');
	const char *sep = s;
	while (sep < close && *sep != ':' && *sep != '=')
		sep++;
	p->name = s;
	p->nlen = (int)(sep - s);
	p->kind = sep < close ? *sep : *s;
	p->type = sep < close ? sep + 1 : close;
	p->tlen = (int)(close - p->type);
	p->end = close + 1;
}

/* Fields are numbered in template order; constants count, skips do not. */
int tf_field_index(const char *tmpl, const char *name)
{
	int idx = 0;
	size_t n = strlen(name);
	for (const char *t = strstr(tmpl, "%{"); t; t = strstr(t + 2, "%{")) {
		struct ph p;
		ph_parse(t, &p);
		if (p.kind != ':' && p.kind != '=')
			continue;
		if ((size_t)p.nlen == n && strncmp(p.name, name, n) == 0)
			return idx;
		idx++;
	}
	return -1;
}

static int word_char(char c) { return isalnum((unsigned char)c) || c == '_' || c == '-'; }

/* A number: hex (optional 0x) when hex, else 0x-prefixed hex or decimal. */
static int read_number(const char **sp, int hex, uint64_t *v)
{
	const char *s = *sp;
	char *end;
	int neg = 0;
	if (!hex && *s == '-') {
		neg = 1;
		s++;
	}
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		s += 2;
		hex = 1;
	}
	if (!(hex ? isxdigit((unsigned char)*s) : isdigit((unsigned char)*s)))
		return 0;
	*v = strtoull(s, &end, hex ? 16 : 10);
	if (neg)
		*v = -*v;
	*sp = end;
	return 1;
}

/* A symbol of table t at *sp (longest name first wins), or a number. */
static int read_symbol(const char **sp, const struct nv_symtab *t, uint64_t *v)
{
	size_t best = 0;
	for (size_t i = 0; i < t->n; i++) {
		size_t n = strlen(t->sym[i].name);
		if (n > best && strncmp(*sp, t->sym[i].name, n) == 0 && !word_char((*sp)[n]) ) {
			best = n;
			*v = (uint64_t)t->sym[i].value;
		}
	}
	if (best) {
		*sp += best;
		return 1;
	}
	return read_number(sp, 0, v);
}

/* Read one typed value at *sp. */
static int read_value(const struct ph *p, const char **sp, uint64_t *v)
{
	while (**sp == ' ')
		(*sp)++;
	if (p->tlen == 1 && (*p->type == 'x'))
		return read_number(sp, 1, v);
	if (p->tlen == 1 && (*p->type == 'd' || *p->type == 'n'))
		return read_number(sp, 0, v);
	if (p->tlen == 3 && !strncmp(p->type, "neg", 3)) {
		if (!read_number(sp, 0, v))
			return 0;
		*v = -*v;
		return 1;
	}
	for (size_t i = 0; i < sizeof(symtypes) / sizeof(symtypes[0]); i++)
		if ((size_t)p->tlen == strlen(symtypes[i].type) &&
		    !strncmp(p->type, symtypes[i].type, p->tlen))
			return read_symbol(sp, symtypes[i].ext ? symtypes[i].ext : &symtypes[i].tab, v);
	return 0;
}

/*
 * Where the literal text of template t (up to its next placeholder) first
 * matches in s, with "any run of spaces" for each space; *after is set past
 * the match.  NULL if nowhere.  Cost: linear in s for a template's literal.
 */
static const char *find_literal(const char *t, const char *s, const char **after)
{
	while (*t == ' ')	/* leading spaces may match none: the skip takes them */
		t++;
	if (!*t) {		/* a skip at the end takes the rest */
		*after = s + strlen(s);
		return s;
	}
	if (t[0] == '%' && t[1] == '{') {
		*after = s;
		return s;
	}
	for (const char *k = strchr(s, *t); k; k = strchr(k + 1, *t)) {
		const char *lt = t, *ls = k;
		while (*lt && !(lt[0] == '%' && lt[1] == '{')) {
			if (*lt == ' ') {
				while (*lt == ' ')
					lt++;
				while (*ls == ' ' || *ls == '\t')
					ls++;
			} else if (*lt++ != *ls++) {
				break;
			}
		}
		if (!*lt || (lt[0] == '%' && lt[1] == '{')) {
			*after = ls;
			return k;
		}
	}
	return NULL;
}

/*
 * Match template t against s.  %{-} skips to the first place where the
 * literal text after it matches (no backtracking: linear time in s).
 */
static int match_from(const char *t, const char *s, uint64_t *vals)
{
	int slot = 0;
	while (*t) {
		if (t[0] == '%' && t[1] == '{') {
			struct ph p;
			ph_parse(t, &p);
			t = p.end;
			if (p.kind == '*') {
				s += strlen(s);
			} else if (p.kind == '-') {
				const char *after;
				if (!find_literal(t, s, &after))
					return 0;
				while (*t && !(t[0] == '%' && t[1] == '{'))
					t++;
				s = after;
			} else if (p.kind == '=') {
				const char *c = p.type;
				if (slot >= TF_MAX_FIELDS || !read_number(&c, 0, &vals[slot]))
					return 0;
				slot++;
			} else {
				if (slot >= TF_MAX_FIELDS || !read_value(&p, &s, &vals[slot]))
					return 0;
				slot++;
			}
		} else if (*t == ' ') {
			while (*t == ' ')
				t++;
			while (*s == ' ' || *s == '\t')
				s++;
		} else if (*t++ != *s++) {
			return 0;
		}
	}
	while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
		s++;
	return *s == 0;
}

/* Leading spaces of the message (trace-cmd pads after the name) are ignored. */
int tf_match(const char *tmpl, const char *msg, uint64_t *vals)
{
	while (*msg == ' ')
		msg++;
	return match_from(tmpl, msg, vals);
}
