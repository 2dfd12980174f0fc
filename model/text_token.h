/* Splitting a line of the model's text formats (profiles, cost tables) in place. */
#ifndef NVTRACE_TEXT_TOKEN_H
#define NVTRACE_TEXT_TOKEN_H

/* Next whitespace-separated token of *s (cut in place, *s advanced), NULL at the end. */
char *nv_text_token(char **s);
/* The rest of a line, trimmed (in place); NULL if empty. */
char *nv_text_rest(char *s);

#endif
