/*
 * nvtrace regs: the model's register table (and the TLBI/AT instructions and
 * GICv2 GICH registers it knows) with each register's fate under one
 * architecture, for an access by the guest hypervisor at vEL2.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include "cli/commands.h"
#include "cli/model_cli.h"
#include "cli/opts.h"

enum { OPT_FIND = NV_OPT_CMD_BASE };

static const struct nv_opt regs_opts[] = {
	NV_OPT_ARCH("architecture ({archs}); default v8.3"),
	NV_OPT_GUEST("take VHE/non-VHE and L0's optional trap controls from this\n"
		     "profile ({guests}, or a .prof file); default: the\n"
		     "architecture alone (non-VHE, no optional L0 controls)"),
	NV_OPT_SET,
	{ OPT_FIND, "find", "X", "only the register named X, or with encoding OP0,OP1,CRN,CRM,OP2",
	  NVC_NONE, NULL },
	{ NV_OPT_CSV_KEY, "csv", NULL, "CSV on stdout: name,op0,op1,crn,crm,op2,el,class,fate", NVC_NONE, NULL },
	{ NV_OPT_JSON_KEY, "json", NULL, "JSON on stdout: the same fields, and the L0 handler or\n"
	  "redirect target", NVC_NONE, NULL },
	{ 0 }
};

const struct nv_cmd_spec nv_spec_regs = {
	"regs", "[--arch A] [--guest G] [--set OPT=V]... [--find NAME|OP0,OP1,CRN,CRM,OP2] [--csv|--json]",
	"The system register table and each register's fate when the guest hypervisor\n"
	"accesses it at vEL2 (MSR for registers).",
	regs_opts, NVC_NONE, NULL, 0,
};

/* "3,4,1,1,0" -> encoding, -1 if it is not five numbers. */
static int parse_enc(const char *s)
{
	int f[5];
	char tail;
	if (sscanf(s, "%d,%d,%d,%d,%d%c", &f[0], &f[1], &f[2], &f[3], &f[4], &tail) != 5)
		return -1;
	if (f[0] < 0 || f[0] > 3 || f[1] < 0 || f[1] > 7 || f[2] < 0 || f[2] > 15 || f[3] < 0 ||
	    f[3] > 15 || f[4] < 0 || f[4] > 7)
		return -1;
	return NV_MREG(f[0], f[1], f[2], f[3], f[4]);
}

/* Whether a row is the one --find asked for (by name or encoding). */
static int matches(const struct nv_sysreg *r, const char *find, int want_enc)
{
	return !strcasecmp(find, r->name) || (want_enc >= 0 && r->enc == want_enc);
}

/* The op an access to this row is: MSR, TLBI, AT or an MMIO write. */
static enum nv_op_kind access_kind(const struct nv_sysreg *r)
{
	if (r->cls == NV_RC_TLBI)
		return NV_OP_TLBI;
	if (r->cls == NV_RC_AT)
		return NV_OP_AT;
	return r->el == NV_EL_MMIO ? NV_OP_MMIO_W : NV_OP_MSR;
}

/* One table row, as text, CSV (csv 1) or a JSON object (csv 2, first: no comma). */
static void print_reg(const struct nv_sysreg *r, struct nv_fate_info f, int csv, int first)
{
	char enc[5][4];
	for (int i = 0; i < 5; i++)
		strcpy(enc[i], "-");
	if (r->enc >= 0) {
		int v[5] = { (r->enc >> 16) & 3, (r->enc >> 12) & 7, (r->enc >> 8) & 15, (r->enc >> 4) & 15,
			     r->enc & 7 };
		for (int i = 0; i < 5; i++)
			snprintf(enc[i], sizeof enc[i], "%d", v[i]);
	}
	char fate[48];
	if (f.fate == NV_FATE_TRAP)
		snprintf(fate, sizeof fate, "trap:%s", nv_handler_name(f.handler));
	else if (f.fate == NV_FATE_REDIRECT && f.target >= 0)
		snprintf(fate, sizeof fate, "redirect:%s", nv_sysreg_at(f.target)->name);
	else
		snprintf(fate, sizeof fate, "%s", nv_fate_name(f.fate));
	if (csv == 2) {
		printf("%s\n {\"name\": \"%s\", \"encoding\": ", first ? "" : ",", r->name);
		if (r->enc >= 0)
			printf("[%s, %s, %s, %s, %s]", enc[0], enc[1], enc[2], enc[3], enc[4]);
		else
			printf("null");
		printf(", \"el\": \"%s\", \"class\": \"%s\", \"fate\": \"%s\", \"detail\": \"%s\"}",
		       nv_el_name(r->el), nv_reg_class_name(r->cls), nv_fate_name(f.fate), fate);
		return;
	}
	if (csv) {
		printf("%s,%s,%s,%s,%s,%s,%s,%s,%s\n", r->name, enc[0], enc[1], enc[2], enc[3], enc[4],
		       nv_el_name(r->el), nv_reg_class_name(r->cls), nv_fate_name(f.fate));
		return;
	}
	char vncr[8] = "-";
	if (r->vncr >= 0)
		snprintf(vncr, sizeof vncr, "0x%03x", r->vncr);
	printf("%-18s %2s %2s %3s %3s %2s  %-4s %-6s %-10s %-6s %s\n", r->name, enc[0], enc[1], enc[2],
	       enc[3], enc[4], nv_el_name(r->el), nv_reg_class_name(r->cls), nv_trap_ctl_name(r->ctl), vncr,
	       fate);
}

