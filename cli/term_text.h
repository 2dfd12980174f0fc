/*
 * Text from a run database (thread names, event names, metadata: untrusted)
 * made safe to print on a terminal: control bytes shown as \xNN.
 */
#ifndef NVTRACE_TERM_TEXT_H
#define NVTRACE_TERM_TEXT_H
#include <stddef.h>

/* s with its control bytes escaped into buf (cut to n); NULL reads as "". Returns buf. */
const char *term_text(const char *s, char *buf, size_t n);

#endif
