/*
 * What the importer and the recorder share about raw tracepoint records
 * (trace.dat and live tracefs/BPF): reading a numeric field, and the table of
 * per-event decoding state they index by the event's tep id.
 */
#ifndef NVTRACE_TEP_FIELD_H
#define NVTRACE_TEP_FIELD_H
#include <stddef.h>
#include <stdint.h>
#include <event-parse.h>

uint64_t nvt_field_u64(struct tep_handle *tep, const struct tep_format_field *f,
		       const struct tep_record *rec);

/*
 * Make the table (*n entries of elem bytes, indexed by event id) reach index
 * id, new entries zeroed; ids above max are refused (a corrupt record).
 * Returns the table (moved, perhaps) with *n updated, or NULL with the table
 * and *n untouched.
 */
void *nvt_id_table_fit(void *table, int *n, int id, int max, size_t elem);
#endif
