/* Names of canonical event types and of the arm64 codes they carry. */
#include <string.h>
#include "schema/event.h"

struct type_row { const char *system, *name; enum nv_host_arch host; };

static const struct type_row types[NV_EV__COUNT] = {
#define X(e, sys, nm, h) [NV_EV_##e] = { sys, nm, h },
#include "schema/event_types.def"
#undef X
};

/* ESR_ELx.EC values and the names kvm_arm_exception_class prints. */
static const struct { int ec; const char *name; } ecs[] = {
	{ 0x00, "UNKNOWN" },    { 0x01, "WFx" },         { 0x03, "CP15_32" },
	{ 0x04, "CP15_64" },    { 0x05, "CP14_MR" },     { 0x06, "CP14_LS" },
	{ 0x07, "FP_ASIMD" },   { 0x08, "CP10_ID" },     { 0x09, "PAC" },
	{ 0x0C, "CP14_64" },    { 0x0D, "BTI" },         { 0x0E, "ILL" },
	{ 0x11, "SVC32" },      { 0x12, "HVC32" },       { 0x13, "SMC32" },
	{ 0x15, "SVC64" },      { 0x16, "HVC64" },       { 0x17, "SMC64" },
	{ 0x18, "SYS64" },      { 0x19, "SVE" },         { 0x1A, "ERET" },
	{ 0x1C, "FPAC" },       { 0x1D, "SME" },         { 0x1F, "IMP_DEF" },
	{ 0x20, "IABT_LOW" },   { 0x21, "IABT_CUR" },    { 0x22, "PC_ALIGN" },
	{ 0x24, "DABT_LOW" },   { 0x25, "DABT_CUR" },    { 0x26, "SP_ALIGN" },
	{ 0x27, "MOPS" },       { 0x28, "FP_EXC32" },    { 0x2C, "FP_EXC64" },
	{ 0x2D, "GCS" },        { 0x2F, "SERROR" },      { 0x30, "BREAKPT_LOW" },
	{ 0x31, "BREAKPT_CUR" },{ 0x32, "SOFTSTP_LOW" }, { 0x33, "SOFTSTP_CUR" },
	{ 0x34, "WATCHPT_LOW" },{ 0x35, "WATCHPT_CUR" }, { 0x38, "BKPT32" },
	{ 0x3A, "VECTOR32" },   { 0x3C, "BRK64" },
};

/* kvm_arm_exception_type, indexed by enum nv_arm_exc. */
static const char *const excs[] = {
	"IRQ", "SERROR", "TRAP", "ILLEGAL", "HYP_GONE", "HYP_REQ",
};

void nv_event_clear(struct nv_event *ev)
{
	memset(ev, 0, sizeof(*ev));
	ev->vcpu = ev->reason = ev->ec = ev->sysreg = ev->dir = ev->mode = -1;
	ev->cpu = ev->pid = -1;
	ev->name_id = -1;
}

const char *nv_event_type_name(enum nv_event_type t)
{
	return (unsigned)t < NV_EV__COUNT ? types[t].name : "";
}

const char *nv_event_type_system(enum nv_event_type t)
{
	return (unsigned)t < NV_EV__COUNT ? types[t].system : "";
}

enum nv_host_arch nv_event_type_host(enum nv_event_type t)
{
	return (unsigned)t < NV_EV__COUNT ? types[t].host : NV_HOST_ANY;
}

enum nv_event_type nv_event_type_of(const char *name)
{
	for (int t = 1; t < NV_EV__COUNT; t++)
		if (strcmp(types[t].name, name) == 0)
			return (enum nv_event_type)t;
	return NV_EV_OTHER;
}

const char *nv_arm_exc_name(int exc)
{
	if (exc >= 0 && exc < (int)(sizeof(excs) / sizeof(excs[0])))
		return excs[exc];
	return "UNKNOWN";
}

int nv_arm_exc_of(const char *name)
{
	for (int i = 0; i < (int)(sizeof(excs) / sizeof(excs[0])); i++)
		if (strcmp(excs[i], name) == 0)
			return i;
	return -1;
}

const char *nv_arm_ec_name(int ec)
{
	for (size_t i = 0; i < sizeof(ecs) / sizeof(ecs[0]); i++)
		if (ecs[i].ec == ec)
			return ecs[i].name;
	return "UNKNOWN";
}

int nv_arm_ec_of(const char *name)
{
	for (size_t i = 0; i < sizeof(ecs) / sizeof(ecs[0]); i++)
		if (strcmp(ecs[i].name, name) == 0)
			return ecs[i].ec;
	return -1;
}
