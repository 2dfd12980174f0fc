/*
 * Command-line helpers shared by the model commands (explain, regs,
 * compare): resolve --arch/--guest/--cost/--set, read profile files.
 * Every error prints one line "nvtrace CMD: ..." and returns the exit status.
 */
#ifndef NVTRACE_MODEL_CLI_H
#define NVTRACE_MODEL_CLI_H
#include <stdint.h>
#include "model/model.h"
#include "model/whatif.h"
#include "replay/defaults.h"

#define MODEL_CLI_DEFAULT_GUEST NV_DEFAULT_GUEST
#define MODEL_CLI_DEFAULT_COST NV_DEFAULT_COST

int model_cli_arch(const char *cmd, const char *name, const struct nv_arch **out);
int model_cli_cost(const char *cmd, const char *name, const struct nv_cost **out);
/* A built-in profile name, or a file (a name with '/' or ending in .prof). */
int model_cli_guest(const char *cmd, const char *name, struct nv_profile **out);
/* Apply "NAME=VALUE" to a profile's option (and check every path still expands). */
int model_cli_set(const char *cmd, struct nv_profile *p, const char *assignment);
/*
 * Check every what-if edit's name against p and set its options (the
 * register edits go to each model: nv_whatif_apply_model); status 2 with
 * one line naming an unknown option or register and the known ones.
 */
int model_cli_whatif(const char *cmd, struct nv_profile *p, const struct nv_whatif *w);
/* Comma-separated lists of the known names, for messages and --help. */
void model_cli_names(char *buf, size_t len, int which);
enum { MODEL_CLI_ARCHS, MODEL_CLI_GUESTS, MODEL_CLI_COSTS };
/* 1234567 -> "1,234,567" in buf. */
const char *model_cli_thousands(char *buf, size_t len, uint64_t v);
#endif
