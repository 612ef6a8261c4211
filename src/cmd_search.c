/* cmd_search.c: `apigw-kb search`: options, finding the index, printing answers. */
#include <sys/ioctl.h>

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "cli.h"
#include "load.h"
#include "render.h"
#include "search.h"

static const char search_usage[] =
	"usage: apigw-kb search [--format text|markdown|json] [--iac FLAVOUR]\n"
	"                       [--api rest|http|websocket] [--limit N] [--db FILE]\n"
	"                       QUERY...\n"
	"\n"
	"  -f, --format FMT   text (default), markdown or json\n"
	"  -i, --iac FLAVOUR  cdk (default), sam, cloudformation or terraform;\n"
	"                     \"use SAM\" in the query does the same\n"
	"  -a, --api TYPE     only answers that apply to rest, http or websocket\n"
	"  -n, --limit N      at most N answers (1-50, default 3)\n"
	"  -d, --db FILE      the index (default: $APIGW_KB_DB, else the built site)\n"
	"  -x, --explain[=N]  also show how the ranking saw the query: each feature\n"
	"                     of the N best candidates (default 5) and the\n"
	"                     \"no answer\" decision with its evidence\n"
	"\n"
	"Exit status: 0 answers, 1 no answer, 2 usage or environment error.\n";

/*
 * The index: --db, then $APIGW_KB_DB, then the site built beside the binary
 * (build/apigw-kb -> build/site) or installed under its prefix
 * (bin/apigw-kb -> share/apigw-kb/site).
 */
static char *
find_db(const char *given)
{
	static const char *const rel[] = {
		"site/kb.sqlite", "../share/apigw-kb/site/kb.sqlite",
		"../build/site/kb.sqlite",
	};
	const char	*env = getenv("APIGW_KB_DB");
	char		*path;

	if (given != NULL)
		return strdup(given);
	if (env != NULL && *env != '\0')
		return strdup(env);
	if ((path = kb_find_beside(rel, sizeof(rel) / sizeof(rel[0]), R_OK)) != NULL)
		return path;
	return strdup("build/site/kb.sqlite");
}

/* Links in text and Markdown point at the pages beside the index. */
static char *
link_base(const char *db)
{
	char		 abs[PATH_MAX];
	const char	*slash;
	struct kb_buf	 b = KB_BUF_INIT;

	if (realpath(db, abs) == NULL)
		return strdup("");
	if ((slash = strrchr(abs, '/')) == NULL)
		return strdup("");
	kb_buf_add(&b, abs, (size_t)(slash - abs + 1));
	return kb_buf_take(&b);
}

static int
terminal_width(void)
{
	struct winsize	 ws;
	const char	*c = getenv("COLUMNS");

	if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 &&
	    ws.ws_col >= 40)
		return ws.ws_col > 120 ? 120 : ws.ws_col;
	if (c != NULL && atoi(c) >= 40)
		return atoi(c) > 120 ? 120 : atoi(c);
	return 80;
}

static int
use_color(void)
{
	const char *term = getenv("TERM");

	return isatty(STDOUT_FILENO) && getenv("NO_COLOR") == NULL &&
	    term != NULL && strcmp(term, "dumb") != 0;
}

static int
parse_api(const char *s, unsigned *api)
{
	if (strcmp(s, "rest") == 0)
		*api = KB_API_REST;
	else if (strcmp(s, "http") == 0)
		*api = KB_API_HTTP;
	else if (strcmp(s, "websocket") == 0 || strcmp(s, "ws") == 0)
		*api = KB_API_WEBSOCKET;
	else
		return -1;
	return 0;
}

