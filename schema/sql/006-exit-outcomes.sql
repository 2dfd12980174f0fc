-- nvtrace run database, version 6: the outcomes of the nested exits of a
-- replay, each stored once.  A replay's exits repeat a few outcomes (memcached
-- 30 s: 3,525,852 exits, 11 distinct kind, cause, nested, observed_traps,
-- host_irqs, traps_I, cycles_I; the real arm64 recordings: 5 to 66 per replay
-- of 204 to 1,193 exits), so exit_rows keeps what differs from exit to exit
-- (vcpu, ts_start, dur) and the number of its outcome, a row of exit_outcomes:
-- about 25 bytes per stored exit where version 5 took 60.  An outcome's id is
-- replay_id << 32 | n, n (1-based) the number exit_rows.outcome holds (one or
-- two bytes where the whole id would take six): a replay's outcomes are the
-- rowid range of its id, deleted with its rows.  Replay numbers them through a
-- small cache, so the same outcome may have more than one number (readers
-- never care: they read the values).  nested_exits, exit_costs and
-- exit_costs_named keep exactly their columns and rows, in the same order
-- (CROSS JOIN: exit_rows is the outer loop, in rowid order, as before).
-- Moving to version 6 numbers the distinct outcomes of each replay in value
-- order and rewrites exit_rows.
CREATE TABLE exit_outcomes (
	id             INTEGER PRIMARY KEY,  -- replay_id << 32 | n (n 1-based, < 2^32)
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
-- each replay's distinct outcomes (DISTINCT: a small b-tree, no sort of the
-- rows), numbered 1, 2, ... in value order
INSERT INTO exit_outcomes (id, kind, cause, nested, observed_traps, host_irqs,
		traps_0, cycles_0, traps_1, cycles_1, traps_2, cycles_2, traps_3, cycles_3,
		traps_4, cycles_4, traps_5, cycles_5, traps_6, cycles_6, traps_7, cycles_7)
	SELECT (r << 32) | row_number() OVER (PARTITION BY r ORDER BY kind, cause, nested, observed_traps, host_irqs,
		traps_0, cycles_0, traps_1, cycles_1, traps_2, cycles_2, traps_3, cycles_3,
		traps_4, cycles_4, traps_5, cycles_5, traps_6, cycles_6, traps_7, cycles_7),
		kind, cause, nested, observed_traps, host_irqs,
		traps_0, cycles_0, traps_1, cycles_1, traps_2, cycles_2, traps_3, cycles_3,
		traps_4, cycles_4, traps_5, cycles_5, traps_6, cycles_6, traps_7, cycles_7
	FROM (SELECT DISTINCT id >> 32 AS r, kind, cause, nested, observed_traps, host_irqs,
		traps_0, cycles_0, traps_1, cycles_1, traps_2, cycles_2, traps_3, cycles_3,
		traps_4, cycles_4, traps_5, cycles_5, traps_6, cycles_6, traps_7, cycles_7
	      FROM exit_rows)
	ORDER BY 1;
CREATE TABLE exit_rows_6 (
	id       INTEGER PRIMARY KEY,  -- replay_id << 32 | seq (seq 1-based, < 2^32)
	vcpu     INTEGER,              -- thread id (arm64) or vCPU id (x86)
	ts_start INTEGER,              -- ns: the nested VM's exit
	dur      INTEGER,              -- ns: until the nested VM runs again (ts_end - ts_start)
	outcome  INTEGER NOT NULL      -- exit_outcomes.id = replay_id << 32 | outcome
);
-- each row's outcome, found through an index of the outcomes' values (IS: NULL
-- matches NULL, as DISTINCT grouped them), the rows copied in id order
CREATE INDEX exit_outcomes_6 ON exit_outcomes (id >> 32, kind, cause, nested, observed_traps, host_irqs,
		traps_0, cycles_0, traps_1, cycles_1, traps_2, cycles_2, traps_3, cycles_3,
		traps_4, cycles_4, traps_5, cycles_5, traps_6, cycles_6, traps_7, cycles_7);
