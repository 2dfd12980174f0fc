/*
 * The one size of an error buffer: every "char err[NV_ERR_LEN]" that takes a
 * one-line message ("FILE: problem") from a library call.  Room for a path
 * (PATH_MAX is longer, but messages name files users type) and a reason.
 */
#ifndef NVTRACE_ERR_H
#define NVTRACE_ERR_H

#define NV_ERR_LEN 1024

#endif
