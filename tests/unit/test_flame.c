/*
 * Flame trees and their writers on a fixed source of three nested exits
 * whose operations and costs are written below, so every total is known:
 *   hvc  (vCPU 0, twice): EXC 500 trap + MRS ESR_EL2 300 trap + block 50 + ERET 600 trap
 *                         = 1450 cycles, 3 traps under "v8.3";
 *                         under "neve" MRS ESR_EL2 is redirected: 5 cycles, no trap.
 *   mmio (vCPU 1, once):  EXC 500 + MMIO_R GICH_VMCR 400 + ERET 600 = 1500, 3 traps
 *                         on both.
 * Totals under v8.3: 4400 cycles, 9 traps; under neve 3810 cycles, 7 traps.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "tap.h"
#include "view/flame.h"

struct fake_exit { int vcpu; const char *kind; int64_t t0, t1; };
static const struct fake_exit exits[] = {
	{ 0, "hvc",  1000, 2000 },
	{ 1, "mmio", 3000, 4000 },
	{ 0, "hvc",  5000, 6000 },
};

static int with_fn;	/* give the operations guest hypervisor functions */
static int unm_mmio;	/* the mmio exit has no path (0 cost, no operations); observed traps: hvc 2, mmio 3 */

/* The operations of one exit of a kind under an architecture. */
static int fake_ops(const char *kind, const char *arch, struct viz_op *ops)
{
	int neve = !strcmp(arch, "neve"), n = 0;
	const char *fns[] = { "el1_sync", "el1_sync", "handle_exit", "__guest_enter" };

	ops[n++] = (struct viz_op){ "exit", "EXC", "", "trap", "kvm_inject_nested_sync", 500, 1, NULL };
	if (!strcmp(kind, "hvc")) {
		if (neve)
			ops[n++] = (struct viz_op){ "exit", "MRS ESR_EL2", "ESR_EL2", "redirect", "", 5, 0, NULL };
		else
			ops[n++] = (struct viz_op){ "exit", "MRS ESR_EL2", "ESR_EL2", "trap", "trap_el2_reg", 300, 1, NULL };
		ops[n++] = (struct viz_op){ "handle", "handle_exit", "", "native", "", 50, 0, NULL };
	} else {
		ops[n++] = (struct viz_op){ "handle", "MMIO_R GICH_VMCR", "GICH_VMCR", "trap", "vgic_v2_gich_mmio", 400, 1, NULL };
	}
	ops[n++] = (struct viz_op){ "entry", "ERET", "", "trap", "kvm_emulate_nested_eret", 600, 1, NULL };
	for (int k = 0; with_fn && k < n; k++)	/* mmio: EXC, MMIO in el1_sync, ERET */
		ops[k].fn = k == n - 1 ? fns[3] : fns[k];
	return n;
}

/* Deliver exit i (and its ops) to a sink. */
static int fake_one(int i, const char *arch, int want_ops, const struct viz_sink *sink)
{
	struct viz_op ops[8];
	int n = fake_ops(exits[i].kind, arch, ops);
	struct viz_exit e = { i + 1, exits[i].vcpu, exits[i].kind, exits[i].t0, exits[i].t1, 0, 0, 1, 0, 0 };

	for (int k = 0; k < n; k++) {
		e.cycles += ops[k].cycles;
		e.traps += ops[k].traps;
	}
	if (unm_mmio) {
		e.observed = !strcmp(e.kind, "mmio") ? 3 : 2;
		if (!strcmp(e.kind, "mmio"))
			e.cycles = e.traps = 0, n = 0;
	}
	if (sink->exit && sink->exit(sink->ctx, &e))
		return -1;
	for (int k = 0; want_ops && sink->op && k < n; k++)
		if (sink->op(sink->ctx, &e, &ops[k]))
			return -1;
	return 0;
}

static int fake_walk(struct viz_source *s, const char *arch, int want_ops, const struct viz_sink *sink)
{
	(void)s;
	for (int i = 0; i < 3; i++)
		if (fake_one(i, arch, want_ops, sink))
			return -1;
	return 0;
}

