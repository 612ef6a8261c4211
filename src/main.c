/* main.c: the apigw-kb command: searches in-process, hands building to apigw-kb-build. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"


/*
 * build and check run in apigw-kb-build, beside this binary or in
 * ../libexec/apigw-kb/: the search then loads SQLite alone, not libxml2,
 * cmark-gfm and libyaml, which is most of a search's start-up time.
 */
static int
run_builder(int argc, char *argv[])
{
	static const char *const rel[] = {
		"apigw-kb-build", "../libexec/apigw-kb/apigw-kb-build"
	};
	char	*path;

	(void)argc;
	if ((path = kb_find_beside(rel, sizeof(rel) / sizeof(rel[0]), X_OK)) == NULL) {
		fprintf(stderr, "apigw-kb: apigw-kb-build is not installed beside "
		    "this program; run make (or make install)\n");
		return 2;
	}
	argv[-1] = path;	/* argv[0] of the builder */
	execv(path, argv - 1);
	fprintf(stderr, "apigw-kb: cannot run %s: %s\n", path, strerror(errno));
	free(path);
	return 2;
}

static const struct {
	const char	*name;
	int		(*run)(int, char *[]);
} commands[] = {
	{ "build", run_builder },
	{ "check", run_builder },
	{ "search", kb_cmd_search },
};

int
main(int argc, char *argv[])
{
	size_t i;

	if (argc < 2) {
		fputs(kb_usage, stderr);
		return 2;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		fputs(kb_usage, stdout);
		return 0;
	}
	if (strcmp(argv[1], "--version") == 0) {
		puts("apigw-kb " KB_VERSION);
		return 0;
	}
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(argv[1], commands[i].name) == 0)
			return commands[i].run(argc - 1, argv + 1);
	fprintf(stderr, "apigw-kb: unknown command '%s'; run apigw-kb --help\n",
	    argv[1]);
	return 2;
}
