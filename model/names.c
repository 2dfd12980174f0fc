/* Names of the model's enums, for output and command-line parsing. */
#include <string.h>
#include <strings.h>
#include "model/model.h"

static const char *const exit_kind_names[NV_EXIT__COUNT] = {
#define NV_EXIT_KIND(id, name) #name,
#include "model/exit_kinds.def"
#undef NV_EXIT_KIND
};
static const char *const fate_names[NV_FATE__COUNT] = { "native", "trap", "memory", "redirect" };
static const char *const el_names[] = { "EL0", "EL1", "EL12", "EL2", "MMIO" };
static const char *const class_names[NV_RC__COUNT] = {
	"vm", "hyp", "thread", "timer", "gic", "debug", "pmu", "fgt", "id", "tlbi", "at",
};
static const char *const ctl_names[NV_CTL__COUNT] = {
	"none", "NV", "NV(SP_EL1)", "NV1", "NV(EL12)", "TVM/TRVM", "TCPAC", "TACR", "TDA",
	"TPM", "stage-2 (MMIO)", "TID3",
};
static const char *const op_kind_names[NV_OP__COUNT] = {
	"MRS", "MSR", "ERET", "HVC", "SMC", "TLBI", "AT", "MMIO-R", "MMIO-W", "EXC",
	"NATIVE", "MEM", "CALL",
};
static const char *const phase_names[NV_PHASE__COUNT] = { "exit", "handle", "entry" };
static const char *const source_names[NV_SRC__COUNT] = { "profile", "mmu", "timer", "gic" };

static const struct { const char *name; int puts_and_loads; } handlers[NV_H__COUNT] = {
#define X(id, name, pl) { name, pl },
	NV_HANDLERS(X)
#undef X
};

/* Index of name in a table of n names (case-insensitive), -1 if absent. */
static int lookup(const char *const *names, int n, const char *name)
{
	for (int i = 0; name && i < n; i++)
		if (!strcasecmp(names[i], name))
			return i;
	return -1;
}

/* Name of an exit kind, as on the command line ("hvc"). */
const char *nv_exit_kind_name(enum nv_exit_kind k)
{
	return (unsigned)k < NV_EXIT__COUNT ? exit_kind_names[k] : "?";
}

/* Exit kind from its name, -1 if unknown. */
int nv_exit_kind_from_name(const char *name)
{
	return lookup(exit_kind_names, NV_EXIT__COUNT, name);
}

/* Name of a fate ("trap"). */
const char *nv_fate_name(enum nv_fate f)
{
	return (unsigned)f < NV_FATE__COUNT ? fate_names[f] : "?";
}

/* Name of an exception level ("EL12" for the EL12/EL02 aliases). */
const char *nv_el_name(enum nv_el el)
{
	return (unsigned)el < sizeof(el_names) / sizeof(el_names[0]) ? el_names[el] : "?";
}

/* Name of a register class ("vm", "hyp"...). */
const char *nv_reg_class_name(enum nv_reg_class c)
{
	return (unsigned)c < NV_RC__COUNT ? class_names[c] : "?";
}

/* Name of the ARMv8.3 control that traps a register ("TVM/TRVM"). */
const char *nv_trap_ctl_name(enum nv_trap_ctl c)
{
	return (unsigned)c < NV_CTL__COUNT ? ctl_names[c] : "?";
}

/* Name of an op kind ("MSR"). */
const char *nv_op_kind_name(enum nv_op_kind k)
{
	return (unsigned)k < NV_OP__COUNT ? op_kind_names[k] : "?";
}

/* Name of a phase ("exit"). */
const char *nv_phase_name(enum nv_phase p)
{
	return (unsigned)p < NV_PHASE__COUNT ? phase_names[p] : "?";
}

/* Name of who produced an op ("profile", "mmu"...). */
const char *nv_source_name(enum nv_source s)
{
	return (unsigned)s < NV_SRC__COUNT ? source_names[s] : "?";
}

/* The KVM function an L0 handler is named after. */
const char *nv_handler_name(enum nv_handler h)
{
	return (unsigned)h < NV_H__COUNT ? handlers[h].name : "?";
}

/* Whether the handler pays a full vcpu_put + vcpu_load. */
int nv_handler_puts_and_loads(enum nv_handler h)
{
	return (unsigned)h < NV_H__COUNT ? handlers[h].puts_and_loads : 0;
}