static struct viz_source fake = {
	.title = "fake", .narch = 2, .arch = { "v8.3", "neve" }, .has_time = 1,
	.ts_first = 1000, .ts_last = 6000, .ghz = 1.0, .walk = fake_walk,
};

/* Run a writer into memory. */
static char *capture(const struct flame *f, int (*w)(const struct flame *, FILE *))
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);

	w(f, m);
	fclose(m);
	return buf;
}

static int svg_writer(const struct flame *f, FILE *out)
{
	return flame_write_svg(f, out, 1200);
}

static int svg_auto(const struct flame *f, FILE *out)
{
	return flame_write_svg(f, out, 0);
}

/* How many times needle occurs in s. */
static int count(const char *s, const char *needle)
{
	int n = 0;

	for (; (s = strstr(s, needle)); s++)
		n++;
	return n;
}

/* Sum of the last number on every line of folded output; -1 on a bad line. */
static long long folded_sum(const char *s, int col_from_end)
{
	long long sum = 0;

	while (*s) {
		const char *nl = strchr(s, '\n'), *sp;
		if (!nl)
			return -1;
		char line[512];
		snprintf(line, sizeof(line), "%.*s", (int)(nl - s), s);
		for (int c = 0; c < col_from_end; c++) {
			sp = strrchr(line, ' ');
			if (!sp)
				return -1;
			line[sp - line] = 0;
		}
		sp = strrchr(line, ' ');
		if (!sp || !strchr(line, ';'))
			return -1;
		sum += atoll(sp + 1);
		s = nl + 1;
	}
	return sum;
}

static void test_graph(void)
{
	struct flame_opts o = { .mode = FLAME_GRAPH, .weight = FLAME_CYCLES, .arch = "v8.3", .arch_b = NULL, .columns = 0 };
	char err[256] = "";
	struct flame *f = flame_build(&fake, &o, err, sizeof(err));
	char *folded, *svg;

	T_OK(f != NULL, "graph builds: %s", err);
	if (!f)
		return;
	T_EQ_U64(f->n[0].value, 4400, "graph: root width = 2*1450 + 1500 cycles");
	T_EQ_U64(f->n[0].traps, 9, "graph: 9 traps in all");
	T_EQ_STR(f->n[f->n[0].first].name, "hvc", "graph: heaviest kind first");
	T_EQ_U64(f->n[f->n[0].first].value, 2900, "graph: hvc frame = two exits");
	T_EQ_U64(f->n[f->n[0].first].count, 2, "graph: hvc frame counts 2 exits");
	folded = capture(f, flame_write_folded);
	T_EQ_INT(folded_sum(folded, 0), 4400, "folded: counts add up to the total");
	T_OK(strstr(folded, "hvc;exit;MRS ESR_EL2;trap_el2_reg 600\n") != NULL,
	     "folded: the two ESR_EL2 reads merge into one stack of 600");
	T_OK(strstr(folded, "hvc;handle;handle_exit;(native) 100\n") != NULL,
	     "folded: a native block ends in its fate");
	T_OK(strstr(folded, "mmio;handle;MMIO_R GICH_VMCR;vgic_v2_gich_mmio 400\n") != NULL,
	     "folded: the GICH access ends in its L0 handler");
	free(folded);
	svg = capture(f, svg_writer);
	T_OK(strstr(svg, "data-v=\"4400\"") && strstr(svg, "</svg>\n"), "svg: root frame carries 4400");
	T_OK(strstr(svg, "<![CDATA[") != NULL, "svg: inline script");
	free(svg);
	flame_free(f);

	o.weight = FLAME_TRAPS;
	f = flame_build(&fake, &o, err, sizeof(err));
	T_OK(f && f->n[0].value == 9, "traps weight: root width 9");
	if (f) {
		folded = capture(f, flame_write_folded);
		T_EQ_INT(folded_sum(folded, 0), 9, "traps weight: folded counts add up to 9");
		free(folded);
	}
	flame_free(f);
}

