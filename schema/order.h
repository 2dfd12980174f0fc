/*
 * Storage order of the events table (schema/order.c): pure SQL on the
 * connection, called by schema/db.c only (nvdb_order_events), so the
 * order code never calls back into the database object.
 */
#ifndef NV_SCHEMA_ORDER_H
#define NV_SCHEMA_ORDER_H
#include <sqlite3.h>

/*
 * Check that ids follow (ts, id) order (one pass over ts) and, when they do
 * not and sort is set, rewrite the table sorted inside a savepoint.
 * 1 when stored in order afterwards, 0 when not, -1 on error.
 */
int nvdb_sort_stored(sqlite3 *sql, int sort);

/* The triggers that clear the time_ordered flag on a later insert or ts change. */
int nvdb_order_triggers(sqlite3 *sql);

#endif
