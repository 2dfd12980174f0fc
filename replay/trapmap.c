/* Model operations as the traps an L0 trace shows (see trapmap.h). */
#include <stdio.h>
#include <string.h>
#include "schema/event.h"
#include "replay/trapmap.h"

/* See trapmap.h. */
struct nv_trap nv_trap_of_op(const struct nv_op_result *r)
{
	struct nv_trap t = { -1, -1, -1, 0 };
	const struct nv_op *op = r->op;
	const struct nv_sysreg *reg = op->reg >= 0 ? nv_sysreg_at(op->reg) : NULL;

	if (r->fate != NV_FATE_TRAP)
		return t;
	switch (op->kind) {
	case NV_OP_MRS:
	case NV_OP_MSR:
	case NV_OP_TLBI:
	case NV_OP_AT:
		if (reg && reg->enc < 0) {	/* a GICv2 GICH register: MMIO */
			t.code = NV_EC_DABT;
			break;
		}
		t.code = NV_EC_SYS64;
		t.sysreg = reg ? reg->enc : -1;
		t.dir = op->kind != NV_OP_MRS;	/* TLBI/AT print as writes */
		break;
	case NV_OP_ERET: t.code = NV_EC_ERET; break;
	case NV_OP_HVC:  t.code = NV_EC_HVC64; break;
	case NV_OP_SMC:  t.code = NV_EC_SMC64; break;
	case NV_OP_MMIO_R:
	case NV_OP_MMIO_W:
	case NV_OP_MEM:  t.code = NV_EC_DABT; break;
	default: break;	/* EXC: the nested VM's exit; NATIVE/CALL: none */
	}
	return t;
}

/* See trapmap.h: validate selects variants with it, profile from learns signatures with it. */
struct nv_obs_trap nv_trap_obs(const struct nv_trap *t)
{
	struct nv_obs_trap o;
	o.reg = (int16_t)(t->sysreg >= 0 ? nv_sysreg_by_enc(t->sysreg) : -1);
	o.ec = (int16_t)t->code;
	o.dir = (int8_t)t->dir;
	return o;
}

/* Register name and direction for sysreg traps, else the EC name. */
void nv_trap_name(const struct nv_trap *t, char *buf, size_t len)
{
	if (t->code == NV_EC_SYS64 && t->sysreg >= 0) {
		int i = nv_sysreg_by_enc(t->sysreg);
		const char *dir = t->dir == 1 ? " write" : t->dir == 0 ? " read" : "";
		if (i >= 0)
			snprintf(buf, len, "%s%s", nv_sysreg_at(i)->name, dir);
		else
			snprintf(buf, len, "S%d_%d_C%d_C%d_%d%s", NV_SYSREG_OP0(t->sysreg),
				 NV_SYSREG_OP1(t->sysreg), NV_SYSREG_CRN(t->sysreg),
				 NV_SYSREG_CRM(t->sysreg), NV_SYSREG_OP2(t->sysreg), dir);
		return;
	}
	const char *ec = nv_arm_ec_name(t->code);
	if (ec && *ec && strcmp(ec, "UNKNOWN"))
		snprintf(buf, len, "%s", ec);
	else
		snprintf(buf, len, "EC 0x%02x", t->code);
}