static void test_diff(void)
{
	struct flame_opts o = { .mode = FLAME_GRAPH, .weight = FLAME_CYCLES, .arch = "v8.3", .arch_b = "neve", .columns = 0 };
	char err[256] = "";
	struct flame *f = flame_build(&fake, &o, err, sizeof(err));

	T_OK(f != NULL, "diff builds: %s", err);
	if (!f)
		return;
	T_EQ_U64(f->n[0].value, 4400, "diff: width of A");
	T_EQ_U64(f->n[0].value_b, 3810, "diff: B total = 4400 - 2*(300-5)");
	char *folded = capture(f, flame_write_folded);
	T_OK(strstr(folded, "hvc;exit;MRS ESR_EL2 600 10\n") != NULL, "diff folded: both weights");
	T_EQ_INT(folded_sum(folded, 1), 4400, "diff folded: A column adds up");
	T_EQ_INT(folded_sum(folded, 0), 3810, "diff folded: B column adds up");
	free(folded);
	flame_free(f);
	o.arch_b = "v8.4";
	f = flame_build(&fake, &o, err, sizeof(err));
	T_OK(!f && strstr(err, "v8.4"), "diff: unknown architecture is an error naming it");
}

static void test_chart(void)
{
	struct flame_opts o = { .mode = FLAME_CHART, .weight = FLAME_CYCLES, .arch = "v8.3", .arch_b = NULL, .columns = 1000 };
	char err[256] = "";
	struct flame *f = flame_build(&fake, &o, err, sizeof(err));
	int lanes = 0, blocks = 0;

	T_OK(f != NULL, "chart builds: %s", err);
	if (!f)
		return;
	T_OK(f->time_axis, "chart: time axis");
	for (int c = f->n[0].first; c >= 0; c = f->n[c].next) {
		lanes++;
		for (int k = f->n[c].first; k >= 0; k = f->n[k].next)
			blocks++;
	}
	T_EQ_INT(lanes, 2, "chart: one lane per vCPU");
	T_EQ_INT(blocks, 3, "chart: one block per exit at 1000 columns");
	int l0 = f->n[0].first, b0 = f->n[l0].first;
	T_EQ_STR(f->n[l0].name, "vCPU 0 (tid 0)", "chart: first lane is vCPU 0 (tid 0): index and thread id, as every command names a vCPU");
	T_EQ_U64(f->n[l0].value, 2900, "chart: vCPU 0 lane weight");
	T_OK(f->n[b0].x == 0 && f->n[b0].w == 1450, "chart: first block at t=0, 1450 ns at 1 GHz");
	T_EQ_U64(f->n[f->n[b0].next].x, 4000, "chart: second hvc at t=4000 ns");
	flame_free(f);
	o.columns = 1;
	f = flame_build(&fake, &o, err, sizeof(err));
	if (f) {
		int l0 = f->n[0].first, b0 = f->n[l0].first;
		T_OK(f->n[b0].next < 0 && f->n[b0].count == 2, "chart: one column merges a lane's exits");
	}
	flame_free(f);
}

