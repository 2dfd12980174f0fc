-- Built once the events are in (bulk insert is faster without them).
CREATE INDEX IF NOT EXISTS events_pid_ts ON events(pid, ts);
CREATE INDEX IF NOT EXISTS events_type ON events(type);
CREATE INDEX IF NOT EXISTS events_name ON events(name_id);
