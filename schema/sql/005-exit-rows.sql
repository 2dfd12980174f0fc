-- nvtrace run database, version 5: the nested exits of a replay in a rowid
-- table, exit_rows, half the bytes per stored exit of version 2's nested_exits.
-- The key is one integer, id = replay_id << 32 | seq (the rowid: no separate
-- key b-tree, and replay appends rows in key order), and the exit's end is
-- stored as its duration, dur = ts_end - ts_start (one to three bytes, where
-- ts_end took six).  nested_exits, exit_costs and exit_costs_named are views
-- over exit_rows with exactly the old columns and rows (in the same order),
-- so every reader (stat, flame, export, the UI, sqlite3 users) keeps working;
-- replay writes exit_rows, and nvtrace's own reader (replay/results.c) reads
-- one replay's rows as the rowid range of its id.  Moving to version 5 copies
-- the rows of a version-4 database and drops the old table.
CREATE TABLE exit_rows (
	id             INTEGER PRIMARY KEY,  -- replay_id << 32 | seq (seq 1-based, < 2^32)
	vcpu           INTEGER,            -- thread id (arm64) or vCPU id (x86)
	ts_start       INTEGER,            -- ns: the nested VM's exit
	dur            INTEGER,            -- ns: until the nested VM runs again (ts_end - ts_start)
	kind           INTEGER NOT NULL REFERENCES exit_kinds(id),
	cause          INTEGER,            -- EC / exit reason / event type that gave the kind
	nested         INTEGER NOT NULL,   -- 1 observed nested exit, 0 VM exit replayed as nested
	observed_traps INTEGER NOT NULL,   -- guest-hypervisor traps the trace shows (0 if not nested)
	host_irqs      INTEGER NOT NULL,   -- interrupt exits to L0 meanwhile (not traps)
	traps_0 INTEGER, cycles_0 INTEGER,
	traps_1 INTEGER, cycles_1 INTEGER,
	traps_2 INTEGER, cycles_2 INTEGER,
	traps_3 INTEGER, cycles_3 INTEGER,
	traps_4 INTEGER, cycles_4 INTEGER,
	traps_5 INTEGER, cycles_5 INTEGER,
	traps_6 INTEGER, cycles_6 INTEGER,
	traps_7 INTEGER, cycles_7 INTEGER
);
INSERT INTO exit_rows (id, vcpu, ts_start, dur, kind, cause, nested, observed_traps, host_irqs,
	traps_0, cycles_0, traps_1, cycles_1, traps_2, cycles_2, traps_3, cycles_3,
	traps_4, cycles_4, traps_5, cycles_5, traps_6, cycles_6, traps_7, cycles_7)
	SELECT (replay_id << 32) | seq, vcpu, ts_start, ts_end - ts_start, kind, cause, nested,
	       observed_traps, host_irqs,
	       traps_0, cycles_0, traps_1, cycles_1, traps_2, cycles_2, traps_3, cycles_3,
	       traps_4, cycles_4, traps_5, cycles_5, traps_6, cycles_6, traps_7, cycles_7
	FROM nested_exits ORDER BY replay_id, seq;
DROP VIEW exit_costs_named;
DROP VIEW exit_costs;
DROP TABLE nested_exits;

-- Every complete nested exit, as version 2 to 4 stored it.
CREATE VIEW nested_exits AS
	SELECT id >> 32 AS replay_id, id & 4294967295 AS seq, vcpu, ts_start,
	       ts_start + dur AS ts_end, kind, cause, nested, observed_traps, host_irqs,
	       traps_0, cycles_0, traps_1, cycles_1, traps_2, cycles_2, traps_3, cycles_3,
	       traps_4, cycles_4, traps_5, cycles_5, traps_6, cycles_6, traps_7, cycles_7
	FROM exit_rows;