INSERT INTO exit_rows_6 (id, vcpu, ts_start, dur, outcome)
	SELECT x.id, x.vcpu, x.ts_start, x.dur, (SELECT o.id & 4294967295 FROM exit_outcomes o
		WHERE o.id >> 32 = x.id >> 32 AND o.kind IS x.kind AND o.cause IS x.cause
		AND o.nested IS x.nested AND o.observed_traps IS x.observed_traps
		AND o.host_irqs IS x.host_irqs
		AND o.traps_0 IS x.traps_0 AND o.cycles_0 IS x.cycles_0 AND o.traps_1 IS x.traps_1
		AND o.cycles_1 IS x.cycles_1 AND o.traps_2 IS x.traps_2 AND o.cycles_2 IS x.cycles_2
		AND o.traps_3 IS x.traps_3 AND o.cycles_3 IS x.cycles_3 AND o.traps_4 IS x.traps_4
		AND o.cycles_4 IS x.cycles_4 AND o.traps_5 IS x.traps_5 AND o.cycles_5 IS x.cycles_5
		AND o.traps_6 IS x.traps_6 AND o.cycles_6 IS x.cycles_6 AND o.traps_7 IS x.traps_7
		AND o.cycles_7 IS x.cycles_7)
	FROM exit_rows x ORDER BY x.id;
DROP INDEX exit_outcomes_6;
DROP VIEW exit_costs_named;
DROP VIEW exit_costs;
DROP VIEW nested_exits;
DROP TABLE exit_rows;
ALTER TABLE exit_rows_6 RENAME TO exit_rows;

-- Every complete nested exit, as version 2 to 4 stored it.
CREATE VIEW nested_exits AS
	SELECT x.id >> 32 AS replay_id, x.id & 4294967295 AS seq, x.vcpu, x.ts_start,
	       x.ts_start + x.dur AS ts_end, o.kind, o.cause, o.nested, o.observed_traps, o.host_irqs,
	       o.traps_0, o.cycles_0, o.traps_1, o.cycles_1, o.traps_2, o.cycles_2, o.traps_3, o.cycles_3,
	       o.traps_4, o.cycles_4, o.traps_5, o.cycles_5, o.traps_6, o.cycles_6, o.traps_7, o.cycles_7
	FROM exit_rows x CROSS JOIN exit_outcomes o ON o.id = ((x.id >> 32) << 32) | x.outcome;

-- What each nested exit costs on each architecture: one row per exit and arch.
-- Architecture I's rows are those of the replays with an outcome costed on I
-- (p, in id order: a scan of exit_outcomes), read as rowid ranges of exit_rows:
-- the same rows as a scan of every row, without one outcome read per row for
-- the architectures a replay does not have.
CREATE VIEW exit_costs AS
	SELECT x.id >> 32 AS replay_id, x.id & 4294967295 AS seq, 0 AS arch_idx, o.traps_0 AS traps, o.cycles_0 AS cycles
		FROM (SELECT DISTINCT id >> 32 AS r FROM exit_outcomes WHERE traps_0 IS NOT NULL ORDER BY 1) p
		CROSS JOIN exit_rows x ON x.id BETWEEN p.r << 32 AND (p.r << 32) | 4294967295
		CROSS JOIN exit_outcomes o ON o.id = ((x.id >> 32) << 32) | x.outcome WHERE o.traps_0 IS NOT NULL
	UNION ALL
	SELECT x.id >> 32 AS replay_id, x.id & 4294967295 AS seq, 1 AS arch_idx, o.traps_1 AS traps, o.cycles_1 AS cycles
		FROM (SELECT DISTINCT id >> 32 AS r FROM exit_outcomes WHERE traps_1 IS NOT NULL ORDER BY 1) p
		CROSS JOIN exit_rows x ON x.id BETWEEN p.r << 32 AND (p.r << 32) | 4294967295
		CROSS JOIN exit_outcomes o ON o.id = ((x.id >> 32) << 32) | x.outcome WHERE o.traps_1 IS NOT NULL
	UNION ALL
	SELECT x.id >> 32 AS replay_id, x.id & 4294967295 AS seq, 2 AS arch_idx, o.traps_2 AS traps, o.cycles_2 AS cycles
		FROM (SELECT DISTINCT id >> 32 AS r FROM exit_outcomes WHERE traps_2 IS NOT NULL ORDER BY 1) p
		CROSS JOIN exit_rows x ON x.id BETWEEN p.r << 32 AND (p.r << 32) | 4294967295
		CROSS JOIN exit_outcomes o ON o.id = ((x.id >> 32) << 32) | x.outcome WHERE o.traps_2 IS NOT NULL
	UNION ALL
	SELECT x.id >> 32 AS replay_id, x.id & 4294967295 AS seq, 3 AS arch_idx, o.traps_3 AS traps, o.cycles_3 AS cycles
		FROM (SELECT DISTINCT id >> 32 AS r FROM exit_outcomes WHERE traps_3 IS NOT NULL ORDER BY 1) p
		CROSS JOIN exit_rows x ON x.id BETWEEN p.r << 32 AND (p.r << 32) | 4294967295
		CROSS JOIN exit_outcomes o ON o.id = ((x.id >> 32) << 32) | x.outcome WHERE o.traps_3 IS NOT NULL
	UNION ALL
	SELECT x.id >> 32 AS replay_id, x.id & 4294967295 AS seq, 4 AS arch_idx, o.traps_4 AS traps, o.cycles_4 AS cycles
		FROM (SELECT DISTINCT id >> 32 AS r FROM exit_outcomes WHERE traps_4 IS NOT NULL ORDER BY 1) p
		CROSS JOIN exit_rows x ON x.id BETWEEN p.r << 32 AND (p.r << 32) | 4294967295
		CROSS JOIN exit_outcomes o ON o.id = ((x.id >> 32) << 32) | x.outcome WHERE o.traps_4 IS NOT NULL
	UNION ALL
	SELECT x.id >> 32 AS replay_id, x.id & 4294967295 AS seq, 5 AS arch_idx, o.traps_5 AS traps, o.cycles_5 AS cycles
		FROM (SELECT DISTINCT id >> 32 AS r FROM exit_outcomes WHERE traps_5 IS NOT NULL ORDER BY 1) p
		CROSS JOIN exit_rows x ON x.id BETWEEN p.r << 32 AND (p.r << 32) | 4294967295
		CROSS JOIN exit_outcomes o ON o.id = ((x.id >> 32) << 32) | x.outcome WHERE o.traps_5 IS NOT NULL
	UNION ALL
	SELECT x.id >> 32 AS replay_id, x.id & 4294967295 AS seq, 6 AS arch_idx, o.traps_6 AS traps, o.cycles_6 AS cycles
		FROM (SELECT DISTINCT id >> 32 AS r FROM exit_outcomes WHERE traps_6 IS NOT NULL ORDER BY 1) p
		CROSS JOIN exit_rows x ON x.id BETWEEN p.r << 32 AND (p.r << 32) | 4294967295
		CROSS JOIN exit_outcomes o ON o.id = ((x.id >> 32) << 32) | x.outcome WHERE o.traps_6 IS NOT NULL
	UNION ALL
	SELECT x.id >> 32 AS replay_id, x.id & 4294967295 AS seq, 7 AS arch_idx, o.traps_7 AS traps, o.cycles_7 AS cycles
		FROM (SELECT DISTINCT id >> 32 AS r FROM exit_outcomes WHERE traps_7 IS NOT NULL ORDER BY 1) p
		CROSS JOIN exit_rows x ON x.id BETWEEN p.r << 32 AND (p.r << 32) | 4294967295
		CROSS JOIN exit_outcomes o ON o.id = ((x.id >> 32) << 32) | x.outcome WHERE o.traps_7 IS NOT NULL
