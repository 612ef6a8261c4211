/* msg.h: diagnostics for files and lines, counted by severity. */
#ifndef KB_MSG_H
#define KB_MSG_H

#include <stdio.h>

enum kb_level {
	KB_NOTE,
	KB_WARNING,
	KB_ERROR
};

/*
 * One context per run.  Messages go to `out` (stderr unless changed) as
 * "apigw-kb: file:line: error: text".  With `strict`, warnings count as
 * errors, which is how `build --strict` fails on a broken link.
 */
struct kb_diag {
	FILE	*out;
	int	 strict;
	int	 quiet;		/* suppress notes and warnings on out */
	int	 warnings;
	int	 errors;
};

void	 kb_diag_init(struct kb_diag *);
void	 kb_msg(struct kb_diag *, enum kb_level, const char *file, int line,
	    const char *fmt, ...) __attribute__((format(printf, 5, 6)));
int	 kb_diag_failed(const struct kb_diag *);

#endif
