/*
 * The register table: unique names and encodings, lookups, the packing
 * shared with schema/event.h, the VNCR offsets of vncr_mapping.h, and the
 * v8.4 rule "memory fate exactly for the registers Linux backs with the
 * VNCR page" checked against the fixture copy of reference/vncr-offsets.txt.
 */
#include <stdlib.h>
#include "tap.h"
#include "model/model.h"
#include "schema/event.h"

#define MAX_LINES 256

/* Read "NAME [0xOFF]" lines of a fixture (comments skipped); count or -1. */
static int read_names(const char *path, char names[][32], int *offs)
{
	FILE *f = fopen(path, "r");
	char line[128];
	int n = 0;
	if (!f)
		return -1;
	while (n < MAX_LINES && fgets(line, sizeof line, f)) {
		unsigned off = 0;
		if (line[0] == '#' || line[0] == '\n')
			continue;
		if (sscanf(line, "%31s %x", names[n], &off) < 1)
			continue;
		if (offs)
			offs[n] = (int)off;
		n++;
	}
	fclose(f);
	return n;
}

static int in_list(char names[][32], int n, const char *name)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(names[i], name))
			return 1;
	return 0;
}

int main(void)
{
	static char vncr[MAX_LINES][32], not_backed[MAX_LINES][32];
	int offs[MAX_LINES];
	int nv = read_names("tests/fixtures/vncr-offsets.txt", vncr, offs);
	int nn = read_names("tests/fixtures/vncr-linux-not-backed.txt", not_backed, NULL);
	T_EQ_INT(nv, 98, "vncr-offsets.txt has the 98 #defines of vncr_mapping.h");
	T_EQ_INT(nn, 21, "21 of them are not backed by Linux (cross-check in linux-arm64-nv.md)");

	int dup_name = 0, dup_enc = 0, lookup_ok = 1;
	for (int i = 0; i < nv_sysreg_count(); i++) {
		const struct nv_sysreg *r = nv_sysreg_at(i);
		if (nv_sysreg_by_name(r->name) != i)
			dup_name++;
		if (r->enc >= 0 && nv_sysreg_by_enc(r->enc) != i)
			dup_enc++;
		if (r->enc < 0 && r->el != NV_EL_MMIO)
			lookup_ok = 0;
	}
	T_EQ_INT(dup_name, 0, "register names are unique");
	T_EQ_INT(dup_enc, 0, "encodings are unique");
	T_OK(lookup_ok, "only GICH MMIO registers lack an encoding");
	T_EQ_INT(NV_MREG(3, 4, 1, 1, 0), NV_SYSREG(3, 4, 1, 1, 0), "packing identical to schema NV_SYSREG");
	T_EQ_STR(nv_sysreg_at(nv_sysreg_by_enc(NV_SYSREG(3, 4, 1, 1, 0)))->name, "HCR_EL2",
		 "(3,4,1,1,0) is HCR_EL2 (event.h's own example)");
	/* Names the real trace (reference/real-arm64-nv) prints with encodings. */
	T_EQ_STR(nv_sysreg_at(nv_sysreg_by_enc(NV_SYSREG(1, 0, 8, 3, 5)))->name, "TLBI_VALE1IS",
		 "OP_TLBI_VALE1IS (1,0,8,3,5)");
	T_EQ_STR(nv_sysreg_at(nv_sysreg_by_enc(NV_SYSREG(3, 5, 14, 3, 1)))->name, "CNTV_CTL_EL02",
		 "SYS_CNTV_CTL_EL02 (3,5,14,3,1)");
	T_EQ_STR(nv_sysreg_at(nv_sysreg_by_enc(NV_SYSREG(3, 4, 12, 11, 1)))->name, "ICH_VTR_EL2",
		 "SYS_ICH_VTR_EL2 (3,4,12,11,1)");
	T_EQ_STR(nv_sysreg_at(nv_sysreg_by_enc(NV_SYSREG(2, 0, 0, 2, 2)))->name, "MDSCR_EL1",
		 "SYS_MDSCR_EL1 (2,0,0,2,2)");
	T_EQ_INT(nv_sysreg_by_name("hcr_el2"), nv_sysreg_by_name("HCR_EL2"), "lookup ignores case");
	T_EQ_INT(nv_sysreg_by_name("NO_SUCH_EL2"), -1, "unknown name -> -1");
	T_EQ_INT(nv_sysreg_by_enc(NV_SYSREG(3, 7, 15, 15, 7)), -1, "unknown encoding -> -1");

	/* Every VNCR register is in the table at its architected offset. */
	int bad_off = 0;
	for (int i = 0; i < nv; i++) {
		int r = nv_sysreg_by_name(vncr[i]);
		if (r < 0 || nv_sysreg_at(r)->vncr != offs[i]) {
			printf("# %s: table offset %d, fixture 0x%x\n", vncr[i], r < 0 ? -1 : nv_sysreg_at(r)->vncr,
			       offs[i]);
			bad_off++;
		}
	}
	T_EQ_INT(bad_off, 0, "every vncr-offsets.txt register is in the table at its offset");

	/* v8.4 (non-VHE guest, no optional L0 controls): memory <=> Linux-backed VNCR. */
	const struct nv_arch *v84 = nv_arch_find("v8.4");
	struct nv_guest_cfg g = nv_guest_cfg_default();
	int memory = 0, wrong = 0;
	for (int i = 0; i < nv_sysreg_count(); i++) {
		const struct nv_sysreg *r = nv_sysreg_at(i);
		enum nv_op_kind k = r->cls == NV_RC_TLBI ? NV_OP_TLBI : r->cls == NV_RC_AT ? NV_OP_AT :
				    r->el == NV_EL_MMIO ? NV_OP_MMIO_W : NV_OP_MSR;
		int is_mem = nv_arch_fate(v84, &g, k, i).fate == NV_FATE_MEMORY;
		int backed = in_list(vncr, nv, r->name) && !in_list(not_backed, nn, r->name);
		memory += is_mem;
		if (is_mem != backed) {
			printf("# %s: memory %d, Linux-backed %d\n", r->name, is_mem, backed);
			wrong++;
		}
	}
	T_EQ_INT(wrong, 0, "v8.4: memory fate exactly for the Linux VNCR-backed registers");
	T_EQ_INT(memory, 98 - 21, "77 registers have the memory fate under v8.4");
	return t_done();
}