;

-- For plots and flame charts: one row per nested exit and architecture, named
-- (one scan of exit_rows per architecture, no join of the rows with themselves).
CREATE VIEW exit_costs_named AS
	SELECT x.replay_id, x.seq, x.vcpu, x.ts_start, x.ts_end, k.name AS kind,
	       x.observed_traps, a.arch, x.traps, x.cycles
	FROM (
	SELECT x.id >> 32 AS replay_id, x.id & 4294967295 AS seq, x.vcpu, x.ts_start,
		       x.ts_start + x.dur AS ts_end, o.kind, o.observed_traps, 0 AS arch_idx, o.traps_0 AS traps, o.cycles_0 AS cycles
		FROM (SELECT DISTINCT id >> 32 AS r FROM exit_outcomes WHERE traps_0 IS NOT NULL ORDER BY 1) p
		CROSS JOIN exit_rows x ON x.id BETWEEN p.r << 32 AND (p.r << 32) | 4294967295
		CROSS JOIN exit_outcomes o ON o.id = ((x.id >> 32) << 32) | x.outcome WHERE o.traps_0 IS NOT NULL
	UNION ALL
	SELECT x.id >> 32 AS replay_id, x.id & 4294967295 AS seq, x.vcpu, x.ts_start,
		       x.ts_start + x.dur AS ts_end, o.kind, o.observed_traps, 1 AS arch_idx, o.traps_1 AS traps, o.cycles_1 AS cycles
		FROM (SELECT DISTINCT id >> 32 AS r FROM exit_outcomes WHERE traps_1 IS NOT NULL ORDER BY 1) p
		CROSS JOIN exit_rows x ON x.id BETWEEN p.r << 32 AND (p.r << 32) | 4294967295
		CROSS JOIN exit_outcomes o ON o.id = ((x.id >> 32) << 32) | x.outcome WHERE o.traps_1 IS NOT NULL
	UNION ALL
	SELECT x.id >> 32 AS replay_id, x.id & 4294967295 AS seq, x.vcpu, x.ts_start,
		       x.ts_start + x.dur AS ts_end, o.kind, o.observed_traps, 2 AS arch_idx, o.traps_2 AS traps, o.cycles_2 AS cycles
		FROM (SELECT DISTINCT id >> 32 AS r FROM exit_outcomes WHERE traps_2 IS NOT NULL ORDER BY 1) p
		CROSS JOIN exit_rows x ON x.id BETWEEN p.r << 32 AND (p.r << 32) | 4294967295
		CROSS JOIN exit_outcomes o ON o.id = ((x.id >> 32) << 32) | x.outcome WHERE o.traps_2 IS NOT NULL
	UNION ALL
	SELECT x.id >> 32 AS replay_id, x.id & 4294967295 AS seq, x.vcpu, x.ts_start,
		       x.ts_start + x.dur AS ts_end, o.kind, o.observed_traps, 3 AS arch_idx, o.traps_3 AS traps, o.cycles_3 AS cycles
		FROM (SELECT DISTINCT id >> 32 AS r FROM exit_outcomes WHERE traps_3 IS NOT NULL ORDER BY 1) p
		CROSS JOIN exit_rows x ON x.id BETWEEN p.r << 32 AND (p.r << 32) | 4294967295
		CROSS JOIN exit_outcomes o ON o.id = ((x.id >> 32) << 32) | x.outcome WHERE o.traps_3 IS NOT NULL
	UNION ALL
	SELECT x.id >> 32 AS replay_id, x.id & 4294967295 AS seq, x.vcpu, x.ts_start,
		       x.ts_start + x.dur AS ts_end, o.kind, o.observed_traps, 4 AS arch_idx, o.traps_4 AS traps, o.cycles_4 AS cycles
		FROM (SELECT DISTINCT id >> 32 AS r FROM exit_outcomes WHERE traps_4 IS NOT NULL ORDER BY 1) p
		CROSS JOIN exit_rows x ON x.id BETWEEN p.r << 32 AND (p.r << 32) | 4294967295
		CROSS JOIN exit_outcomes o ON o.id = ((x.id >> 32) << 32) | x.outcome WHERE o.traps_4 IS NOT NULL
	UNION ALL
	SELECT x.id >> 32 AS replay_id, x.id & 4294967295 AS seq, x.vcpu, x.ts_start,
		       x.ts_start + x.dur AS ts_end, o.kind, o.observed_traps, 5 AS arch_idx, o.traps_5 AS traps, o.cycles_5 AS cycles
		FROM (SELECT DISTINCT id >> 32 AS r FROM exit_outcomes WHERE traps_5 IS NOT NULL ORDER BY 1) p
		CROSS JOIN exit_rows x ON x.id BETWEEN p.r << 32 AND (p.r << 32) | 4294967295
		CROSS JOIN exit_outcomes o ON o.id = ((x.id >> 32) << 32) | x.outcome WHERE o.traps_5 IS NOT NULL
	UNION ALL
	SELECT x.id >> 32 AS replay_id, x.id & 4294967295 AS seq, x.vcpu, x.ts_start,
		       x.ts_start + x.dur AS ts_end, o.kind, o.observed_traps, 6 AS arch_idx, o.traps_6 AS traps, o.cycles_6 AS cycles
		FROM (SELECT DISTINCT id >> 32 AS r FROM exit_outcomes WHERE traps_6 IS NOT NULL ORDER BY 1) p
		CROSS JOIN exit_rows x ON x.id BETWEEN p.r << 32 AND (p.r << 32) | 4294967295
		CROSS JOIN exit_outcomes o ON o.id = ((x.id >> 32) << 32) | x.outcome WHERE o.traps_6 IS NOT NULL
	UNION ALL
	SELECT x.id >> 32 AS replay_id, x.id & 4294967295 AS seq, x.vcpu, x.ts_start,
		       x.ts_start + x.dur AS ts_end, o.kind, o.observed_traps, 7 AS arch_idx, o.traps_7 AS traps, o.cycles_7 AS cycles
		FROM (SELECT DISTINCT id >> 32 AS r FROM exit_outcomes WHERE traps_7 IS NOT NULL ORDER BY 1) p
		CROSS JOIN exit_rows x ON x.id BETWEEN p.r << 32 AND (p.r << 32) | 4294967295
		CROSS JOIN exit_outcomes o ON o.id = ((x.id >> 32) << 32) | x.outcome WHERE o.traps_7 IS NOT NULL
	) x
	JOIN replay_archs a ON a.replay_id = x.replay_id AND a.idx = x.arch_idx
	JOIN exit_kinds k ON k.id = x.kind;
