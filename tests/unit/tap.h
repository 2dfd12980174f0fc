/*
 * A minimal TAP producer for the unit tests: each check prints "ok N - name"
 * or "not ok N - name"; skips print "ok N - name # SKIP why".  tests/run.sh
 * counts them.  Checks compare exact values and print both sides on failure.
 */
#ifndef NVTRACE_TAP_H
#define NVTRACE_TAP_H
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static int tap_n, tap_failed;

#define T_OK(cond, ...) tap_check(!!(cond), __FILE__, __LINE__, __VA_ARGS__)

#define T_EQ_INT(got, want, ...) do { \
	long long g_ = (long long)(got), w_ = (long long)(want); \
	if (!T_OK(g_ == w_, __VA_ARGS__)) \
		printf("#   got %lld, want %lld\n", g_, w_); \
} while (0)

#define T_EQ_U64(got, want, ...) do { \
	unsigned long long g_ = (unsigned long long)(got), w_ = (unsigned long long)(want); \
	if (!T_OK(g_ == w_, __VA_ARGS__)) \
		printf("#   got 0x%llx, want 0x%llx\n", g_, w_); \
} while (0)

#define T_EQ_STR(got, want, ...) do { \
	const char *g_ = (got), *w_ = (want); \
	if (!T_OK(g_ && w_ && strcmp(g_, w_) == 0, __VA_ARGS__)) \
		printf("#   got \"%s\", want \"%s\"\n", g_ ? g_ : "(null)", w_ ? w_ : "(null)"); \
} while (0)

static inline int tap_check(int ok, const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

#include <stdarg.h>
static inline int tap_check(int ok, const char *file, int line, const char *fmt, ...)
{
	va_list ap;
	printf("%sok %d - ", ok ? "" : "not ", ++tap_n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	if (!ok) {
		tap_failed++;
		printf("#   at %s:%d\n", file, line);
	}
	fflush(stdout);
	return ok;
}

static inline void t_skip(const char *name, const char *why)
{
	printf("ok %d - %s # SKIP %s\n", ++tap_n, name, why);
	fflush(stdout);
}

static inline int t_done(void)
{
	printf("1..%d\n", tap_n);
	return tap_failed ? 1 : 0;
}
#endif
