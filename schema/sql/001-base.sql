-- nvtrace run database, version 1: one file per recording.
-- Run metadata as key/value pairs (see schema/db.h for the keys).
CREATE TABLE meta (
	key   TEXT PRIMARY KEY,
	value TEXT
) WITHOUT ROWID;

-- Tracepoint names, interned: events refer to them by id.
CREATE TABLE event_names (
	id     INTEGER PRIMARY KEY,
	system TEXT NOT NULL,
	name   TEXT NOT NULL,
	type   INTEGER NOT NULL,          -- enum nv_event_type (0 = not decoded)
	UNIQUE (system, name)
);

-- Threads seen in the trace (vCPU threads on arm64, whose events carry no vCPU id).
CREATE TABLE threads (
	pid  INTEGER PRIMARY KEY,
	comm TEXT
);

-- The canonical events (schema/event.h says what each column holds per event).
CREATE TABLE events (
	id      INTEGER PRIMARY KEY,
	ts      INTEGER NOT NULL,         -- ns
	cpu     INTEGER,
	pid     INTEGER,
	vcpu    INTEGER,
	type    INTEGER NOT NULL,
	name_id INTEGER NOT NULL REFERENCES event_names(id),
	reason  INTEGER,
	ec      INTEGER,
	sysreg  INTEGER,                  -- NV_SYSREG(op0,op1,crn,crm,op2)
	dir     INTEGER,                  -- 0 read, 1 write
	mode    INTEGER,
	pc      INTEGER,
	addr    INTEGER,
	value   INTEGER,
	aux     INTEGER
);

-- Raw fields of events nvtrace does not decode ("k=v k=v ..."), kept, never dropped.
CREATE TABLE event_raw (
	event_id INTEGER PRIMARY KEY REFERENCES events(id),
	fields   TEXT NOT NULL
);
