/*
 * Shadow stage-2 MMU: the guest hypervisor's stage-2 tables (L2 IPA -> L1
 * IPA) as model state, and the shadow stage-2 tables L0 builds from them by
 * a software walk, as Linux arch/arm64/kvm/nested.c does:
 *
 *  - a pool of S2_MMU_PER_VCPU shadow MMUs per vCPU, keyed by the guest's
 *    VTTBR_EL2 (VMID + BADDR, CnP ignored), VTCR_EL2 and HCR_EL2.VM
 *    (lookup_s2_mmu), a miss taking the next unreferenced one round-robin
 *    and unmapping it (get_s2_mmu_nested, kvm_vcpu_load_hw_mmu/put);
 *  - a nested-VM access missing the shadow traps to L0, which walks the
 *    guest's tables (kvm_walk_nested_s2): mapped -> L0 fills the shadow and
 *    resumes the nested VM (no exit multiplication, but a walk); not mapped
 *    or not permitted -> the fault is forwarded to the guest hypervisor;
 *  - TLBI ALLE1*, VMALLS12E1*, IPAS2E1* and IPAS2LE1* from the guest hypervisor
 *    unmap shadows (handle_alle1is, handle_vmalls12e1is, handle_ipas2e1is
 *    with compute_tlb_inval_range), so later accesses fault again.
 *
 * Only the 4KB granule is modelled.  Table "memory" of the guest lives in
 * the model (S2G_TABLES pages at L1 IPA S2G_TABLE_BASE).  L1's own memory
 * (L0's canonical stage 2 for the guest hypervisor) is assumed mapped.
 */
#ifndef NVTRACE_S2MMU_H
#define NVTRACE_S2MMU_H

#include <stdbool.h>
#include <stdint.h>
#include "model/digest.h"
#include "model/subop.h"

#define S2_MMU_PER_VCPU 2          /* Linux nested.c */
#define S2MMU_MAX_VCPUS 4
#define S2MMU_POOL (S2MMU_MAX_VCPUS * S2_MMU_PER_VCPU)
#define S2G_TABLES 16              /* table pages the guest hypervisor can use */
#define S2G_TABLE_BASE 0x80000000ull
#define S2_SHADOW_MAX 64           /* shadow mappings per shadow MMU */

/* Stage-2 descriptor bits (VMSAv8-64, 4KB granule). */
#define S2_DESC_VALID   (1ull << 0)
#define S2_DESC_TABLE   (1ull << 1)  /* table (levels 0-2) or page (level 3) */
#define S2_DESC_S2AP_R  (1ull << 6)
#define S2_DESC_S2AP_W  (1ull << 7)
#define S2_DESC_AF      (1ull << 10)
#define S2_DESC_OA_MASK 0x0000fffffffff000ull

#define S2_VTTBR_CNP 1ull
#define S2_VTTBR_VMID(v) ((uint16_t)((v) >> 48))
#define S2_HCR_VM 1ull

/* VTCR_EL2 for a 39-bit IPA space, 4KB granule, walk starting at level 1
 * (T0SZ = 25, SL0 = 1, TG0 = 0): three levels of tables. */
#define S2_VTCR_39BIT_4K 0x59ull

enum s2_perm { S2_PERM_R = 1, S2_PERM_W = 2, S2_PERM_RW = 3 };

enum s2_fault { S2_FAULT_NONE, S2_FAULT_TRANSLATION, S2_FAULT_ADDRSZ, S2_FAULT_PERM };

struct s2_walk_result {
	enum s2_fault fault;
	int level;         /* level of the leaf, or of the faulting lookup */
	unsigned reads;    /* descriptors read by the walk */
	uint64_t oa;       /* output (L1 IPA) of ipa */
	uint64_t size;     /* size of the leaf mapping */
	bool readable, writable;
};

enum s2_access_result {
	S2_ACCESS_HIT,       /* shadow maps it: the nested VM does not trap */
	S2_ACCESS_RESOLVED,  /* shadow fault, L0 walked and filled the shadow */
	S2_ACCESS_FORWARD,   /* shadow fault forwarded to the guest hypervisor */
};

/* TLB maintenance from the guest hypervisor that touches stage 2. */
enum s2_tlbi {
	S2_TLBI_ALLE1, S2_TLBI_ALLE1IS, S2_TLBI_ALLE1OS,
	S2_TLBI_VMALLS12E1, S2_TLBI_VMALLS12E1IS, S2_TLBI_VMALLS12E1OS,
	S2_TLBI_IPAS2E1, S2_TLBI_IPAS2E1IS, S2_TLBI_IPAS2E1OS,
	S2_TLBI_IPAS2LE1, S2_TLBI_IPAS2LE1IS, S2_TLBI_IPAS2LE1OS,
	S2_TLBI_VMALLE1IS,   /* stage-1 only: reaches no shadow S2 mapping */
	S2_TLBI__COUNT
};

struct s2_shadow_map {
	uint64_t ipa, size, oa;  /* L2 IPA range -> L1 IPA */
	uint8_t level;           /* level of the guest's mapping (Linux's level tag) */
	bool writable;
};

struct s2_shadow {
	uint64_t tlb_vttbr;      /* key; CnP set = invalid (kvm_init_nested_s2_mmu) */
	uint64_t tlb_vtcr;
	bool s2_enabled;
	int refcnt;
	unsigned nr;
	struct s2_shadow_map map[S2_SHADOW_MAX];
};

