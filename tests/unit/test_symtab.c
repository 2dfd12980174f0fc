/* The guest hypervisor's symbol table: kallsyms/System.map parsing and PC lookup, exact. */
#include <stdlib.h>
#include "tap.h"
#include "collector/symtab.h"

static const char kallsyms[] =
	"ffff800080000000 T _text\n"
	"ffff800080010000 t __pi__stext\n"
	"ffff800080010000 T _stext\n"
	"ffff800080010100 t sysreg_save_guest_state_vhe\n"
	"ffff800080010180 T __guest_enter\n"
	"ffff800080020000 D _etext\n"
	"ffff800080030000 d some_data\n"
	"ffff800090000000 t mod_fn\t[kvm]\n";

/* Parse a text, return the table (NULL on error, err filled). */
static struct nv_symtab *parse(const char *text, char *err, size_t len)
{
	struct nv_symtab *t = NULL;
	nv_symtab_parse(text, strlen(text), "k.txt", &t, err, len);
	return t;
}

int main(void)
{
	char err[256], buf[128];
	uint64_t off = 0;
	struct nv_symtab *t = parse(kallsyms, err, sizeof err);

	T_OK(t != NULL, "a kallsyms text parses");
	if (!t)
		return 1;
	/* code symbols only (t T w W): _text, __pi__stext, _stext, the two functions, mod_fn */
	T_EQ_INT(t->n, 6, "6 code symbols kept (D/d dropped)");
	T_EQ_U64(t->text_end, 0xffff800080020000ull, "_etext (a D symbol) bounds the kernel's text");
	const struct nv_sym *s = nv_symtab_lookup(t, 0xffff800080010118ull, &off);
	T_EQ_STR(s ? s->name : NULL, "sysreg_save_guest_state_vhe", "a PC inside a function names it");
	T_EQ_U64(off, 0x18, "and its offset");
	nv_symtab_format(t, 0xffff800080010230ull, buf, sizeof buf);
	T_EQ_STR(buf, "__guest_enter+0xb0", "function+offset text");
	nv_symtab_format(t, 0xffff800080020010ull, buf, sizeof buf);
	T_EQ_STR(buf, "0xffff800080020010", "past _etext (data): unresolved, the PC");
	nv_symtab_format(t, 0xffff800090000004ull, buf, sizeof buf);
	T_EQ_STR(buf, "mod_fn+0x4", "a module function past _etext resolves");
	nv_symtab_format(t, 0x1000, buf, sizeof buf);
	T_EQ_STR(buf, "0x1000", "below the first symbol: the PC");
	T_OK(nv_symtab_lookup(t, 0xffff800090100000ull, NULL) == NULL,
	     "1 MB past the last symbol: unresolved");
	T_OK(nv_symtab_lookup(NULL, 0xffff800080010118ull, NULL) == NULL, "no table: unresolved");
	nv_symtab_free(t);

	/* System.map has the same shape; CRLF line ends are accepted */
	t = parse("0000000000001000 T start\r\n0000000000001040 W weak_fn\r\n", err, sizeof err);
	T_OK(t && t->n == 2, "a System.map with CRLF parses (2 symbols)");
	nv_symtab_format(t, 0x1044, buf, sizeof buf);
	T_EQ_STR(buf, "weak_fn+0x4", "W symbols are code");
	nv_symtab_free(t);

	/* refused: one line naming the file and the line */
	t = parse("ffff800080000000 T _text\nthis is not kallsyms\n", err, sizeof err);
	T_OK(t == NULL, "a line that is not ADDRESS TYPE NAME is refused");
	T_EQ_STR(err, "k.txt:2: not a kallsyms or System.map line (want 'ADDRESS TYPE NAME')",
		 "the error names the file and line");
	t = parse("0000000000000000 T _text\n0000000000000000 t f\n", err, sizeof err);
	T_OK(t == NULL, "all-zero addresses are refused");
	T_EQ_STR(err, "k.txt: every address is 0 (kallsyms read with kptr_restrict set: read it "
		 "as root with kptr_restrict 0)", "and say why");
	t = parse("ffff800080000000 d only_data\n", err, sizeof err);
	T_OK(t == NULL, "a file without code symbols is refused");
	t = parse("ffff8000800000001 T too_long_address\n", err, sizeof err);
	T_OK(t == NULL, "a 17-digit address is refused");
	t = parse("ffff800080000000 TT name\n", err, sizeof err);
	T_OK(t == NULL, "a two-letter type is refused");
	t = parse("", err, sizeof err);
	T_OK(t == NULL, "an empty file is refused");
	return t_done();
}
