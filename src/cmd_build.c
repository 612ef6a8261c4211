/* cmd_build.c: apigw-kb-build, the builder behind `apigw-kb build` and `apigw-kb check`. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "build.h"
#include "cli.h"
#include "msg.h"


static int
cmd_build(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "content", required_argument, NULL, 'c' },
		{ "theme", required_argument, NULL, 't' },
		{ "out", required_argument, NULL, 'o' },
		{ "strict", no_argument, NULL, 's' },
		{ "base-url", required_argument, NULL, 'b' },
		{ "synonyms", required_argument, NULL, 'y' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct kb_build_opts	 o = { "content/references", NULL, "themes/default",
				    "build/site", "http://127.0.0.1:8080/", 0, 0, 0 };
	struct kb_build_stats	 st;
	struct kb_diag		 d;
	int			 ch;

	kb_diag_init(&d);
	while ((ch = getopt_long(argc, argv, "c:t:o:sb:y:qh", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c': o.content = optarg; break;
		case 't': o.theme = optarg; break;
		case 'o': o.out = optarg; break;
		case 's': o.strict = 1; break;
		case 'b': o.base_url = optarg; break;
		case 'y': o.synonyms = optarg; break;
		case 'q': d.quiet = 1; break;
		case 'h':
			fputs(kb_usage, stdout);
			return 0;
		default:
			fputs(kb_usage, stderr);
			return 2;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "apigw-kb: build takes no operands (got '%s'); "
		    "use --content DIR\n", argv[optind]);
		return 2;
	}
	if (kb_build(&o, &d, &st) == -1) {
		fprintf(stderr, "apigw-kb: build failed with %d error%s; the "
		    "previous site in %s is unchanged\n", d.errors,
		    d.errors == 1 ? "" : "s", o.out);
		return 1;
	}
	if (!d.quiet)
		printf("built %zu documents, %zu topics into %s (%d warning%s)\n"
		    "open %s/index.html\n", st.documents, st.topics, o.out,
		    d.warnings, d.warnings == 1 ? "" : "s", o.out);
	return 0;
}

/* `check`: the whole build, strict and with the parts lint, written nowhere. */
static int
cmd_check(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "content", required_argument, NULL, 'c' },
		{ "theme", required_argument, NULL, 't' },
		{ "synonyms", required_argument, NULL, 'y' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct kb_build_opts	 o = { "content/references", NULL, "themes/default",
				    NULL, "http://127.0.0.1:8080/", 1, 1, 1 };
	struct kb_build_stats	 st;
	struct kb_diag		 d;
	char			 out[] = "/tmp/apigw-kb-check-XXXXXX";
	int			 ch, rc;

	kb_diag_init(&d);
	while ((ch = getopt_long(argc, argv, "c:t:y:h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c': o.content = optarg; break;
		case 't': o.theme = optarg; break;
		case 'y': o.synonyms = optarg; break;
		case 'h':
			fputs(kb_usage, stdout);
			return 0;
		default:
			fputs(kb_usage, stderr);
			return 2;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "apigw-kb: check takes no operands; use --content DIR\n");
		return 2;
	}
	if (mkdtemp(out) == NULL) {
		fprintf(stderr, "apigw-kb: cannot create a temporary folder: %s\n",
		    strerror(errno));
		return 2;
	}
	o.out = out;
	rc = kb_build(&o, &d, &st);
	rmdir(out);
	if (rc == -1) {
		fprintf(stderr, "apigw-kb: check found %d problem%s\n", d.errors,
		    d.errors == 1 ? "" : "s");
		return 1;
	}
	printf("checked %zu documents, %zu topics: no problems\n",
	    st.documents, st.topics);
	return 0;
}

int
main(int argc, char *argv[])
{
	if (argc >= 2 && strcmp(argv[1], "build") == 0)
		return cmd_build(argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "check") == 0)
		return cmd_check(argc - 1, argv + 1);
	fputs(kb_usage, stderr);
	return 2;
}
