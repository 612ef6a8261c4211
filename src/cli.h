/* cli.h: command entry points of the apigw-kb program. */
#ifndef KB_CLI_H
#define KB_CLI_H

#include <stddef.h>

#ifndef KB_VERSION
#define KB_VERSION "0.1.0"
#endif

extern const char kb_usage[];	/* the synopsis for --help and usage errors */

int	 kb_cmd_search(int argc, char *argv[]);

/*
 * The first of rel[] (paths relative to the folder of the running binary,
 * such as "../share/apigw-kb/site/kb.sqlite") that access(2) allows with
 * mode, as a path the caller frees; NULL when there is none.
 */
char	*kb_find_beside(const char *const rel[], size_t n, int mode);

#endif
