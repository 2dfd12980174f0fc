/*
 * The flame tree as one self-contained, interactive SVG: every frame is a
 * <g class="f"> carrying its place (data-x, data-w in pixels at zoom 1),
 * depth, section and weight (data-v, exact), a <title> with its details,
 * a rect and a label.  The inline script (written here, no library) shows
 * details on hover, zooms on click, searches by regular expression and
 * resets with Escape; FILE.svg#z=FRAME&s=REGEXP opens zoomed and searched.
 * A graph is drawn root at the bottom like
 * flamegraph.pl; a chart draws one section per vCPU, top down.
 */
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "view/flame.h"

#define FRAME_H   16
#define PAD       10
#define TOP       64
#define BOTTOM    46	/* the heaviest functions' line and the details line */
#define FONT_PX   12.0	/* a frame label's font size, shrunk down to FONT_MIN to fit */
#define FONT_MIN  9.0
#define CHAR_EM   0.61	/* monospace advance per em (DejaVu Sans Mono: 0.602) */
#define LANE_GAP  12
#define UNMODELLED_STROKE " stroke=\"#555\" stroke-dasharray=\"3,2\""	/* FC_UNMODELLED's outline */

/* The inline script: zoom, search, details.  Kept short on purpose. */
static const char script[] =
"var W=+document.documentElement.dataset.w,F=[].slice.call(document.querySelectorAll('g.f')),\n"
"det=document.getElementById('details'),mt=document.getElementById('matched'),\n"
"rz=document.getElementById('reset');\n"
"function label(g,w){var n=g.dataset.n,t=g.lastElementChild,f=(w-6)/Math.max(n.length,1)/0.61,c;\n"
" if(f>=9){t.style.fontSize=Math.min(f,12).toFixed(1)+'px';t.textContent=n;return;}\n"
" c=Math.floor((w-6)/(9*0.61));t.style.fontSize='9.0px';t.textContent=c<3?'':n.substr(0,c-2)+'..';}\n"
"function place(g,x,w){var r=g.children[1],t=g.lastElementChild;r.setAttribute('x',x.toFixed(2));\n"
" r.setAttribute('width',Math.max(w-0.5,0.1).toFixed(2));t.setAttribute('x',(x+3).toFixed(2));label(g,w);}\n"
"function zoom(z){var p=z.dataset.p,zx=+z.dataset.x,zw=+z.dataset.w,zd=+z.dataset.d,s=W/zw;\n"
" F.forEach(function(g){if(g.dataset.p!==p)return;var x=+g.dataset.x,w=+g.dataset.w,d=+g.dataset.d;\n"
"  if(!(x<zx+zw-1e-6&&x+w>zx+1e-6)&&!(w==0&&x>=zx&&x<=zx+zw)){g.style.display='none';return;}\n"
"  g.style.display='';if(d<zd){g.style.opacity=0.6;place(g,0,W);}\n"
"  else{g.style.opacity=1;place(g,(x-zx)*s,w*s);}});\n"
" rz.style.display='';}\n"
"function reset(){F.forEach(function(g){g.style.display='';g.style.opacity=1;\n"
" place(g,+g.dataset.x,+g.dataset.w);});rz.style.display='none';}\n"
"function search(re){var hit=[];F.forEach(function(g){var r=g.children[1];\n"
"  if(re&&re.test(g.dataset.n)){r.setAttribute('fill','rgb(230,0,230)');hit.push(g);}\n"
"  else r.setAttribute('fill',g.dataset.c);});\n"
" if(!re){mt.textContent=' ';return;}\n"
" var by={};hit.forEach(function(g){(by[g.dataset.p]=by[g.dataset.p]||[]).push([+g.dataset.x,+g.dataset.x+ +g.dataset.w]);});\n"
" var tot=0;for(var p in by){var iv=by[p].sort(function(a,b){return a[0]-b[0];}),e=-1,s=0;\n"
"  iv.forEach(function(v){if(v[0]>e){s+=v[1]-v[0];e=v[1];}else if(v[1]>e){s+=v[1]-e;e=v[1];}});tot+=s;}\n"
" var sec={};F.forEach(function(g){sec[g.dataset.p]=1;});\n"
" mt.textContent='Matched: '+(100*tot/(W*Object.keys(sec).length)).toFixed(1)+'% ('+hit.length+' frames)';}\n"
"function ask(){var t=prompt('Search frames (regular expression)','');\n"
" if(t===null)return;try{search(t?new RegExp(t):null);}catch(e){mt.textContent='bad expression';}}\n"
"F.forEach(function(g){g.onclick=function(){zoom(g);};\n"
" g.onmouseover=function(){det.textContent=g.firstElementChild.textContent;};\n"
" g.onmouseout=function(){det.textContent=' ';};});\n"
"document.getElementById('search').onclick=ask;rz.onclick=reset;\n"
"[].forEach.call(document.querySelectorAll('tspan.fn'),function(e){e.onclick=function(){\n"
" search(new RegExp('^'+e.dataset.n.replace(/[.*+?^${}()|[\\]\\\\]/g,'\\\\$&')+'$'));};});\n"
"window.addEventListener('keydown',function(e){if((e.ctrlKey||e.metaKey)&&e.key==='f'){e.preventDefault();ask();}\n"
" else if(e.key==='Escape'){reset();search(null);}});\n"
"/* a view can be linked: FILE.svg#z=FRAME&s=REGEXP zooms and searches */\n"
"decodeURIComponent(location.hash.slice(1)).split('&').forEach(function(kv){var i=kv.indexOf('='),k=kv.slice(0,i),v=kv.slice(i+1);\n"
" if(k==='s'&&v)search(new RegExp(v));\n"
" if(k==='z'){var g=F.filter(function(g){return g.dataset.n===v;})[0];if(g)zoom(g);}});\n"
"document.documentElement.setAttribute('data-js','ready');\n";