/* nvtrace regs: parse options, then print the (filtered) table. */
int cmd_regs(int argc, char **argv)
{
	const char *arch_name = "v8.3", *guest = NULL, *find = NULL, *sets[32];
	int csv = 0, nsets = 0, c, rc;
	struct nv_optparse p;
	nv_opt_init(&p, &nv_spec_regs, argc, argv);
	while ((c = nv_opt_next(&p)) != NV_OPT_DONE) {
		switch (c) {
		case NV_OPT_STOP: return p.status;
		case 'a': arch_name = p.arg; break;
		case 'g': guest = p.arg; break;
		case 's':
			if (nsets == 32)
				return nv_usage_error(&nv_spec_regs, "at most 32 --set options");
			sets[nsets++] = p.arg;
			break;
		case OPT_FIND: find = p.arg; break;
		case NV_OPT_CSV_KEY: csv = 1; break;
		case NV_OPT_JSON_KEY: csv = 2; break;
		}
	}
	if (p.ind < argc)
		return nv_usage_error(&nv_spec_regs, "unexpected argument '%s'", argv[p.ind]);
	const struct nv_arch *arch;
	if ((rc = model_cli_arch("regs", arch_name, &arch)))
		return rc;
	if (nsets && !guest)
		return nv_usage_error(&nv_spec_regs, "--set needs --guest");
	struct nv_guest_cfg cfg = nv_guest_cfg_default();
	if (guest) {
		struct nv_profile *p;
		if ((rc = model_cli_guest("regs", guest, &p)))
			return rc;
		for (int i = 0; i < nsets && !rc; i++)
			rc = model_cli_set("regs", p, sets[i]);
		cfg = nv_profile_cfg(p);
		nv_profile_free(p);
		if (rc)
			return rc;
	}
	int want_enc = find ? parse_enc(find) : -1, shown = 0;
	for (int i = 0; find && i < nv_sysreg_count(); i++)
		shown += matches(nv_sysreg_at(i), find, want_enc);
	if (find && !shown) {
		fprintf(stderr, "nvtrace regs: no register '%s' in the table\n", find);
		return NV_EXIT_ERR;
	}
	if (csv == 2)
		printf("{\"arch\": \"%s\", \"vhe_guest\": %s, \"registers\": [", nv_arch_name(arch),
		       cfg.vhe ? "true" : "false");
	else if (csv)
		printf("name,op0,op1,crn,crm,op2,el,class,fate\n");
	else
		printf("%-18s %2s %2s %3s %3s %2s  %-4s %-6s %-10s %-6s fate under %s%s\n", "name", "o0", "o1",
		       "crn", "crm", "o2", "el", "class", "v8.3 trap", "vncr", nv_arch_name(arch),
		       cfg.vhe ? " (VHE guest)" : " (non-VHE guest)");
	for (int i = 0, n = 0; i < nv_sysreg_count(); i++) {
		const struct nv_sysreg *r = nv_sysreg_at(i);
		if (!find || matches(r, find, want_enc))
			print_reg(r, nv_arch_fate(arch, &cfg, access_kind(r), i), csv, !n++);
	}
	if (csv == 2)
		printf("\n]}\n");
	return NV_EXIT_OK;
}
