/* Raw tracepoint records: a numeric field, and the per-event-id tables (tep_field.h). */
#include <stdlib.h>
#include <string.h>
#include "collector/tep_field.h"

/*
 * One numeric field of a record, sign-extended when the format says signed,
 * in the byte order of the host that wrote it (tep_read_number).  Arrays and
 * fields past the record's end read as 0 rather than out of bounds.
 */
uint64_t nvt_field_u64(struct tep_handle *tep, const struct tep_format_field *f,
		       const struct tep_record *rec)
{
	uint64_t v;
	if (f->offset < 0 || f->size < 0 || rec->size < 0 ||
	    (int64_t)f->offset + f->size > rec->size || (f->flags & TEP_FIELD_IS_ARRAY))
		return 0;
	switch (f->size) {
	case 1: case 2: case 4: case 8:
		v = tep_read_number(tep, (const char *)rec->data + f->offset, f->size);
		break;
	default:
		return 0;
	}
	if ((f->flags & TEP_FIELD_IS_SIGNED) && f->size < 8) {
		int shift = 64 - 8 * f->size;
		v = (uint64_t)((int64_t)(v << shift) >> shift);
	}
	return v;
}

void *nvt_id_table_fit(void *table, int *n, int id, int max, size_t elem)
{
	if (id < 0 || id > max)
		return NULL;
	if (id < *n)
		return table;
	int grown = id + 64;
	char *t = realloc(table, (size_t)grown * elem);
	if (!t)
		return NULL;
	memset(t + (size_t)*n * elem, 0, (size_t)(grown - *n) * elem);
	*n = grown;
	return t;
}