/* Well-formed XML and balanced speedscope events, checked by python3. */
static void test_files(void)
{
	char dir[] = "/tmp/nvtrace-test-flame-XXXXXX", cmd[1024], path[256];
	struct flame_opts o = { .mode = FLAME_GRAPH, .weight = FLAME_CYCLES, .arch = "v8.3", .arch_b = NULL, .columns = 0 };
	char err[256];
	struct flame *f;
	FILE *out;

	if (system("python3 -c 1 2>/dev/null") != 0) {
		t_skip("svg parses as XML", "no python3");
		return;
	}
	if (!mkdtemp(dir))
		return;
	f = flame_build(&fake, &o, err, sizeof(err));
	snprintf(path, sizeof(path), "%s/g.svg", dir);
	out = fopen(path, "w");
	if (f && out)
		flame_write_svg(f, out, 1200);
	if (out)
		fclose(out);
	snprintf(cmd, sizeof(cmd), "python3 -c \"import xml.etree.ElementTree as E,sys;"
		 "r=E.parse('%s').getroot();g=[x for x in r.iter('{http://www.w3.org/2000/svg}g') if x.get('class')=='f'];"
		 "k=[int(x.get('data-v')) for x in g if x.get('data-d')=='1'];"
		 "sys.exit(0 if sum(k)==4400 and len(k)==2 else 1)\"", path);
	T_EQ_INT(system(cmd), 0, "svg: well-formed XML, its two kind frames add up to 4400");
	flame_free(f);
	o.mode = FLAME_CHART;
	snprintf(path, sizeof(path), "%s/c.json", dir);
	out = fopen(path, "w");
	if (out) {
		flame_write_speedscope_chart(&fake, &o, out, err, sizeof(err));
		fclose(out);
	}
	snprintf(cmd, sizeof(cmd), "python3 %s/tests/tools/speedscope_check.py %s 4400 1 nanoseconds",
		 getenv("ROOT") ? getenv("ROOT") : ".", path);
	T_EQ_INT(system(cmd), 0, "speedscope chart: balanced events, nanoseconds, exits add up to 4400 cycles at 1 GHz");
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (system(cmd))
		return;
}

/* The reader's stacks: kind; function; operation; handler, and inverted. */
static void test_functions(void)
{
	struct flame_opts o = { .mode = FLAME_GRAPH, .weight = FLAME_CYCLES, .arch = "v8.3" };
	char err[256] = "";
	struct flame *f;
	char *folded;

	with_fn = 1;
	f = flame_build(&fake, &o, err, sizeof(err));
	T_OK(f != NULL, "graph with functions builds: %s", err);
	if (f) {
		folded = capture(f, flame_write_folded);
		T_OK(strstr(folded, "hvc;el1_sync;MRS ESR_EL2;trap_el2_reg 600\n") &&
		     strstr(folded, "hvc;el1_sync;EXC;kvm_inject_nested_sync 1000\n"),
		     "functions: the exit's EXC and ESR_EL2 read merge under el1_sync");
		T_OK(strstr(folded, "mmio;el1_sync;MMIO_R GICH_VMCR;vgic_v2_gich_mmio 400\n") != NULL,
		     "functions: mmio's GICH access under its function");
		int hvc = f->n[0].first, fn = f->n[hvc].first;
		T_EQ_STR(f->n[fn].name, "el1_sync", "functions: hvc's first child is its function");
		T_EQ_U64(f->n[fn].value, 1600, "functions: el1_sync under hvc = 2 * (500 + 300)");
		T_EQ_INT(f->n[fn].cls, FC_PHASE, "functions: coloured as functions");
		free(folded);
	}
	flame_free(f);
	o.inverted = 1;
	f = flame_build(&fake, &o, err, sizeof(err));
	T_OK(f != NULL, "inverted builds: %s", err);
	if (f) {
		T_EQ_STR(f->n[f->n[0].first].name, "kvm_emulate_nested_eret",
			 "inverted: the heaviest handler first (3 ERETs, 1800 cycles)");
		T_EQ_U64(f->n[f->n[0].first].value, 1800, "inverted: its width");
		folded = capture(f, flame_write_folded);
		T_OK(strstr(folded, "kvm_emulate_nested_eret;ERET;__guest_enter;hvc 1200\n") &&
		     strstr(folded, "(native);handle_exit;handle_exit;hvc 100\n"),
		     "inverted: handler or fate; operation; function; kind");
		T_EQ_INT(folded_sum(folded, 0), 4400, "inverted: the same total");
		T_OK(strstr(f->title, "inverted") != NULL, "inverted: the title says so");
		free(folded);
	}
	flame_free(f);
	o.inverted = 0;
	o.weight = FLAME_OPS;
	o.title = "my title";
	f = flame_build(&fake, &o, err, sizeof(err));
	T_OK(f && f->n[0].value == 11, "ops weight: 4 + 4 + 3 operations");
	T_OK(f && !strcmp(f->title, "my title"), "--title replaces the title");
	if (f) {
		char *svg = capture(f, svg_writer);
		T_OK(strstr(svg, "<g id=\"legend\">") && strstr(svg, "trap to L0 (its handler)") &&
		     strstr(svg, "memory (VNCR page)"), "svg: a fate legend");
		T_OK(strstr(svg, "heaviest functions (operations): <tspan class=\"fn btn\" data-n=\"el1_sync\">el1_sync</tspan> 54.5%") != NULL,
		     "svg: heaviest functions line, el1_sync 6 of 11 operations");
		T_EQ_INT(count(svg, "<title>__guest_enter ("), 2, "default minwidth: both kinds' __guest_enter");
		free(svg);
		f->minwidth = 150;	/* px: 1180 px / 11 ops = 107 px per operation */
		svg = capture(f, svg_writer);
		T_EQ_INT(count(svg, "<title>__guest_enter ("), 1,
			 "--minwidth 150 drops mmio's 1-operation __guest_enter (107 px), keeps hvc's (215 px)");
		free(svg);
	}
	flame_free(f);
	o.mode = FLAME_CHART;
	o.title = NULL;
	f = flame_build(&fake, &o, err, sizeof(err));
	T_OK(!f && strstr(err, "chart"), "a chart weighed in operations is refused");
	o.weight = FLAME_CYCLES;
	o.columns = 0;
	f = flame_build(&fake, &o, err, sizeof(err));
	if (f) {
		int l0 = f->n[0].first, b0 = f->n[l0].first;
		T_OK(f->n[b0].next < 0 && f->n[b0].count == 2 && !strcmp(f->n[b0].name, "hvc"),
		     "chart for data: consecutive exits of one kind merge, by kind not by pixel");
	}
	flame_free(f);
	with_fn = 0;
}