-- What each nested exit costs on each architecture: one row per exit and arch.
CREATE VIEW exit_costs AS
	SELECT id >> 32 AS replay_id, id & 4294967295 AS seq, 0 AS arch_idx, traps_0 AS traps, cycles_0 AS cycles
		FROM exit_rows WHERE traps_0 IS NOT NULL
	UNION ALL
	SELECT id >> 32 AS replay_id, id & 4294967295 AS seq, 1 AS arch_idx, traps_1 AS traps, cycles_1 AS cycles
		FROM exit_rows WHERE traps_1 IS NOT NULL
	UNION ALL
	SELECT id >> 32 AS replay_id, id & 4294967295 AS seq, 2 AS arch_idx, traps_2 AS traps, cycles_2 AS cycles
		FROM exit_rows WHERE traps_2 IS NOT NULL
	UNION ALL
	SELECT id >> 32 AS replay_id, id & 4294967295 AS seq, 3 AS arch_idx, traps_3 AS traps, cycles_3 AS cycles
		FROM exit_rows WHERE traps_3 IS NOT NULL
	UNION ALL
	SELECT id >> 32 AS replay_id, id & 4294967295 AS seq, 4 AS arch_idx, traps_4 AS traps, cycles_4 AS cycles
		FROM exit_rows WHERE traps_4 IS NOT NULL
	UNION ALL
	SELECT id >> 32 AS replay_id, id & 4294967295 AS seq, 5 AS arch_idx, traps_5 AS traps, cycles_5 AS cycles
		FROM exit_rows WHERE traps_5 IS NOT NULL
	UNION ALL
	SELECT id >> 32 AS replay_id, id & 4294967295 AS seq, 6 AS arch_idx, traps_6 AS traps, cycles_6 AS cycles
		FROM exit_rows WHERE traps_6 IS NOT NULL
	UNION ALL
	SELECT id >> 32 AS replay_id, id & 4294967295 AS seq, 7 AS arch_idx, traps_7 AS traps, cycles_7 AS cycles
		FROM exit_rows WHERE traps_7 IS NOT NULL
;

-- For plots and flame charts: one row per nested exit and architecture, named
-- (one scan of exit_rows per architecture, no join of the rows with themselves).
CREATE VIEW exit_costs_named AS
	SELECT x.replay_id, x.seq, x.vcpu, x.ts_start, x.ts_end, k.name AS kind,
	       x.observed_traps, a.arch, x.traps, x.cycles
	FROM (
	SELECT id >> 32 AS replay_id, id & 4294967295 AS seq, vcpu, ts_start,
		       ts_start + dur AS ts_end, kind, observed_traps, 0 AS arch_idx, traps_0 AS traps, cycles_0 AS cycles
		FROM exit_rows WHERE traps_0 IS NOT NULL
	UNION ALL
	SELECT id >> 32 AS replay_id, id & 4294967295 AS seq, vcpu, ts_start,
		       ts_start + dur AS ts_end, kind, observed_traps, 1 AS arch_idx, traps_1 AS traps, cycles_1 AS cycles
		FROM exit_rows WHERE traps_1 IS NOT NULL
	UNION ALL
	SELECT id >> 32 AS replay_id, id & 4294967295 AS seq, vcpu, ts_start,
		       ts_start + dur AS ts_end, kind, observed_traps, 2 AS arch_idx, traps_2 AS traps, cycles_2 AS cycles
		FROM exit_rows WHERE traps_2 IS NOT NULL
	UNION ALL
	SELECT id >> 32 AS replay_id, id & 4294967295 AS seq, vcpu, ts_start,
		       ts_start + dur AS ts_end, kind, observed_traps, 3 AS arch_idx, traps_3 AS traps, cycles_3 AS cycles
		FROM exit_rows WHERE traps_3 IS NOT NULL
	UNION ALL
	SELECT id >> 32 AS replay_id, id & 4294967295 AS seq, vcpu, ts_start,
		       ts_start + dur AS ts_end, kind, observed_traps, 4 AS arch_idx, traps_4 AS traps, cycles_4 AS cycles
		FROM exit_rows WHERE traps_4 IS NOT NULL
	UNION ALL
	SELECT id >> 32 AS replay_id, id & 4294967295 AS seq, vcpu, ts_start,
		       ts_start + dur AS ts_end, kind, observed_traps, 5 AS arch_idx, traps_5 AS traps, cycles_5 AS cycles
		FROM exit_rows WHERE traps_5 IS NOT NULL
	UNION ALL
	SELECT id >> 32 AS replay_id, id & 4294967295 AS seq, vcpu, ts_start,
		       ts_start + dur AS ts_end, kind, observed_traps, 6 AS arch_idx, traps_6 AS traps, cycles_6 AS cycles
		FROM exit_rows WHERE traps_6 IS NOT NULL
	UNION ALL
	SELECT id >> 32 AS replay_id, id & 4294967295 AS seq, vcpu, ts_start,
		       ts_start + dur AS ts_end, kind, observed_traps, 7 AS arch_idx, traps_7 AS traps, cycles_7 AS cycles
		FROM exit_rows WHERE traps_7 IS NOT NULL
	) x
	JOIN replay_archs a ON a.replay_id = x.replay_id AND a.idx = x.arch_idx
	JOIN exit_kinds k ON k.id = x.kind;
