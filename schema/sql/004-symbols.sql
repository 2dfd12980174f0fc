-- nvtrace run database, version 4: the guest hypervisor's symbol table
-- (nvtrace import --symbols, nvtrace symbols), to name the function of each
-- trap PC.  Code symbols only (kallsyms types t T w W); addresses are the
-- 64-bit values stored as SQLite's signed integers (two's complement).
CREATE TABLE symbols (
	addr   INTEGER NOT NULL,
	type   TEXT NOT NULL,
	name   TEXT NOT NULL
);
-- One row of what was loaded: the file, its _etext, how many trap PCs resolved.
CREATE TABLE symbol_source (
	file       TEXT NOT NULL,
	text_end   INTEGER,           -- _etext (0: not in the file)
	symbols    INTEGER NOT NULL,  -- rows of symbols
	trap_pcs   INTEGER,           -- distinct trap PCs of the nested exits
	resolved   INTEGER,           -- ... that fall in a symbol
	loaded     TEXT               -- ISO 8601 UTC
);
