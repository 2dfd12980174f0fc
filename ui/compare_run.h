/*
 * nvtrace compare ARCH... RUN.db: the run form of compare (the microbenchmark
 * form without a database is ui/cmd_compare.c's).  cmd_compare hands over
 * when compare_run_wanted() says an argument is a run database.
 */
#ifndef NVTRACE_COMPARE_RUN_H
#define NVTRACE_COMPARE_RUN_H

/* 1 when one of the non-option arguments names an existing file (RUN.db). */
int compare_run_wanted(int argc, char **argv);

int compare_run(int argc, char **argv);

#endif