/* A stable 0..1 number from a name, so that a frame keeps its colour. */
static double name_hash(const char *s, unsigned salt)
{
	unsigned h = 2166136261u ^ salt;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return (double)(h % 1000) / 1000.0;
}

/* The fill of a frame: by class (fate for operations), or by change in a diff. */
static void frame_colour(const struct flame *f, const struct flame_node *n, char *buf, size_t len)
{
	double v = name_hash(n->name, 7), r, g, b;

	if (f->diff && n->cls != FC_ROOT) {
		double d = n->value ? ((double)n->value_b - (double)n->value) / (double)n->value
				    : (n->value_b ? 1.0 : 0.0);
		double k = fmin(fabs(d), 1.0) * 180.0;	/* unchanged: light grey */
		if (d > 0)
			r = 235, g = b = 225 - k;
		else
			r = g = 225 - k, b = 235;
		snprintf(buf, len, "rgb(%d,%d,%d)", (int)r, (int)g, (int)b);
		return;
	}
	switch (n->cls) {
	case FC_ROOT:     r = 200, g = 200, b = 200; break;
	case FC_LANE:     r = 180, g = 185, b = 215; break;
	case FC_KIND:     r = 230 + 25 * v, g = 150 + 60 * v, b = 40; break;
	case FC_PHASE:    r = 220, g = 200 + 30 * v, b = 130; break;
	case FC_TRAP:     r = 220 + 30 * v, g = 60 + 60 * v, b = 40; break;
	case FC_MEMORY:   r = 90 + 40 * v, g = 150 + 40 * v, b = 235; break;
	case FC_REDIRECT: r = 90 + 40 * v, g = 200 + 30 * v, b = 110; break;
	case FC_NATIVE:   r = g = b = 170 + 40 * v; break;
	case FC_UNMODELLED: r = g = b = 255; break;	/* white, a dashed outline: not costed */
	default:          r = 200, g = 160 + 40 * v, b = 220; break;
	}
	snprintf(buf, len, "rgb(%d,%d,%d)", (int)r, (int)g, (int)b);
}

