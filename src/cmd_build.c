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

/*
 * The theme when --theme is not given: a themes/default in the current
 * folder (a checkout, or a project's own), else the one that came with
 * this program: installed (libexec/apigw-kb/ -> share/apigw-kb/themes/),
 * or in the checkout it was built from (KB_SOURCE_THEME, set by make).
 */
static char *
default_theme(void)
{
	static const char *const rel[] = {
		"../../share/apigw-kb/themes/default/page.html",
	};
	char	*page, *slash;

	if (access("themes/default/page.html", R_OK) == 0)
		return strdup("themes/default");
	if ((page = kb_find_beside(rel, sizeof(rel) / sizeof(rel[0]), R_OK)) == NULL) {
#ifdef KB_SOURCE_THEME
		if (access(KB_SOURCE_THEME "/page.html", R_OK) == 0)
			return strdup(KB_SOURCE_THEME);
#endif
		return strdup("themes/default");	/* named in the error */
	}
	if ((slash = strrchr(page, '/')) != NULL)
		*slash = '\0';
	return page;
}

/*
 * The ranking model when neither --model nor the content folder gives one:
 * installed beside the theme, or in the checkout (KB_SOURCE_MODEL).
 */
static char *
default_model(void)
{
	static const char *const rel[] = { "../../share/apigw-kb/ranking.tsv" };
	char	*path;

	if ((path = kb_find_beside(rel, sizeof(rel) / sizeof(rel[0]), R_OK)) != NULL)
		return path;
#ifdef KB_SOURCE_MODEL
	return strdup(KB_SOURCE_MODEL);
#else
	return strdup("content/ranking.tsv");
#endif
}

/*
 * Both commands take the build's options; `check` is the build with
 * --strict and the parts lint, into a temporary folder it then removes, so
 * it takes no --out, --base-url or --strict of its own.
 */
static int
run(int argc, char *argv[], int check)
{
	static const struct option longopts[] = {
		{ "content", required_argument, NULL, 'c' },
		{ "theme", required_argument, NULL, 't' },
		{ "synonyms", required_argument, NULL, 'y' },
		{ "model", required_argument, NULL, 'm' },
		{ "help", no_argument, NULL, 'h' },
		{ "out", required_argument, NULL, 'o' },	/* build only, from here */
		{ "strict", no_argument, NULL, 's' },
		{ "base-url", required_argument, NULL, 'b' },
		{ "quiet", no_argument, NULL, 'q' },
		{ NULL, 0, NULL, 0 }
	};
	struct kb_build_opts	 o = { "content/references", NULL, NULL, NULL,
				    NULL, "build/site", "http://127.0.0.1:8080/", check, check,
				    check };
	struct kb_build_stats	 st;
	struct kb_diag		 d;
	char			 tmp[] = "/tmp/apigw-kb-check-XXXXXX", *theme = NULL;
	char			*model = NULL;
	const char		*name = check ? "check" : "build";
	int			 ch, rc;

	kb_diag_init(&d);
	while ((ch = getopt_long(argc, argv, check ? "c:t:y:m:h" : "c:t:y:m:ho:sb:q",
	    check ? (const struct option []){ longopts[0], longopts[1],
	    longopts[2], longopts[3], longopts[4], longopts[9] } : longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'c': o.content = optarg; break;
		case 't': o.theme = optarg; break;
		case 'y': o.synonyms = optarg; break;
		case 'm': o.model = optarg; break;
		case 'o': o.out = optarg; break;
		case 's': o.strict = 1; break;
		case 'b': o.base_url = optarg; break;
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
		fprintf(stderr, "apigw-kb: %s takes no operands (got '%s'); "
		    "use --content DIR\n", name, argv[optind]);
		return 2;
	}
	if (o.theme == NULL && (o.theme = theme = default_theme()) == NULL) {
		fprintf(stderr, "apigw-kb: out of memory\n");
		return 2;
	}
	if ((o.default_model = model = default_model()) == NULL) {
		fprintf(stderr, "apigw-kb: out of memory\n");
		free(theme);
		return 2;
	}
	if (check) {
		if (mkdtemp(tmp) == NULL) {
			fprintf(stderr, "apigw-kb: cannot create a temporary "
			    "folder: %s\n", strerror(errno));
			free(theme);
			free(model);
			return 2;
		}
		o.out = tmp;
	}
	rc = kb_build(&o, &d, &st);
	free(theme);
	free(model);
	if (check)
		rmdir(tmp);
	if (rc == -1 && check)
		fprintf(stderr, "apigw-kb: check found %d problem%s\n", d.errors,
		    d.errors == 1 ? "" : "s");
	else if (rc == -1)
		fprintf(stderr, "apigw-kb: build failed with %d error%s; the "
		    "previous site in %s is unchanged\n", d.errors,
		    d.errors == 1 ? "" : "s", o.out);
	else if (check)
		printf("checked %zu documents, %zu topics: no problems\n",
		    st.documents, st.topics);
	else if (!d.quiet)
		printf("built %zu documents, %zu topics into %s (%d warning%s)\n"
		    "open %s/index.html\n", st.documents, st.topics, o.out,
		    d.warnings, d.warnings == 1 ? "" : "s", o.out);
	return rc == -1 ? 1 : 0;
}

int
main(int argc, char *argv[])
{
	if (argc >= 2 && strcmp(argv[1], "build") == 0)
		return run(argc - 1, argv + 1, 0);
	if (argc >= 2 && strcmp(argv[1], "check") == 0)
		return run(argc - 1, argv + 1, 1);
	fputs(kb_usage, stderr);
	return 2;
}