int
kb_cmd_search(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "iac", required_argument, NULL, 'i' },
		{ "api", required_argument, NULL, 'a' },
		{ "limit", required_argument, NULL, 'n' },
		{ "db", required_argument, NULL, 'd' },
		{ "explain", optional_argument, NULL, 'x' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct kb_search_opts	 so = { NULL, NULL, 0, 3, 0 };
	struct kb_render_opts	 ro = { KB_FORMAT_TEXT, 0, 80, "" };
	struct kb_result	 res;
	struct kb_buf		 q = KB_BUF_INIT, out = KB_BUF_INIT;
	struct kb_db		*db = NULL;
	const char		*dbarg = NULL, *model = getenv("APIGW_KB_MODEL");
	char			*dbpath = NULL, *base = NULL, err[512], *end;
	long			 v;
	int			 ch, rc = 2, i;
	enum kb_search_status	 st;

	memset(&res, 0, sizeof(res));
	while ((ch = getopt_long(argc, argv, "f:i:a:n:d:x::h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'f':
			if (kb_format_parse(optarg, &ro.format) == -1) {
				fprintf(stderr, "apigw-kb: --format must be text, "
				    "markdown or json\n");
				return 2;
			}
			break;
		case 'i':
			if ((so.iac = kb_iac_name(optarg)) == NULL) {
				fprintf(stderr, "apigw-kb: --iac must be cdk, sam, "
				    "cloudformation or terraform\n");
				return 2;
			}
			break;
		case 'a':
			if (parse_api(optarg, &so.api) == -1) {
				fprintf(stderr, "apigw-kb: --api must be rest, http "
				    "or websocket\n");
				return 2;
			}
			break;
		case 'n':
			errno = 0;
			v = strtol(optarg, &end, 10);
			if (*optarg == '\0' || *end != '\0' || errno || v < 1 || v > 50) {
				fprintf(stderr, "apigw-kb: --limit must be a number "
				    "from 1 to 50\n");
				return 2;
			}
			so.limit = (size_t)v;
			break;
		case 'd':
			dbarg = optarg;
			break;
		case 'x':
			so.explain = 5;
			if (optarg == NULL)
				break;
			errno = 0;
			v = strtol(optarg, &end, 10);
			if (*optarg == '\0' || *end != '\0' || errno || v < 1 || v > 100) {
				fprintf(stderr, "apigw-kb: --explain=N needs a number "
				    "from 1 to 100\n");
				return 2;
			}
			so.explain = (size_t)v;
			break;
		case 'h':
			fputs(search_usage, stdout);
			return 0;
		default:
			fputs(search_usage, stderr);
			return 2;
		}
	}
	if (optind == argc) {
		fprintf(stderr, "apigw-kb: search needs a query, e.g. "
		    "apigw-kb search \"504 timeout\"\n");
		return 2;
	}
	for (i = optind; i < argc; i++) {
		if (i > optind)
			kb_buf_putc(&q, ' ');
		kb_buf_puts(&q, argv[i]);
	}
	if (q.failed || (dbpath = find_db(dbarg)) == NULL) {
		fprintf(stderr, "apigw-kb: out of memory\n");
		goto out;
	}
	if (access(dbpath, R_OK) == -1) {
		fprintf(stderr, "apigw-kb: no index at %s: run apigw-kb build "
		    "(or pass --db FILE)\n", dbpath);
		goto out;
	}
	if ((db = kb_db_open(dbpath, err, sizeof(err))) == NULL) {
		fprintf(stderr, "apigw-kb: %s\n", err);
		goto out;
	}
	/* A model file instead of the index's own weights: for refitting. */
	if (model != NULL && *model != '\0' &&
	    kb_db_use_model(db, model, err, sizeof(err)) == -1) {
		fprintf(stderr, "apigw-kb: APIGW_KB_MODEL: %s\n", err);
		goto out;
	}
	so.query = q.data;
	st = kb_search(db, &so, &res, err, sizeof(err));
	if (st == KB_SEARCH_NOMEM) {
		fprintf(stderr, "apigw-kb: out of memory\n");
		goto out;
	}
	if (st != KB_SEARCH_OK) {
		fprintf(stderr, "apigw-kb: the index %s cannot be searched (%s); "
		    "run apigw-kb build\n", dbpath, err);
		goto out;
	}
	if ((base = link_base(dbpath)) == NULL)
		goto out;
	ro.link_base = base;
	if (ro.format == KB_FORMAT_TEXT) {
		ro.color = use_color();
		ro.width = terminal_width();
	}
	kb_render(&out, &res, &ro);
	if (out.failed) {
		fprintf(stderr, "apigw-kb: out of memory\n");
		goto out;
	}
	if (fwrite(out.data, 1, out.len, stdout) != out.len || fflush(stdout) != 0) {
		fprintf(stderr, "apigw-kb: cannot write the answer: %s\n",
		    strerror(errno));
		goto out;
	}
	rc = res.nanswers > 0 ? 0 : 1;
out:
	kb_result_free(&res);
	kb_db_close(db);
	kb_buf_free(&q);
	kb_buf_free(&out);
	free(dbpath);
	free(base);
	return rc;
}