/* x and width in pixels of every node (children laid out inside their parent). */
static void layout(const struct flame *f, int i, double *x, double *w, double W)
{
	const struct flame_node *n = &f->n[i];
	double cx = x[i];

	for (int c = n->first; c >= 0; c = f->n[c].next) {
		const struct flame_node *k = &f->n[c];
		if (f->lanes && i == 0) {		/* a chart lane: the whole axis */
			x[c] = 0;
			w[c] = W;
		} else if (k->w >= 0 && f->span > 0) {	/* a chart block: placed on the axis */
			x[c] = k->x / f->span * W;
			w[c] = k->w / f->span * W;
		} else {
			x[c] = cx;
			w[c] = n->value ? w[i] * (double)k->value / (double)n->value : 0;
			cx += w[c];
		}
		layout(f, c, x, w, W);
	}
}

/* The deepest depth under node i. */
static int max_depth(const struct flame *f, int i)
{
	int d = f->n[i].depth;

	for (int c = f->n[i].first; c >= 0; c = f->n[c].next) {
		int k = max_depth(f, c);
		if (k > d)
			d = k;
	}
	return d;
}

/* The hover text of a frame: its name, weight, share and details. */
static void frame_title(FILE *out, const struct flame *f, const struct flame_node *n, int top)
{
	const char *unit = flame_weight_name(f->weight);
	uint64_t total = f->n[top].value;

	xml_escape(out, n->name);
	if (f->diff)
		fprintf(out, " (%s %" PRIu64 " -> %s %" PRIu64 " %s, %+.1f%%)", f->arch_a, n->value,
			f->arch_b, n->value_b, unit,
			n->value ? 100.0 * ((double)n->value_b - (double)n->value) / (double)n->value : 0.0);
	else
		fprintf(out, " (%" PRIu64 " %s, %.2f%%%s%" PRIu64 " cycles, %" PRIu64 " traps)", n->value,
			unit, total ? 100.0 * (double)n->value / (double)total : 0.0, "; ", n->cycles, n->traps);
	if (n->count)
		fprintf(out, " %" PRIu64 " nested exit%s", n->count, n->count == 1 ? "" : "s");
	if (n->detail) {
		fputs(" | ", out);
		xml_escape(out, n->detail);
	}
	if (n->detail_b) {
		fputs(" | ", out);
		xml_escape(out, n->detail_b);
	}
}

/*
 * How a frame's label fits its width (the script's label() does the same
 * after a zoom): the whole name in a font between FONT_MIN and FONT_PX, or
 * at FONT_MIN its first *chars - 2 characters and "..", or (*chars 0) none.
 */
static void label_fit(const char *name, double w, double *font, int *chars)
{
	int len = (int)strlen(name);
	double fs = (w - 6) / (len ? len : 1) / CHAR_EM;

	if (fs >= FONT_MIN) {
		*font = fmin(fs, FONT_PX);
		*chars = len;
		return;
	}
	*font = FONT_MIN;
	*chars = (int)floor((w - 6) / (FONT_MIN * CHAR_EM));
	if (*chars < 3)
		*chars = 0;
}