struct s2mmu_vcpu {
	uint64_t vttbr, vtcr, hcr; /* the guest hypervisor's values (vEL2 state) */
	int hw_mmu;                /* -1 none, -2 canonical (vEL2), else pool index */
};

struct s2mmu_stats {
	uint64_t accesses, hits;
	uint64_t walks, walk_reads;        /* software walks and descriptors read */
	uint64_t shadow_faults;            /* accesses missing the shadow */
	uint64_t forwarded_faults;         /* of which forwarded to the guest hypervisor */
	uint64_t invalidations;            /* TLBIs that reached the shadows */
	uint64_t unmapped;                 /* shadow mappings dropped by them */
	uint64_t evictions;                /* shadow MMUs recycled for another key */
};

struct s2mmu {
	int nr_vcpus, pool_size, next;
	struct s2_shadow mmu[S2MMU_POOL];
	struct s2mmu_vcpu vcpu[S2MMU_MAX_VCPUS];
	uint64_t guest_table[S2G_TABLES][512];
	unsigned guest_tables;
	struct s2mmu_stats st;
	/* ---- not state: the generation, bumped by s2mmu_touch at every
	 * change of the state above but the statistics (equal generations of
	 * one s2mmu: equal state; the memo digests a state once per
	 * generation), where it was before the last vcpu put, and after */
	uint64_t gen, gen_next, put_before, put_after;
	int put_vcpu, put_hw;
};

/* Whole-VM state for nr_vcpus (1..S2MMU_MAX_VCPUS) vCPUs; NULL if out of range
 * or out of memory.  Free with s2mmu_free. */
struct s2mmu *s2mmu_new(int nr_vcpus);
void s2mmu_free(struct s2mmu *m);

/* The guest hypervisor allocates an empty root table; returns its L1 IPA
 * (the BADDR to put in VTTBR_EL2), or 0 when its table pages run out. */
uint64_t s2g_new_root(struct s2mmu *m);

/* The guest hypervisor maps [ipa, ipa+size) -> oa in the tables rooted at
 * baddr (size 4KB, 2MB or 1GB).  Its descriptor writes are logged as plain
 * memory writes.  Returns 1 if a valid mapping was replaced (break-before-
 * make: the guest must TLBI), 0 if the slot was empty, -1 on error. */
int s2g_map(struct s2mmu *m, uint64_t vtcr, uint64_t baddr, uint64_t ipa,
	    uint64_t oa, uint64_t size, unsigned perms, struct nv_subop_log *log);

/* The guest hypervisor unmaps the leaf covering ipa.  Returns 1 if it was
 * valid (the guest must TLBI), 0 if not mapped. */
int s2g_unmap(struct s2mmu *m, uint64_t vtcr, uint64_t baddr, uint64_t ipa,
	      struct nv_subop_log *log);

/* L0's software walk of the guest's tables (kvm_walk_nested_s2). */
enum s2_fault s2_walk(const struct s2mmu *m, uint64_t vtcr, uint64_t baddr,
		      uint64_t ipa, struct s2_walk_result *r);

/* The guest hypervisor's VTTBR_EL2 / VTCR_EL2 / HCR_EL2 for a vCPU. */
void s2mmu_set_guest_regs(struct s2mmu *m, int vcpu, uint64_t vttbr,
			  uint64_t vtcr, uint64_t hcr);

/* kvm_vcpu_load_hw_mmu: vEL2 runs on the canonical S2, the nested VM on a
 * shadow found or recycled for the guest's current key. */
void s2mmu_vcpu_load(struct s2mmu *m, int vcpu, bool in_hyp, struct nv_subop_log *log);
/* kvm_vcpu_put_hw_mmu: drop the vCPU's reference. */
void s2mmu_vcpu_put(struct s2mmu *m, int vcpu);

/* The nested VM (vCPU loaded, not in vEL2) touches ipa. */
enum s2_access_result s2mmu_access(struct s2mmu *m, int vcpu, uint64_t ipa,
				   bool is_write, struct s2_walk_result *walk,
				   struct nv_subop_log *log);

/* The guest hypervisor executes TLBI op with register value val (IPA >> 12
 * in bits [35:0], TTL in [47:44]); L0 invalidates the shadows it reaches. */
void s2mmu_tlbi(struct s2mmu *m, int vcpu, enum s2_tlbi op, uint64_t val,
		struct nv_subop_log *log);

/* The guest hypervisor's answer to a forwarded fault: map ipa -> oa in its
 * current tables and, when it replaced a valid entry, invalidate as KVM's
 * __kvm_tlb_flush_vmid_ipa does (VTTBR switch, TLBI IPAS2E1IS, TLBI
 * VMALLE1IS, VTTBR restore).  Returns s2g_map's result. */
int s2mmu_guest_fix_fault(struct s2mmu *m, int vcpu, uint64_t ipa, uint64_t oa,
			  uint64_t size, unsigned perms, struct nv_subop_log *log);

const char *s2_tlbi_name(enum s2_tlbi op);

/* The memo's view of the VM's stage 2 (model/digest.h): every field but the
 * statistics and the generation, the shadows' mappings in use and the
 * guest's table pages in use. */
void s2mmu_digest(const struct s2mmu *m, struct nv_digest *d);

/* The state changed: a new generation (m->gen), never one used before.
 * Every function here that changes the state calls it (s2mmu.c, s2walk.c);
 * a vcpu put then load of the same shadow leaves the state and so the
 * generation as they were. */
void s2mmu_touch(struct s2mmu *m);

#endif