/* Every label fits its frame: cut names end in "..", fonts from 9 to 12 px. */
static void test_labels(void)
{
	struct flame *f = flame_new("all");
	int k = flame_child(f, 0, "a_kind", FC_KIND);
	int a = flame_child(f, k, "__vgic_v2_restore_state", FC_PHASE);
	int b = flame_child(f, k, "rest", FC_PHASE);
	char *svg;

	flame_add(f, a, 80, 0, 80, 0);	/* 80/1000 of 1180 px = 94 px */
	flame_add(f, b, 920, 0, 920, 0);
	svg = capture(f, svg_writer);
	T_OK(strstr(svg, "style=\"font-size:9.0px\">__vgic_v2_rest..</text>") != NULL,
	     "a 94 px frame: 9 px font, the name cut to 14 characters and '..'");
	T_OK(strstr(svg, "style=\"font-size:12.0px\">rest</text>") != NULL, "a wide frame: 12 px");
	free(svg);
	/* the default width: 7 + 23 * 9 * 0.61 = 133.3 px must be 80/1000 of the drawing */
	T_EQ_INT(flame_svg_width(f), 1690, "default width: 1666 px of drawing + 20 px margins, to 10 px");
	svg = capture(f, svg_auto);
	T_OK(strstr(svg, "width=\"1690\"") && strstr(svg, "style=\"font-size:9.1px\">__vgic_v2_restore_state</text>"),
	     "width 0 draws at 1690 px: the name in full, 9.1 px");
	free(svg);
	flame_free(f);
	f = flame_new("all");
	k = flame_child(f, 0, "a_kind", FC_KIND);
	a = flame_child(f, k, "__vgic_v2_restore_state", FC_PHASE);
	b = flame_child(f, k, "rest", FC_PHASE);
	flame_add(f, a, 200, 0, 200, 0);	/* 236 px at 1200 */
	flame_add(f, b, 800, 0, 800, 0);
	T_EQ_INT(flame_svg_width(f), FLAME_WIDTH, "names that fit at 1200 px: 1200");
	flame_add(f, b, 99000, 0, 99000, 0);	/* 0.2% of the width */
	T_EQ_INT(flame_svg_width(f), FLAME_WIDTH_MAX, "a name that needs 66,650 px: the 2400 px cap");
	flame_free(f);
}