/* One frame element. */
static void frame(FILE *out, const struct flame *f, int i, int section, int top,
		  double x, double w, double y)
{
	const struct flame_node *n = &f->n[i];
	char fill[32];
	double font;
	int chars;

	label_fit(n->name, w, &font, &chars);
	frame_colour(f, n, fill, sizeof(fill));
	fprintf(out, "<g class=\"f\" data-p=\"%d\" data-d=\"%d\" data-x=\"%.3f\" data-w=\"%.3f\" "
		"data-v=\"%" PRIu64 "\" data-c=\"%s\" data-n=\"", section, n->depth, x, w, n->value, fill);
	xml_escape(out, n->name);
	fputs("\"><title>", out);
	frame_title(out, f, n, top);
	fprintf(out, "</title><rect x=\"%.2f\" y=\"%.1f\" width=\"%.2f\" height=\"%d\" fill=\"%s\" rx=\"2\"%s/>"
		"<text x=\"%.2f\" y=\"%.1f\" style=\"font-size:%.1fpx\">", x, y, fmax(w - 0.5, 0.1),
		FRAME_H - 1, fill, n->cls == FC_UNMODELLED && !f->diff ? UNMODELLED_STROKE : "",
		x + 3, y + 11.5, font);
	if (chars && chars >= (int)strlen(n->name)) {
		xml_escape(out, n->name);
	} else if (chars) {
		char *cut = strndup(n->name, (size_t)(chars - 2));
		if (cut)
			xml_escape(out, cut);
		free(cut);
		fputs("..", out);
	}
	fputs("</text></g>\n", out);
}

/* Every frame under (and including) node i with a width worth drawing. */
static void frames(FILE *out, const struct flame *f, int i, int section, int top,
		   const double *x, const double *w, double base_y, int base_depth, int up,
		   int rows)
{
	const struct flame_node *n = &f->n[i];
	int row = n->depth - base_depth;
	double y = up ? base_y + (rows - 1 - row) * FRAME_H : base_y + row * FRAME_H;

	if (w[i] <= 0 && !(n->value || n->value_b))
		return;
	/* like flamegraph.pl's --minwidth; exit kinds and lanes are always drawn */
	if (w[i] < f->minwidth && n->cls != FC_ROOT && n->cls != FC_LANE && n->cls != FC_KIND)
		return;
	frame(out, f, i, section, top, x[i], w[i], y);
	for (int c = n->first; c >= 0; c = f->n[c].next)
		frames(out, f, c, section, top, x, w, base_y, base_depth, up, rows);
}

/* The colour key of a graph: what each fill means (a diff's colours say the change). */
static void legend(FILE *out, const struct flame *f, double y)
{
	static const struct { enum flame_class cls; const char *what; } keys[] = {
		{ FC_KIND, "exit kind" }, { FC_PHASE, "guest hypervisor function" },
		{ FC_TRAP, "trap to L0 (its handler)" }, { FC_MEMORY, "memory (VNCR page)" },
		{ FC_REDIRECT, "redirect to an EL1 register" }, { FC_NATIVE, "native" },
		{ FC_UNMODELLED, "unmodelled (share of observed traps)" },	/* when there are */
	};
	struct flame_node n = { .name = "" };
	double x = 0;
	char fill[32];

	fputs("<g id=\"legend\">\n", out);
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		n.cls = keys[i].cls;
		if (n.cls == FC_UNMODELLED && !f->unmodelled)
			continue;
		frame_colour(f, &n, fill, sizeof(fill));
		fprintf(out, "<rect x=\"%.1f\" y=\"%.1f\" width=\"10\" height=\"10\" fill=\"%s\"%s/>"
			"<text class=\"key\" x=\"%.1f\" y=\"%.1f\">%s</text>\n",
			x, y, fill, n.cls == FC_UNMODELLED ? UNMODELLED_STROKE : "", x + 14, y + 9, keys[i].what);
		x += 14 + 6.6 * (double)strlen(keys[i].what) + 16;
	}
	fputs("</g>\n", out);
}

struct fn_sum { const char *name; uint64_t value, widest; };

/* Order of the heaviest functions: by weight, then name. */
static int fn_cmp(const void *a, const void *b)
{
	const struct fn_sum *x = a, *y = b;

	if (x->value != y->value)
		return x->value < y->value ? 1 : -1;
	return strcmp(x->name, y->name);
}

/*
 * The guest hypervisor functions over every kind, heaviest first: their
 * frames' weights summed by name, and the weight of the widest frame of
 * each.  The count (in *out, malloc'ed), or -1 when out of memory.
 */
