-- nvtrace run database, version 2: replay results (nvtrace replay, compare, validate).

-- One row per replay: its settings and what reconstruction found.  A new
-- replay with the same guest, cost, architectures and statefulness replaces
-- the old one.
CREATE TABLE replays (
	id               INTEGER PRIMARY KEY,
	guest            TEXT NOT NULL,     -- guest-hypervisor profile
	cost             TEXT NOT NULL,     -- cost table
	archs            TEXT NOT NULL,     -- comma-separated, in replay_archs order
	stateless        INTEGER NOT NULL DEFAULT 0, -- 1: sub-model state not carried between exits
	mode             TEXT NOT NULL,     -- arm64-nested, x86-nested, arm64-single, x86-single
	created          TEXT,              -- ISO 8601 UTC
	events           INTEGER,           -- events read
	exits            INTEGER,           -- complete nested exits (rows of nested_exits)
	incomplete_start INTEGER,           -- closed before the trace saw them open
	incomplete_end   INTEGER,           -- still open when the trace ended
	unmatched        INTEGER,           -- open/close out of order (lost events)
	self_injections  INTEGER,           -- exceptions vEL2 took from itself (not nested exits)
	outside_exits    INTEGER,           -- nested run: the guest hypervisor's exits outside nested exits
	lost_events      INTEGER,           -- from the run's metadata
	unmodelled       INTEGER,           -- exits whose kind the profile has no path for
	ts_first         INTEGER,           -- the run's time span (ns)
	ts_last          INTEGER,
	UNIQUE (guest, cost, archs, stateless)
);

-- The architectures of a replay, in column order.
CREATE TABLE replay_archs (
	replay_id INTEGER NOT NULL REFERENCES replays(id) ON DELETE CASCADE,
	idx       INTEGER NOT NULL,
	arch      TEXT NOT NULL,
	PRIMARY KEY (replay_id, idx)
) WITHOUT ROWID;

-- Nested exit kinds by number.  The rows come from model/exit_kinds.def (the
-- one list): schema/embed.sh writes the INSERT in place of the line below.
CREATE TABLE exit_kinds (
	id   INTEGER PRIMARY KEY,
	name TEXT NOT NULL UNIQUE
);
-- @EXIT_KINDS@

-- Every complete nested exit, in the order it ended, with what it costs on
-- each architecture of the replay: traps_I / cycles_I for replay_archs.idx I
-- (NULL past the last one).  One row per exit keeps replay fast; the view
-- exit_costs below gives one row per exit and architecture.
CREATE TABLE nested_exits (
	replay_id      INTEGER NOT NULL REFERENCES replays(id) ON DELETE CASCADE,
	seq            INTEGER NOT NULL,   -- 1-based
	vcpu           INTEGER,            -- thread id (arm64) or vCPU id (x86)
	ts_start       INTEGER,            -- ns: the nested VM's exit
	ts_end         INTEGER,            -- ns: the nested VM runs again
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
	traps_7 INTEGER, cycles_7 INTEGER,
	PRIMARY KEY (replay_id, seq)
) WITHOUT ROWID;

-- What each nested exit costs on each architecture: one row per exit and arch.
CREATE VIEW exit_costs AS
	SELECT replay_id, seq, 0 AS arch_idx, traps_0 AS traps, cycles_0 AS cycles
		FROM nested_exits WHERE traps_0 IS NOT NULL
	UNION ALL
	SELECT replay_id, seq, 1 AS arch_idx, traps_1 AS traps, cycles_1 AS cycles
		FROM nested_exits WHERE traps_1 IS NOT NULL
	UNION ALL
	SELECT replay_id, seq, 2 AS arch_idx, traps_2 AS traps, cycles_2 AS cycles
		FROM nested_exits WHERE traps_2 IS NOT NULL
	UNION ALL
	SELECT replay_id, seq, 3 AS arch_idx, traps_3 AS traps, cycles_3 AS cycles
		FROM nested_exits WHERE traps_3 IS NOT NULL
	UNION ALL
	SELECT replay_id, seq, 4 AS arch_idx, traps_4 AS traps, cycles_4 AS cycles
		FROM nested_exits WHERE traps_4 IS NOT NULL
	UNION ALL
	SELECT replay_id, seq, 5 AS arch_idx, traps_5 AS traps, cycles_5 AS cycles
		FROM nested_exits WHERE traps_5 IS NOT NULL
	UNION ALL
	SELECT replay_id, seq, 6 AS arch_idx, traps_6 AS traps, cycles_6 AS cycles
		FROM nested_exits WHERE traps_6 IS NOT NULL
	UNION ALL
	SELECT replay_id, seq, 7 AS arch_idx, traps_7 AS traps, cycles_7 AS cycles
		FROM nested_exits WHERE traps_7 IS NOT NULL
;

-- Totals per architecture and nested exit kind.
CREATE TABLE kind_totals (
	replay_id      INTEGER NOT NULL REFERENCES replays(id) ON DELETE CASCADE,
	arch           TEXT NOT NULL,
	kind           INTEGER NOT NULL REFERENCES exit_kinds(id),
	exits          INTEGER NOT NULL,
	traps          INTEGER NOT NULL,
	cycles         INTEGER NOT NULL,
	observed_traps INTEGER NOT NULL,
	PRIMARY KEY (replay_id, arch, kind)
) WITHOUT ROWID;

-- Totals per architecture and trap kind (the L0 handler a trap lands in).
CREATE TABLE trap_totals (
	replay_id INTEGER NOT NULL REFERENCES replays(id) ON DELETE CASCADE,
	arch      TEXT NOT NULL,
	handler   TEXT NOT NULL,           -- KVM function name, e.g. kvm_emulate_nested_eret
	traps     INTEGER NOT NULL,
	PRIMARY KEY (replay_id, arch, handler)
) WITHOUT ROWID;

-- For plots and flame charts: one row per nested exit and architecture, named.
CREATE VIEW exit_costs_named AS
	SELECT x.replay_id, x.seq, x.vcpu, x.ts_start, x.ts_end, k.name AS kind,
	       x.observed_traps, a.arch, c.traps, c.cycles
	FROM nested_exits x
	JOIN exit_costs c ON c.replay_id = x.replay_id AND c.seq = x.seq
	JOIN replay_archs a ON a.replay_id = c.replay_id AND a.idx = c.arch_idx
	JOIN exit_kinds k ON k.id = x.kind;
