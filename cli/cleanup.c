/* Removing a half-written file when a signal stops the command (see cleanup.h). */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "cli/cleanup.h"

static char victim[4096];
static volatile sig_atomic_t armed;
static const int signals[] = { SIGINT, SIGTERM, SIGHUP, SIGPIPE };

/* unlink and raise are async-signal-safe; the default action then ends us. */
static void on_signal(int sig)
{
	if (armed)
		unlink(victim);
	signal(sig, SIG_DFL);
	raise(sig);
}

void cleanup_on_signal(const char *path)
{
	struct sigaction sa;
	armed = 0;
	snprintf(victim, sizeof(victim), "%s", path);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof(signals) / sizeof(signals[0]); i++)
		sigaction(signals[i], &sa, NULL);
	armed = 1;
}

void cleanup_forget(void)
{
	armed = 0;
	for (size_t i = 0; i < sizeof(signals) / sizeof(signals[0]); i++)
		signal(signals[i], SIG_DFL);
}