static int fn_sums(const struct flame *f, struct fn_sum **out)
{
	struct fn_sum *sum = NULL;
	int n = 0, cap = 0;

	for (int i = 1; i < f->len; i++) {
		int k = 0;
		if (f->n[i].cls != FC_PHASE || !f->n[i].value)
			continue;
		while (k < n && strcmp(sum[k].name, f->n[i].name))
			k++;
		if (k == n) {
			if (n == cap) {
				struct fn_sum *s = realloc(sum, sizeof(*s) * (size_t)(cap = cap ? cap * 2 : 64));
				if (!s) {
					free(sum);
					return -1;
				}
				sum = s;
			}
			sum[n++] = (struct fn_sum){ f->n[i].name, 0, 0 };
		}
		sum[k].value += f->n[i].value;
		if (f->n[i].value > sum[k].widest)
			sum[k].widest = f->n[i].value;
	}
	if (n)
		qsort(sum, (size_t)n, sizeof(*sum), fn_cmp);
	*out = sum;
	return n;
}

/*
 * The heaviest guest hypervisor functions over every kind, up to
 * FLAME_HEAVIEST, each a link that searches for it: the answer to "where"
 * in one line, whatever the frames' widths.
 */
static int heaviest(FILE *out, const struct flame *f, double y)
{
	struct fn_sum *sum;
	int n = fn_sums(f, &sum);

	if (n < 0)
		return -1;
	if (n) {
		fprintf(out, "<text id=\"heaviest\" class=\"key\" x=\"0\" y=\"%.1f\">heaviest functions (%s):",
			y, flame_weight_name(f->weight));
		for (int k = 0; k < n && k < FLAME_HEAVIEST; k++) {
			fputs(" <tspan class=\"fn btn\" data-n=\"", out);
			xml_escape(out, sum[k].name);
			fputs("\">", out);
			xml_escape(out, sum[k].name);
			fprintf(out, "</tspan> %.1f%%", f->n[0].value ? 100.0 * (double)sum[k].value / (double)f->n[0].value : 0.0);
		}
		fputs("</text>\n", out);
	}
	free(sum);
	return 0;
}

/*
 * See flame.h: FLAME_WIDTH, or wider (up to FLAME_WIDTH_MAX) when the
 * widest frame of one of the FLAME_HEAVIEST heaviest functions is too
 * narrow for its whole name at FONT_MIN (a graph: its frames are shares of
 * the width; a chart's blocks and a diff keep FLAME_WIDTH).
 */
int flame_svg_width(const struct flame *f)
{
	struct fn_sum *sum;
	double need = 0;
	int n, width;

	if (f->lanes || f->diff || !f->n[0].value || (n = fn_sums(f, &sum)) <= 0)
		return FLAME_WIDTH;
	for (int k = 0; k < n && k < FLAME_HEAVIEST; k++) {
		/* label_fit's room: 6 px of margins, then FONT_MIN px characters (+1 px to spare) */
		double px = 7 + (double)strlen(sum[k].name) * FONT_MIN * CHAR_EM;
		double drawing = px * (double)f->n[0].value / (double)sum[k].widest;
		if (drawing > need)
			need = drawing;
	}
	free(sum);
	width = (int)ceil((need + 2 * PAD) / 10) * 10;
	return width < FLAME_WIDTH ? FLAME_WIDTH : width > FLAME_WIDTH_MAX ? FLAME_WIDTH_MAX : width;
}

/* A time in ns in the unit that suits the axis span. */
static void time_label(FILE *out, double ns, double span)
{
	if (span < 1e4)
		fprintf(out, "%.0f ns", ns);
	else if (span < 1e7)
		fprintf(out, "%.1f us", ns / 1e3);
	else if (span < 1e10)
		fprintf(out, "%.1f ms", ns / 1e6);
	else
		fprintf(out, "%.2f s", ns / 1e9);
}

