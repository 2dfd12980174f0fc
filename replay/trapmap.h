/*
 * How a model operation that traps to L0 shows in an L0 trace: the kvm_exit
 * exception class and, for system instructions, the register encoding and
 * direction kvm_sys_access prints.  synth writes traps this way and validate
 * compares observed traps with predicted ones this way, so both agree.
 */
#ifndef NVTRACE_TRAPMAP_H
#define NVTRACE_TRAPMAP_H

#include "model/model.h"
#include "replay/reconstruct.h"

#define NV_EC_WFX    0x01
#define NV_EC_HVC64  0x16
#define NV_EC_SMC64  0x17
#define NV_EC_SYS64  0x18
#define NV_EC_ERET   0x1a
#define NV_EC_IABT   0x20
#define NV_EC_DABT   0x24

/*
 * The trap an evaluated op makes L0 record inside a nested exit, or
 * code -1 when it records none (not a trap, or the nested VM's own
 * exception that starts the nested exit: that one precedes the injection).
 */
struct nv_trap nv_trap_of_op(const struct nv_op_result *r);

/* An observed trap as a variant signature sees it (register index, EC, direction). */
struct nv_obs_trap nv_trap_obs(const struct nv_trap *t);

/* A readable name of an observed/predicted trap: "MDSCR_EL1 read", "ERET". */
void nv_trap_name(const struct nv_trap *t, char *buf, size_t len);

#endif