/*
 * Unmodelled exits get a frame: the mmio exit has no path; the two hvc
 * exits (2900 cycles, 6 traps) show 4 observed traps, mmio 3 of 7, so
 * [unmodelled] is 3/7 of the picture: 2900 * 3 / 4 = 2175 cycles.
 */
static void test_unmodelled(void)
{
	struct flame_opts o = { .mode = FLAME_GRAPH, .weight = FLAME_CYCLES, .arch = "v8.3" };
	char err[256] = "";
	struct flame *f;
	char *s;

	unm_mmio = 1;
	f = flame_build(&fake, &o, err, sizeof(err));
	T_OK(f != NULL, "unmodelled: builds: %s", err);
	if (f) {
		s = capture(f, flame_write_folded);
		T_OK(strstr(s, "mmio;[unmodelled] 2175\n") != NULL, "folded: mmio;[unmodelled] 2175 (3/7 of 5075)");
		T_EQ_INT(folded_sum(s, 0), 2900 + 2175, "folded: hvc's 2900 cycles and the unmodelled 2175");
		free(s);
		T_EQ_U64(f->unmodelled, 1, "one unmodelled exit");
		T_EQ_U64(f->unmodelled_observed, 3, "its 3 observed traps");
		T_OK(strstr(f->subtitle, "; unmodelled: 1 of 3 nested exits (33.3%), 3 of 7 observed traps (42.9%): [unmodelled]") != NULL,
		     "subtitle: the unmodelled line of compare: %s", f->subtitle);
		s = capture(f, svg_writer);
		T_OK(strstr(s, "data-v=\"2175\" data-c=\"rgb(255,255,255)\" data-n=\"[unmodelled]\"") &&
		     strstr(s, "stroke-dasharray=\"3,2\"/><text x="), "svg: a white, dashed [unmodelled] frame of 2175");
		T_OK(strstr(s, "unmodelled (share of observed traps)</text>") != NULL, "svg: its legend entry");
		T_OK(strstr(s, "1 nested exit | not costed: the profile has no path for mmio; 3 observed traps") != NULL,
		     "svg: its details");
		free(s);
	}
	flame_free(f);
	o.weight = FLAME_TRAPS;
	f = flame_build(&fake, &o, err, sizeof(err));
	s = f ? capture(f, flame_write_folded) : NULL;
	T_OK(s && strstr(s, "mmio;[unmodelled] 5\n"), "traps: 6 * 3 / 4 = 4.5, rounded to 5");
	free(s);
	flame_free(f);
	o.weight = FLAME_CYCLES;
	o.inverted = 1;
	f = flame_build(&fake, &o, err, sizeof(err));
	s = f ? capture(f, flame_write_folded) : NULL;
	T_OK(s && strstr(s, "[unmodelled];mmio 2175\n"), "inverted: [unmodelled];mmio 2175");
	free(s);
	flame_free(f);
	o.inverted = 0;
	o.arch_b = "neve";	/* hvc under neve: 2 * 1155 = 2310 cycles, 2310 * 3 / 4 = 1732.5 */
	f = flame_build(&fake, &o, err, sizeof(err));
	s = f ? capture(f, flame_write_folded) : NULL;
	T_OK(s && strstr(s, "mmio;[unmodelled] 2175 1733\n"), "diff: each side at its own scale");
	free(s);
	flame_free(f);
	o.arch_b = NULL;
	unm_mmio = 0;
	f = flame_build(&fake, &o, err, sizeof(err));
	s = f ? capture(f, svg_writer) : NULL;
	T_OK(s && !strstr(s, "unmodelled"), "without unmodelled exits: no frame, no legend entry");
	free(s);
	flame_free(f);
}

int main(void)
{
	test_unmodelled();
	test_functions();
	test_labels();
	test_graph();
	test_diff();
	test_chart();
	test_files();
	return t_done();
}
