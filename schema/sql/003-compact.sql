-- nvtrace run database, version 3: events without secondary indexes.
-- The events are stored in time order (nvdb_finish sorts a run written out
-- of order, and meta time_ordered says so), and every reader reads them in
-- storage order: the three indexes of version 1 only cost space (about half
-- of the file) and import time.  Moving to version 3 also checks the order
-- of an older run once and sets time_ordered (schema/order.c).
DROP INDEX IF EXISTS events_pid_ts;
DROP INDEX IF EXISTS events_type;
DROP INDEX IF EXISTS events_name;
