/*
 * The guest hypervisor's symbol table: parsed from its /proc/kallsyms or a
 * System.map (text, or xz-compressed), stored in the run database (table
 * `symbols`, schema/sql/004-symbols.sql), and used to name the function of
 * every trap PC (function+offset).  Only code symbols (t T w W) are kept.
 */
#ifndef NVTRACE_SYMTAB_H
#define NVTRACE_SYMTAB_H

#include <stddef.h>
#include <stdint.h>

struct nv_sym {
	uint64_t addr;
	char *name;
	char type;		/* kallsyms type letter */
};

struct nv_symtab {
	struct nv_sym *sym;	/* sorted by address */
	size_t n;
	uint64_t text_end;	/* _etext when the file has it, else 0 */
};

/*
 * Parse a kallsyms / System.map file (".xz" or xz magic: decompressed).
 * A file whose lines are not "ADDRESS TYPE NAME [module]" is refused with
 * one line naming the file and line; so is one whose addresses are all 0
 * (kallsyms read with kptr_restrict set).  0, or -1 with err.
 */
int nv_symtab_read(const char *path, struct nv_symtab **out, char *err, size_t errlen);
/* The same from text in memory (origin names it in errors). */
int nv_symtab_parse(const char *text, size_t len, const char *origin,
		    struct nv_symtab **out, char *err, size_t errlen);
void nv_symtab_free(struct nv_symtab *t);
/* Sort by address and drop exact duplicates (after adding symbols). */
void nv_symtab_sort(struct nv_symtab *t);

/*
 * The function containing pc: its symbol (NULL when pc is below the first
 * symbol or past the kernel's text) and pc's offset in it.
 */
const struct nv_sym *nv_symtab_lookup(const struct nv_symtab *t, uint64_t pc, uint64_t *off);

/* "name+0x1c" or "0xffff..." when unresolved (t may be NULL). */
void nv_symtab_format(const struct nv_symtab *t, uint64_t pc, char *buf, size_t len);

#endif
