/* Reading one numeric field of a raw tracepoint record (trace.dat and live tracefs). */
#ifndef NVTRACE_TEP_FIELD_H
#define NVTRACE_TEP_FIELD_H
#include <stdint.h>
#include <event-parse.h>

uint64_t tep_field_u64(struct tep_handle *tep, const struct tep_format_field *f,
		       const struct tep_record *rec);
#endif