/* Tick labels along a chart section's top edge (time or weight). */
static void ticks(FILE *out, const struct flame *f, double W, double y)
{
	for (int t = 0; t <= 4; t++) {
		double v = f->span * t / 4, px = W * t / 4;
		fprintf(out, "<text class=\"tick\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\">", px, y,
			t == 0 ? "start" : t == 4 ? "end" : "middle");
		if (f->time_axis)
			time_label(out, v, f->span);
		else
			fprintf(out, "%.0f %s", v, flame_weight_name(f->weight));
		fputs("</text>\n", out);
	}
}

/* The whole SVG: header, title and buttons, frames (one section per lane), the script. */
int flame_write_svg(const struct flame *f, FILE *out, int width)
{
	double W = (width = width > 0 ? width : flame_svg_width(f)) - 2 * PAD;
	double *x = calloc((size_t)f->len, sizeof(*x)), *w = calloc((size_t)f->len, sizeof(*w));
	int height, sections = 0;

	if (!x || !w) {
		free(x);
		free(w);
		return -1;
	}
	x[0] = 0;
	w[0] = W;
	layout(f, 0, x, w, W);
	if (f->lanes) {
		height = TOP + BOTTOM;
		for (int c = f->n[0].first; c >= 0; c = f->n[c].next)
			height += (max_depth(f, c)) * FRAME_H + LANE_GAP + 14;
	} else {
		height = TOP + BOTTOM + (max_depth(f, 0) + 1) * FRAME_H;
	}
	fprintf(out, "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>\n"
		"<svg version=\"1.1\" xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
		"viewBox=\"0 0 %d %d\" data-w=\"%.3f\">\n"
		"<style>text{font-family:monospace;font-size:12px;fill:#000}"
		"#title{font-size:16px}#sub,.tick,.key{font-size:11px;fill:#444}"
		".btn{cursor:pointer;fill:#225;text-decoration:underline}tspan.fn{text-decoration:none}g.f{cursor:pointer}"
		"g.f:hover rect{stroke:#000;stroke-width:0.5}</style>\n"
		"<rect x=\"0\" y=\"0\" width=\"100%%\" height=\"100%%\" fill=\"rgb(248,248,240)\"/>\n",
		width, height, width, height, W);
	fputs("<text id=\"title\" x=\"50%\" y=\"20\" text-anchor=\"middle\">", out);
	xml_escape(out, f->title);
	fputs("</text>\n<text id=\"sub\" x=\"50%\" y=\"37\" text-anchor=\"middle\">", out);
	xml_escape(out, f->subtitle);
	fprintf(out, "</text>\n<text id=\"reset\" class=\"btn\" x=\"%d\" y=\"20\" style=\"display:none\">Reset zoom</text>\n"
		"<text id=\"search\" class=\"btn\" x=\"%d\" y=\"20\" text-anchor=\"end\">Search</text>\n"
		"<text id=\"matched\" x=\"%d\" y=\"%d\" text-anchor=\"end\"> </text>\n"
		"<text id=\"details\" x=\"%d\" y=\"%d\"> </text>\n",
		PAD, width - PAD, width - PAD, height - 10, PAD, height - 10);
	fprintf(out, "<g transform=\"translate(%d,0)\">\n", PAD);
	if (f->lanes) {
		double y = TOP;
		for (int c = f->n[0].first; c >= 0; c = f->n[c].next, sections++) {
			int rows = max_depth(f, c);
			ticks(out, f, W, y + 10);
			frames(out, f, c, sections, c, x, w, y + 14, 1, 0, rows);
			y += rows * FRAME_H + LANE_GAP + 14;
		}
	} else {
		if (!f->diff)
			legend(out, f, 44);
		frames(out, f, 0, 0, 0, x, w, TOP, 0, 1, max_depth(f, 0) + 1);
	}
	if (!f->diff && heaviest(out, f, height - 28) < 0) {
		free(x);
		free(w);
		return -1;
	}
	fprintf(out, "</g>\n<script type=\"text/ecmascript\"><![CDATA[\n%s]]></script>\n</svg>\n", script);
	free(x);
	free(w);
	return ferror(out) ? -1 : 0;
}
