/* Plots of a run through gnuplot. */
#ifndef NVTRACE_GNUPLOT_H
#define NVTRACE_GNUPLOT_H

#include "view/viz.h"

/* 1 if what is one of cycles, traps, timeline, kinds. */
int plot_what_valid(const char *what);

/* Draw what into out_path (.png or .svg); 0, or -1 with one line in err. */
int plot_run(struct viz_source *s, const struct viz_summary *sum, const char *what,
	     const char *out_path, char *err, size_t errlen);

#endif
