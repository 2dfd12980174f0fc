/* Writing JSON: strings escaped as RFC 8259 wants. */
#ifndef NVTRACE_JSON_H
#define NVTRACE_JSON_H
#include <stdio.h>

/* Write s as a JSON string (with quotes); NULL writes null. */
void json_str(FILE *f, const char *s);

/* Write the escaped body of s only, for a string the caller quotes. */
void json_str_body(FILE *f, const char *s);

#endif
