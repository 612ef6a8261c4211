/* integration_build.c: `apigw-kb build` as a user runs it: pages checked with libxml2, the index with SQLite. */
#include "testutil.h"

#include <sys/mount.h>
#include <sys/resource.h>

#include <signal.h>
#include <strings.h>

#include <sqlite3.h>

#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>

#define HTML_OPTS (HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET)

static char *root;		/* the repository */
static char *theme;

static void
paths_setup(void)
{
	root = tu_repo_root();
	theme = tu_fmt("%s/themes/default", root);
}

static void
paths_teardown(void)
{
	free(root);
	free(theme);
	root = theme = NULL;
}

/* Runs `apigw-kb build --content content --out out [--strict]`. */
static struct tu_run
build(const char *content, const char *out, int strict)
{
	char *argv[] = {
		(char *)tu_bin(), "build", "--content", (char *)content,
		"--theme", theme, "--out", (char *)out,
		strict ? "--strict" : NULL, NULL
	};

	return tu_run(argv);
}

/* --- DOM helpers ------------------------------------------------------------------- */

static htmlDocPtr
page(const char *site, const char *rel)
{
	char		*path = tu_fmt("%s/%s", site, rel);
	htmlDocPtr	 d;

	ck_assert_msg(tu_is_file(path), "no page %s", rel);
	d = htmlReadFile(path, "UTF-8", HTML_OPTS);
	ck_assert_msg(d != NULL, "%s does not parse as HTML", rel);
	free(path);
	return d;
}

static xmlXPathObjectPtr
xp(xmlDocPtr d, const char *expr)
{
	xmlXPathContextPtr	 ctx = xmlXPathNewContext(d);
	xmlXPathObjectPtr	 o;

	ck_assert_ptr_nonnull(ctx);
	o = xmlXPathEvalExpression(BAD_CAST expr, ctx);
	xmlXPathFreeContext(ctx);
	ck_assert_msg(o != NULL, "bad XPath %s", expr);
	return o;
}

static int
xp_count(xmlDocPtr d, const char *expr)
{
	xmlXPathObjectPtr	 o = xp(d, expr);
	int			 n = o->nodesetval ? o->nodesetval->nodeNr : 0;

	xmlXPathFreeObject(o);
	return n;
}

/* The string value of an XPath expression (caller frees). */
static char *
xp_str(xmlDocPtr d, const char *expr)
{
	char			*full = tu_fmt("string(%s)", expr);
	xmlXPathObjectPtr	 o = xp(d, full);
	char			*s = strdup(o->stringval ? (char *)o->stringval : "");

	xmlXPathFreeObject(o);
	free(full);
	return s;
}

static void
xp_str_is(xmlDocPtr d, const char *expr, const char *want)
{
	char *got = xp_str(d, expr);

	ck_assert_msg(strcmp(got, want) == 0, "%s is \"%s\", want \"%s\"", expr, got, want);
	free(got);
}

/* The values of the nodes an expression selects, joined by "|" (caller frees). */
static char *
xp_join(xmlDocPtr d, const char *expr)
{
	xmlXPathObjectPtr	 o = xp(d, expr);
	char			*out = strdup(""), *next;
	int			 i;

	for (i = 0; o->nodesetval && i < o->nodesetval->nodeNr; i++) {
		xmlChar *v = xmlNodeGetContent(o->nodesetval->nodeTab[i]);

		next = tu_fmt("%s%s%s", out, i ? "|" : "", v ? (char *)v : "");
		xmlFree(v);
		free(out);
		out = next;
	}
	xmlXPathFreeObject(o);
	return out;
}

static void
xp_join_is(xmlDocPtr d, const char *expr, const char *want)
{
	char *got = xp_join(d, expr);

	ck_assert_msg(strcmp(got, want) == 0, "%s:\n got %s\nwant %s", expr, got, want);
	free(got);
}

/* --- the basic fixture, built once --------------------------------------------------- */

static char *bdir, *bsite, *bcontent;
static struct tu_run bres;

static const char *const doc_pages[] = {
	"index.html", "timeouts.html", "sub/x.html", "plain.html"
};
static const char *const all_pages[] = {
	"index.html", "timeouts.html", "sub/x.html", "plain.html",
	"search.html", "404.html"
};
#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static void
basic_setup(void)
{
	paths_setup();
	bdir = tu_mkdtemp();
	bsite = tu_fmt("%s/site", bdir);
	bcontent = tu_fmt("%s/tests/fixtures/basic", root);
	bres = build(bcontent, bsite, 1);
}

static void
basic_teardown(void)
{
	tu_run_free(&bres);
	tu_rmtree(bdir);
	free(bdir);
	free(bsite);
	free(bcontent);
	paths_teardown();
}

static void
built_ok(void)
{
	ck_assert_msg(bres.status == 0, "build exited %d:\n%s", bres.status, bres.err);
}

START_TEST(build_succeeds_quietly_in_strict_mode)
{
	built_ok();
	tu_assert_no_crash(&bres);
	ck_assert_msg(!tu_contains(bres.err, "warning") && !tu_contains(bres.err, "error"),
	    "diagnostics from a clean build:\n%s", bres.err);
	ck_assert(tu_contains(bres.out, "built 4 documents"));
}
END_TEST

START_TEST(site_has_every_page_and_asset)
{
	static const char *const files[] = {
		"index.html", "404.html", "search.html", "sitemap.xml",
		"assets/style.css", "assets/search.js", "assets/search-index.js",
		"timeouts.html", "plain.html", "sub/x.html", "img/diagram.png",
		"kb.sqlite"
	};
	size_t	 i;
	char	*p, *a, *b;
	size_t	 la = 0, lb = 0;

	built_ok();
	for (i = 0; i < NELEM(files); i++) {
		p = tu_fmt("%s/%s", bsite, files[i]);
		ck_assert_msg(tu_is_file(p), "missing %s", files[i]);
		free(p);
	}
	/* Sources are not published, and nothing is left beside the site. */
	p = tu_fmt("%s/timeouts.md", bsite);
	ck_assert(!tu_exists(p));
	free(p);
	p = tu_fmt("%s/kb.sqlite.tmp", bsite);
	ck_assert(!tu_exists(p));
	free(p);
	/* The image is copied byte for byte. */
	p = tu_fmt("%s/img/diagram.png", bcontent);
	a = tu_read(p, &la);
	free(p);
	p = tu_fmt("%s/img/diagram.png", bsite);
	b = tu_read(p, &lb);
	free(p);
	ck_assert_uint_eq(la, lb);
	ck_assert_int_eq(memcmp(a, b, la), 0);
	free(a);
	free(b);
}
END_TEST

START_TEST(nothing_is_left_beside_the_site)
{
	char *listing;

	built_ok();
	listing = tu_tree_digest(bdir);
	ck_assert_msg(!tu_contains(listing, ".tmp-") && !tu_contains(listing, ".old"),
	    "leftovers beside the site:\n%s", listing);
	free(listing);
}
END_TEST

START_TEST(pages_have_the_head_a_browser_needs)
{
	size_t i;

	built_ok();
	for (i = 0; i < NELEM(all_pages); i++) {
		htmlDocPtr	 d = page(bsite, all_pages[i]);
		char		*v;

		v = xp_str(d, "/html/@lang");
		ck_assert_msg(*v != '\0', "%s: no <html lang>", all_pages[i]);
		free(v);
		ck_assert_msg(xp_count(d, "/html/head/meta[@charset]") == 1,
		    "%s: no single meta charset", all_pages[i]);
		v = xp_str(d, "/html/head/meta[@charset]/@charset");
		ck_assert_msg(strcasecmp(v, "utf-8") == 0, "%s: charset %s", all_pages[i], v);
		free(v);
		v = xp_str(d, "/html/head/meta[@name='viewport']/@content");
		ck_assert_msg(tu_contains(v, "width=device-width"), "%s: viewport \"%s\"",
		    all_pages[i], v);
		free(v);
		ck_assert_int_eq(xp_count(d, "/html/head/title"), 1);
		v = xp_str(d, "/html/head/title");
		ck_assert_msg(tu_contains(v, "apigw-kb"), "%s: title \"%s\"", all_pages[i], v);
		free(v);
		v = xp_str(d, "/html/head/meta[@name='description']/@content");
		ck_assert_msg(*v != '\0', "%s: empty description", all_pages[i]);
		free(v);
		xmlFreeDoc(d);
	}
}
END_TEST

START_TEST(titles_and_descriptions_come_from_front_matter)
{
	htmlDocPtr d;

	built_ok();
	d = page(bsite, "timeouts.html");
	xp_str_is(d, "/html/head/title", "Timeouts \xe2\x80\x94 apigw-kb");
	xp_str_is(d, "/html/head/meta[@name='description']/@content",
	    "Why requests time out and what to change.");
	xmlFreeDoc(d);
	/* No front matter: the first H1 is the title, the introduction the description. */
	d = page(bsite, "plain.html");
	xp_str_is(d, "/html/head/title", "Plain Notes \xe2\x80\x94 apigw-kb");
	{
		char *v = xp_str(d, "/html/head/meta[@name='description']/@content");

		ck_assert_msg(strncmp(v, "A document without front matter", 31) == 0,
		    "plain.html description \"%s\"", v);
		free(v);
	}
	xmlFreeDoc(d);
}
END_TEST

START_TEST(nav_lists_documents_in_order_and_marks_the_current)
{
	static const char *const self_href[] = {
		"index.html", "timeouts.html", "../sub/x.html", "plain.html"
	};
	size_t i;

	built_ok();
	for (i = 0; i < NELEM(doc_pages); i++) {
		htmlDocPtr	 d = page(bsite, doc_pages[i]);
		char		*v;

		xp_join_is(d, "//nav[@id='kb-nav']//a",
		    "Basic KB|Timeouts|Nested Doc|Plain Notes");
		ck_assert_int_eq(xp_count(d, "//nav[@id='kb-nav']//a[@aria-current='page']"), 1);
		v = xp_str(d, "//nav[@id='kb-nav']//a[@aria-current='page']/@href");
		ck_assert_msg(strcmp(v, self_href[i]) == 0 ||
		    (i == 2 && strcmp(v, "x.html") == 0),
		    "%s: current nav entry is %s", doc_pages[i], v);
		free(v);
		xmlFreeDoc(d);
	}
	/* From the subfolder every nav link climbs back to the root. */
	{
		htmlDocPtr d = page(bsite, "sub/x.html");

		xp_join_is(d, "//nav[@id='kb-nav']//a/@href",
		    "../index.html|../timeouts.html|../sub/x.html|../plain.html");
		xmlFreeDoc(d);
	}
}
END_TEST

START_TEST(toc_lists_the_h2_topics)
{
	htmlDocPtr d;

	built_ok();
	d = page(bsite, "timeouts.html");
	xp_join_is(d, "//nav[@id='kb-toc']/ul/li/a/@href",
	    "#504-gateway-timeout|#script-in-content");
	xp_join_is(d, "//nav[@id='kb-toc']/ul/li/a", "504 Gateway Timeout|Script in content");
	xmlFreeDoc(d);
	d = page(bsite, "plain.html");
	xp_join_is(d, "//nav[@id='kb-toc']/ul/li/a/@href", "#notes|#notes-1");
	xmlFreeDoc(d);
}
END_TEST

START_TEST(headings_have_ids_and_permalinks)
{
	size_t i;

	built_ok();
	for (i = 0; i < NELEM(doc_pages); i++) {
		htmlDocPtr d = page(bsite, doc_pages[i]);

		ck_assert_msg(xp_count(d, "//article[@id='kb-content']//*[self::h2 or self::h3]") > 0,
		    "%s: no headings", doc_pages[i]);
		ck_assert_msg(xp_count(d, "//article[@id='kb-content']//*[self::h1 or self::h2"
		    " or self::h3][not(@id) or @id='']") == 0,
		    "%s: a heading without an id", doc_pages[i]);
		ck_assert_msg(xp_count(d, "//article[@id='kb-content']//*[self::h2 or self::h3]"
		    "[not(a[@class='kb-permalink'][@href=concat('#', ../@id)])]") == 0,
		    "%s: a heading without its permalink", doc_pages[i]);
		ck_assert_int_eq(xp_count(d, "//*[@data-sourcepos]"), 0);
		xmlFreeDoc(d);
	}
	{
		htmlDocPtr d = page(bsite, "timeouts.html");

		xp_join_is(d, "//article//h3/@id",
		    "symptoms|recommendation|configuration|pitfalls|limits");
		xmlFreeDoc(d);
	}
	{
		htmlDocPtr d = page(bsite, "plain.html");

		xp_join_is(d, "//article//h2/@id", "notes|notes-1");
		xmlFreeDoc(d);
	}
}
END_TEST

/* Resolves href on the page at page_rel to a site-relative path (caller frees), or NULL. */
static char *
resolve(const char *page_rel, const char *href, char **frag)
{
	char	*joined, *out, *seg, *save, *segs[64];
	size_t	 n = 0, i, dirlen;
	const char *slash = strrchr(page_rel, '/'), *hash = strchr(href, '#');

	*frag = hash ? strdup(hash + 1) : NULL;
	dirlen = slash ? (size_t)(slash - page_rel + 1) : 0;
	joined = tu_fmt("%.*s%.*s", (int)dirlen, page_rel,
	    (int)(hash ? (size_t)(hash - href) : strlen(href)), href);
	if (hash == href) {		/* the same page */
		free(joined);
		return strdup(page_rel);
	}
	for (seg = strtok_r(joined, "/", &save); seg; seg = strtok_r(NULL, "/", &save)) {
		if (strcmp(seg, ".") == 0)
			continue;
		if (strcmp(seg, "..") == 0) {
			if (n == 0) {
				free(joined);
				return NULL;
			}
			n--;
			continue;
		}
		ck_assert_uint_lt(n, 64);
		segs[n++] = seg;
	}
	out = strdup("");
	for (i = 0; i < n; i++) {
		char *next = tu_fmt("%s%s%s", out, i ? "/" : "", segs[i]);

		free(out);
		out = next;
	}
	free(joined);
	return out;
}

static int
is_local(const char *href)
{
	const char *p = href;

	if (*href == '/' )
		return 0;
	while (*p && *p != ':' && *p != '/' && *p != '#' && *p != '?')
		p++;
	return *p != ':';
}

START_TEST(links_are_rewritten_and_resolve)
{
	size_t i;
	int checked = 0;

	built_ok();
	for (i = 0; i < NELEM(doc_pages); i++) {
		htmlDocPtr		 d = page(bsite, doc_pages[i]);
		xmlXPathObjectPtr	 o = xp(d, "//article//a/@href | //article//img/@src");
		int			 k;

		for (k = 0; o->nodesetval && k < o->nodesetval->nodeNr; k++) {
			xmlChar	*v = xmlNodeGetContent(o->nodesetval->nodeTab[k]);
			char	*target, *frag, *path;
			const char *href = (const char *)v;

			ck_assert_msg(!tu_contains(href, ".md"), "%s: unrewritten link %s",
			    doc_pages[i], href);
			if (!is_local(href)) {
				xmlFree(v);
				continue;
			}
			target = resolve(doc_pages[i], href, &frag);
			ck_assert_msg(target != NULL, "%s: %s leaves the site", doc_pages[i], href);
			path = tu_fmt("%s/%s", bsite, target);
			ck_assert_msg(tu_is_file(path), "%s: %s points at missing %s",
			    doc_pages[i], href, target);
			if (frag != NULL && *frag != '\0') {
				htmlDocPtr	 t = page(bsite, target);
				char		*x = tu_fmt("//*[@id='%s'] | //a[@name='%s']", frag, frag);

				ck_assert_msg(xp_count(t, x) >= 1, "%s: %s: no #%s in %s",
				    doc_pages[i], href, frag, target);
				free(x);
				xmlFreeDoc(t);
			}
			checked++;
			free(path);
			free(target);
			free(frag);
			xmlFree(v);
		}
		xmlXPathFreeObject(o);
		xmlFreeDoc(d);
	}
	ck_assert_int_ge(checked, 10);
	/* Spot checks of the rewriting itself. */
	{
		htmlDocPtr d = page(bsite, "index.html");

		ck_assert_int_eq(xp_count(d, "//article//a[@href='timeouts.html#504-gateway-timeout']"), 1);
		ck_assert_int_eq(xp_count(d, "//article//a[@href='sub/x.html#deep-topic']"), 1);
		ck_assert_int_eq(xp_count(d, "//article//img[@src='img/diagram.png']"), 1);
		ck_assert_int_eq(xp_count(d, "//article//a[@href='https://docs.aws.amazon.com/apigateway/']"), 1);
		xmlFreeDoc(d);
		d = page(bsite, "sub/x.html");
		ck_assert_int_eq(xp_count(d, "//article//a[@href='../timeouts.html#504-gateway-timeout']"), 1);
		ck_assert_int_eq(xp_count(d, "//article//img[@src='../img/diagram.png']"), 1);
		xmlFreeDoc(d);
	}
}
END_TEST

START_TEST(subfolder_pages_prefix_the_theme_urls)
{
	htmlDocPtr d;

	built_ok();
	d = page(bsite, "sub/x.html");
	xp_str_is(d, "//link[@rel='stylesheet']/@href", "../assets/style.css");
	xp_join_is(d, "//script/@src", "../assets/search-index.js|../assets/search.js");
	xp_str_is(d, "//form[@id='kb-search']/@action", "../search.html");
	xp_str_is(d, "//a[@class='kb-site-name']/@href", "../index.html");
	xp_str_is(d, "//a[@class='kb-skip']/@href", "#kb-main");
	xmlFreeDoc(d);
	d = page(bsite, "timeouts.html");
	xp_str_is(d, "//link[@rel='stylesheet']/@href", "assets/style.css");
	xp_join_is(d, "//script/@src", "assets/search-index.js|assets/search.js");
	xmlFreeDoc(d);
}
END_TEST

START_TEST(script_in_content_is_neutralised)
{
	size_t	 i;
	char	*raw, *path;

	built_ok();
	for (i = 0; i < NELEM(all_pages); i++) {
		htmlDocPtr d = page(bsite, all_pages[i]);

		/* Only the theme's two scripts, both external. */
		ck_assert_msg(xp_count(d, "//script") == 2, "%s: %d script elements",
		    all_pages[i], xp_count(d, "//script"));
		ck_assert_int_eq(xp_count(d, "//script[not(@src)]"), 0);
		ck_assert_int_eq(xp_count(d, "//iframe | //article//style"), 0);
		xmlFreeDoc(d);
	}
	path = tu_fmt("%s/timeouts.html", bsite);
	raw = tu_read(path, NULL);
	ck_assert(!tu_contains(raw, "<script>alert"));
	ck_assert(tu_contains(raw, "&lt;script"));	/* shown as text */
	free(raw);
	free(path);
}
END_TEST

START_TEST(raw_html_survives)
{
	htmlDocPtr d;

	built_ok();
	d = page(bsite, "index.html");
	ck_assert_int_eq(xp_count(d, "//article//a[@name='old']"), 1);
	ck_assert_int_eq(xp_count(d, "//article//table//td/br"), 1);
	xp_str_is(d, "//article//table/tbody/tr[1]/td[1]", "Caching");
	xmlFreeDoc(d);
}
END_TEST

START_TEST(generated_pages_and_sitemap)
{
	htmlDocPtr	 d;
	xmlDocPtr	 x;
	char		*path, *js;

	built_ok();
	d = page(bsite, "search.html");
	ck_assert_int_eq(xp_count(d, "//*[@id='kb-results']"), 1);
	xmlFreeDoc(d);
	d = page(bsite, "404.html");
	ck_assert_int_ge(xp_count(d, "//article//a[@href='index.html']"), 1);
	xmlFreeDoc(d);
	path = tu_fmt("%s/sitemap.xml", bsite);
	x = xmlReadFile(path, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR);
	ck_assert_msg(x != NULL, "sitemap.xml is not XML");
	{
		xmlXPathContextPtr ctx = xmlXPathNewContext(x);
		xmlXPathObjectPtr o;

		xmlXPathRegisterNs(ctx, BAD_CAST "s",
		    BAD_CAST "http://www.sitemaps.org/schemas/sitemap/0.9");
		o = xmlXPathEvalExpression(BAD_CAST "//s:url/s:loc", ctx);
		ck_assert_ptr_nonnull(o);
		ck_assert_int_eq(o->nodesetval ? o->nodesetval->nodeNr : 0, 4);
		xmlXPathFreeObject(o);
		xmlXPathFreeContext(ctx);
	}
	xmlFreeDoc(x);
	free(path);
	path = tu_fmt("%s/assets/search-index.js", bsite);
	js = tu_read(path, NULL);
	ck_assert(strncmp(js, "window.KB_INDEX = {", 19) == 0);
	ck_assert(tu_contains(js, "timeouts.html#504-gateway-timeout"));
	ck_assert(tu_contains(js, "sub/x.html#deep-topic"));
	ck_assert(!tu_contains(js, "</script"));
	free(js);
	free(path);
}
END_TEST

static sqlite3 *
open_index(const char *site)
{
	sqlite3	*db;
	char	*path = tu_fmt("%s/kb.sqlite", site);

	ck_assert_int_eq(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	free(path);
	return db;
}

static long long
count(sqlite3 *db, const char *sql)
{
	sqlite3_stmt	*st;
	long long	 n;

	ck_assert_msg(sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK, "%s: %s",
	    sql, sqlite3_errmsg(db));
	ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
	n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

START_TEST(index_has_the_expected_rows)
{
	sqlite3 *db;

	built_ok();
	db = open_index(bsite);
	ck_assert_int_eq(count(db, "SELECT count(*) FROM documents"), 4);
	/* index: intro + 1, timeouts: intro + 2, sub/x: 2 (empty intro), plain: intro + 2 */
	ck_assert_int_eq(count(db, "SELECT count(*) FROM topics"), 10);
	ck_assert_int_eq(count(db, "SELECT count(*) FROM entries WHERE kind = 'pitfall'"), 2);
	ck_assert_int_eq(count(db, "SELECT count(*) FROM entries WHERE kind = 'limit'"), 2);
	ck_assert_int_eq(count(db, "SELECT count(*) FROM code"), 2);
	ck_assert_int_eq(count(db, "SELECT count(*) FROM documents WHERE slug = 'sub/x'"
	    " AND url = 'sub/x.html' AND api = 4 AND ord = 3"), 1);
	ck_assert_int_eq(count(db, "SELECT count(*) FROM documents WHERE slug = 'plain'"
	    " AND api = 7 AND title = 'Plain Notes'"), 1);
	ck_assert_int_eq(count(db, "SELECT count(*) FROM topics WHERE url ="
	    " 'plain.html#notes-1'"), 1);
	ck_assert_int_eq(count(db, "SELECT value = '4' FROM meta WHERE key = 'documents'"), 1);
	ck_assert_int_eq(count(db, "SELECT count(*) FROM topic_fts WHERE topic_fts MATCH"
	    " '\"endpoint request timed out\"'"), 1);
	sqlite3_close(db);
}
END_TEST

START_TEST(rebuild_is_reproducible)
{
	char		*site2 = tu_fmt("%s/site2", bdir), *a, *b, *p;
	struct tu_run	 r;
	size_t		 i;

	built_ok();
	setenv("SOURCE_DATE_EPOCH", "1700000000", 1);
	r = build(bcontent, site2, 1);
	ck_assert_int_eq(r.status, 0);
	tu_run_free(&r);
	/* Pages do not depend on the build's time or place. */
	for (i = 0; i < NELEM(all_pages); i++) {
		p = tu_fmt("%s/%s", bsite, all_pages[i]);
		a = tu_read(p, NULL);
		free(p);
		p = tu_fmt("%s/%s", site2, all_pages[i]);
		b = tu_read(p, NULL);
		free(p);
		ck_assert_msg(strcmp(a, b) == 0, "%s differs between two builds", all_pages[i]);
		free(a);
		free(b);
	}
	unsetenv("SOURCE_DATE_EPOCH");
	free(site2);
}
END_TEST

/* --- bad inputs: each in its own content folder, over a good site ------------------- */

static char *tdir, *tcontent, *tsite, *good_digest;

static const char good_doc[] =
    "---\ntitle: Good\norder: 1\n---\n\n# Good\n\nIntro.\n\n## Topic\n\nText.\n";

static void
bad_setup(void)
{
	struct tu_run r;

	paths_setup();
	tdir = tu_mkdtemp();
	tcontent = tu_fmt("%s/good", tdir);
	tsite = tu_fmt("%s/out/site", tdir);
	tu_write(tcontent, "good.md", good_doc);
	r = build(tcontent, tsite, 1);
	ck_assert_msg(r.status == 0, "the good build failed:\n%s", r.err);
	tu_run_free(&r);
	good_digest = tu_tree_digest(tsite);
	free(tcontent);
	tcontent = tu_fmt("%s/content", tdir);
	tu_mkdirs(tcontent);
	tu_write(tcontent, "good.md", good_doc);
}

static void
bad_teardown(void)
{
	char *mnt = tu_fmt("%s/small", tdir);

	umount2(mnt, MNT_DETACH);	/* full_disk_fails_cleanly's, if it stopped early */
	free(mnt);
	tu_rmtree(tdir);
	free(tdir);
	free(tcontent);
	free(tsite);
	free(good_digest);
	tdir = tcontent = tsite = good_digest = NULL;
	paths_teardown();
}

/* The build failed cleanly: one message naming file:line, the old site as it was. */
static void
assert_failed_cleanly(const struct tu_run *r, const char *rel, int line)
{
	char		*want, *digest, *listing;
	const char	*hit, *nl;

	tu_assert_no_crash(r);
	ck_assert_msg(r->status != 0, "bad input built with status 0:\n%s", r->err);
	if (rel != NULL) {
		want = line > 0 ? tu_fmt("apigw-kb: %s/%s:%d: error: ", tcontent, rel, line) :
		    tu_fmt("apigw-kb: %s/%s: error: ", tcontent, rel);
		hit = strstr(r->err, want);
		ck_assert_msg(hit != NULL, "no \"%s\" in:\n%s", want, r->err);
		nl = strchr(hit, '\n');
		ck_assert_msg(nl != NULL && nl - hit > (long)strlen(want) + 5,
		    "the message is not one full line:\n%s", r->err);
		free(want);
	}
	digest = tu_tree_digest(tsite);
	ck_assert_msg(strcmp(digest, good_digest) == 0,
	    "the previous site changed:\nbefore:\n%s\nafter:\n%s", good_digest, digest);
	free(digest);
	listing = tu_tree_digest(tdir);
	ck_assert_msg(!tu_contains(listing, ".tmp-"), "a temporary site was left:\n%s",
	    listing);
	free(listing);
}

START_TEST(malformed_front_matter_fails_with_file_and_line)
{
	struct tu_run r;

	tu_write(tcontent, "bad.md",
	    "---\ntitle: Bad\ndescription: colon: inside\norder: 2\n---\n# Bad\n");
	r = build(tcontent, tsite, 0);
	assert_failed_cleanly(&r, "bad.md", 3);
	ck_assert(tu_contains(r.err, "front matter"));
	tu_run_free(&r);
}
END_TEST

START_TEST(wrong_front_matter_type_fails_with_file_and_line)
{
	struct tu_run r;

	tu_write(tcontent, "bad.md", "---\ntitle: Bad\norder: soon\n---\n# Bad\n");
	r = build(tcontent, tsite, 0);
	assert_failed_cleanly(&r, "bad.md", 3);
	tu_run_free(&r);
}
END_TEST

START_TEST(unterminated_front_matter_fails_at_line_1)
{
	struct tu_run r;

	tu_write(tcontent, "open.md", "---\ntitle: Open\n\n# Never closed\n");
	r = build(tcontent, tsite, 0);
	assert_failed_cleanly(&r, "open.md", 1);
	tu_run_free(&r);
}
END_TEST

START_TEST(invalid_utf8_fails_with_file_and_line)
{
	struct tu_run r;

	tu_write(tcontent, "latin1.md", "# Caf\xc3\xa9\n\nFine line.\n\nBad: caf\xe9 au lait.\n");
	r = build(tcontent, tsite, 0);
	assert_failed_cleanly(&r, "latin1.md", 5);
	ck_assert(tu_contains(r.err, "UTF-8"));
	tu_run_free(&r);
}
END_TEST

START_TEST(broken_link_fails_only_when_strict)
{
	struct tu_run	 r;
	char		*digest, *p;

	tu_write(tcontent, "links.md",
	    "# Links\n\nSee [nowhere](missing.md).\n\nAnd [no anchor](good.md#nope).\n");
	r = build(tcontent, tsite, 1);
	assert_failed_cleanly(&r, "links.md", 3);
	ck_assert(tu_contains(r.err, "links.md:5: error: broken link"));
	tu_run_free(&r);
	/* Without --strict: a warning each, and the new site replaces the old. */
	r = build(tcontent, tsite, 0);
	tu_assert_no_crash(&r);
	ck_assert_msg(r.status == 0, "non-strict build failed:\n%s", r.err);
	p = tu_fmt("apigw-kb: %s/links.md:3: warning: broken link", tcontent);
	ck_assert_msg(tu_contains(r.err, p), "no \"%s\" in:\n%s", p, r.err);
	free(p);
	ck_assert(tu_contains(r.err, "links.md:5: warning: broken link"));
	digest = tu_tree_digest(tsite);
	ck_assert(strcmp(digest, good_digest) != 0);
	ck_assert(tu_contains(digest, "/links.html "));
	free(digest);
	tu_run_free(&r);
}
END_TEST

START_TEST(broken_link_names_the_line_of_the_link)
{
	struct tu_run r;

	/* The link is on line 5, inside a paragraph that starts on line 3. */
	tu_write(tcontent, "para.md",
	    "# Para\n"
	    "\n"
	    "A paragraph that goes on\n"
	    "for a few lines before\n"
	    "it links [nowhere](missing.md) at last.\n");
	r = build(tcontent, tsite, 1);
	assert_failed_cleanly(&r, "para.md", 5);
	tu_run_free(&r);
}
END_TEST

START_TEST(repeated_broken_link_names_each_line)
{
	struct tu_run	 r;
	char		 first[4096], second[4096], err[8192];
	int		 both;

	/* The same broken link twice in one paragraph: lines 3 and 5. */
	tu_write(tcontent, "twice.md",
	    "# Twice\n"
	    "\n"
	    "First [here](missing.md) and\n"
	    "some words between, then\n"
	    "again [there](missing.md).\n");
	r = build(tcontent, tsite, 0);
	tu_assert_no_crash(&r);
	snprintf(first, sizeof(first), "%s/twice.md:3: warning: broken link", tcontent);
	snprintf(second, sizeof(second), "%s/twice.md:5: warning: broken link", tcontent);
	both = tu_contains(r.err, first) && tu_contains(r.err, second);
	snprintf(err, sizeof(err), "%s", r.err);
	tu_run_free(&r);
	ck_assert_msg(both, "want warnings at lines 3 and 5:\n%s", err);
}
END_TEST

START_TEST(unwritable_output_fails_with_a_message)
{
	struct tu_run	 r;
	char		*parent = tu_fmt("%s/locked", tdir), *out, *probe;
	int		 writable;

	/* chmod 555 stops a normal user; root ignores it, so then use a file as the parent. */
	tu_mkdirs(parent);
	chmod(parent, 0555);
	probe = tu_fmt("%s/probe", parent);
	writable = mkdir(probe, 0755) == 0;
	rmdir(probe);
	free(probe);
	if (writable) {
		chmod(parent, 0755);
		tu_rmtree(parent);
		tu_write(tdir, "locked", "a regular file, not a folder\n");
	}
	out = tu_fmt("%s/site", parent);
	r = build(tcontent, out, 0);
	tu_assert_no_crash(&r);
	ck_assert_int_ne(r.status, 0);
	ck_assert_msg(tu_contains(r.err, parent), "the message does not name the path:\n%s",
	    r.err);
	ck_assert(tu_contains(r.err, "error:"));
	ck_assert(!tu_exists(out));
	tu_run_free(&r);
	if (!writable)
		chmod(parent, 0755);
	free(parent);
	free(out);
}
END_TEST

/*
 * A full disk while the new site is written: a small tmpfs when this runs
 * as root, else a file size limit (writes then fail with EFBIG, not
 * ENOSPC, through the same code).  Either way one message naming the file,
 * the old site as it was and nothing left beside it.
 */
START_TEST(full_disk_fails_cleanly)
{
	struct tu_run	 r;
	struct rlimit	 old, lim;
	char		*mnt = tu_fmt("%s/small", tdir), *big = tu_fmt("%s/big.md", tcontent);
	char		*site, *digest, *listing;
	FILE		*f;
	int		 mounted, i;

	tu_mkdirs(mnt);
	mounted = mount("tmpfs", mnt, "tmpfs", 0, "size=400k") == 0;
	site = mounted ? tu_fmt("%s/site", mnt) : tu_fmt("%s", tsite);
	r = build(tcontent, site, 1);
	ck_assert_msg(r.status == 0, "the good build failed:\n%s", r.err);
	tu_run_free(&r);
	digest = tu_tree_digest(site);

	/* Much more than fits: about 2 MB of HTML in one page. */
	f = fopen(big, "w");
	ck_assert_ptr_nonnull(f);
	fputs("# Big\n\n", f);
	for (i = 0; i < 20000; i++)
		fprintf(f, "## Topic %d\n\nThrottling, caching and latency %d.\n\n", i, i);
	fclose(f);

	ck_assert_int_eq(getrlimit(RLIMIT_FSIZE, &old), 0);
	if (!mounted) {
		lim = old;
		lim.rlim_cur = 256 * 1024;
		signal(SIGXFSZ, SIG_IGN);	/* inherited: a write then fails instead */
		ck_assert_int_eq(setrlimit(RLIMIT_FSIZE, &lim), 0);
	}
	r = build(tcontent, site, 1);
	if (!mounted) {
		setrlimit(RLIMIT_FSIZE, &old);
		signal(SIGXFSZ, SIG_DFL);
	}
	tu_assert_no_crash(&r);
	ck_assert_msg(r.status != 0, "a full disk built with status 0:\n%s", r.err);
	ck_assert_msg(tu_contains(r.err, "error: cannot write"),
	    "no 'cannot write' message:\n%s", r.err);
	ck_assert_msg(tu_contains(r.err, mounted ? "No space left" : "File too large"),
	    "the message does not say why:\n%s", r.err);
	ck_assert_msg(tu_contains(r.err, "is unchanged"), "no word on the old site:\n%s", r.err);
	listing = tu_tree_digest(site);
	ck_assert_msg(strcmp(listing, digest) == 0, "the previous site changed:\n%s", listing);
	free(listing);
	listing = tu_tree_digest(mounted ? mnt : tdir);
	ck_assert_msg(!tu_contains(listing, ".tmp-"), "a temporary site was left:\n%s",
	    listing);
	free(listing);
	tu_run_free(&r);
	if (mounted)
		ck_assert_int_eq(umount(mnt), 0);
	free(digest);
	free(site);
	free(big);
	free(mnt);
}
END_TEST

START_TEST(empty_file_builds)
{
	struct tu_run	 r;
	char		*p;

	tu_write(tcontent, "empty.md", "");
	r = build(tcontent, tsite, 1);
	tu_assert_no_crash(&r);
	ck_assert_msg(r.status == 0, "empty file broke the build:\n%s", r.err);
	p = tu_fmt("%s/empty.html", tsite);
	ck_assert(tu_is_file(p));
	free(p);
	tu_run_free(&r);
}
END_TEST

START_TEST(punctuation_heading_builds_with_a_warning)
{
	struct tu_run	 r;
	htmlDocPtr	 d;
	char		*want;

	tu_write(tcontent, "punct.md", "# Punct\n\nIntro.\n\n## ???\n\nText.\n");
	r = build(tcontent, tsite, 0);
	tu_assert_no_crash(&r);
	ck_assert_msg(r.status == 0, "build failed:\n%s", r.err);
	want = tu_fmt("apigw-kb: %s/punct.md:5: warning: ", tcontent);
	ck_assert_msg(tu_contains(r.err, want), "no \"%s\" in:\n%s", want, r.err);
	free(want);
	d = page(tsite, "punct.html");
	ck_assert_int_eq(xp_count(d, "//article//h2[@id='section']"), 1);
	xmlFreeDoc(d);
	tu_run_free(&r);
}
END_TEST

START_TEST(duplicate_headings_get_numbered_anchors)
{
	struct tu_run	 r;
	htmlDocPtr	 d;

	tu_write(tcontent, "dup.md",
	    "# Dup\n\n## Setup\n\na\n\n## Setup\n\nb [first](#setup) [second](#setup-1)\n\n"
	    "## Setup\n\nc\n");
	r = build(tcontent, tsite, 1);
	tu_assert_no_crash(&r);
	ck_assert_msg(r.status == 0, "build failed:\n%s", r.err);
	d = page(tsite, "dup.html");
	xp_join_is(d, "//article//h2/@id", "setup|setup-1|setup-2");
	xp_join_is(d, "//nav[@id='kb-toc']//a/@href", "#setup|#setup-1|#setup-2");
	xmlFreeDoc(d);
	tu_run_free(&r);
}
END_TEST

START_TEST(large_file_builds)
{
	struct tu_run	 r;
	struct stat	 st;
	FILE		*f;
	char		*p = tu_fmt("%s/big.md", tcontent);
	long		 i;

	f = fopen(p, "w");
	ck_assert_ptr_nonnull(f);
	fputs("---\ntitle: Big\n---\n\n# Big\n\nIntro.\n\n", f);
	for (i = 0; ftell(f) < 5L * 1024 * 1024; i++)
		fprintf(f, "## Topic %ld\n\nA paragraph about throttling, caching and "
		    "latency number %ld, long enough to look like prose in a real "
		    "document about API Gateway.\n\n- item one\n- item two\n\n", i, i);
	fclose(f);
	ck_assert_int_eq(stat(p, &st), 0);
	ck_assert_int_ge(st.st_size, 5L * 1024 * 1024);
	r = build(tcontent, tsite, 1);
	tu_assert_no_crash(&r);
	ck_assert_msg(r.status == 0, "a 5 MB file broke the build:\n%s", r.err);
	free(p);
	p = tu_fmt("%s/big.html", tsite);
	ck_assert(tu_is_file(p));
	free(p);
	tu_run_free(&r);
}
END_TEST

START_TEST(missing_content_folder_fails)
{
	struct tu_run	 r;
	char		*none = tu_fmt("%s/none", tdir);
	char		*argv[] = {
		(char *)tu_bin(), "build", "--content", none, "--theme", theme,
		"--out", tsite, NULL
	};

	r = tu_run(argv);
	tu_assert_no_crash(&r);
	ck_assert_int_ne(r.status, 0);
	ck_assert(tu_contains(r.err, none));
	{
		char *digest = tu_tree_digest(tsite);

		ck_assert_str_eq(digest, good_digest);
		free(digest);
	}
	tu_run_free(&r);
	free(none);
}
END_TEST

/* --- the real content ---------------------------------------------------------------- */

START_TEST(real_content_builds_strict)
{
	struct tu_run	 r;
	char		*dir = tu_mkdtemp(), *out = tu_fmt("%s/site", dir);
	char		*content = tu_fmt("%s/content/references", root);

	r = build(content, out, 1);
	tu_assert_no_crash(&r);
	ck_assert_msg(r.status == 0, "content/references does not build with --strict:\n%s",
	    r.err);
	tu_run_free(&r);
	tu_rmtree(dir);
	free(dir);
	free(out);
	free(content);
}
END_TEST

static Suite *
build_suite(void)
{
	Suite	*s = suite_create("integration_build");
	TCase	*tc;

	tc = tcase_create("basic site");
	tcase_set_timeout(tc, 120);
	tcase_add_unchecked_fixture(tc, basic_setup, basic_teardown);
	tcase_add_test(tc, build_succeeds_quietly_in_strict_mode);
	tcase_add_test(tc, site_has_every_page_and_asset);
	tcase_add_test(tc, nothing_is_left_beside_the_site);
	tcase_add_test(tc, pages_have_the_head_a_browser_needs);
	tcase_add_test(tc, titles_and_descriptions_come_from_front_matter);
	tcase_add_test(tc, nav_lists_documents_in_order_and_marks_the_current);
	tcase_add_test(tc, toc_lists_the_h2_topics);
	tcase_add_test(tc, headings_have_ids_and_permalinks);
	tcase_add_test(tc, links_are_rewritten_and_resolve);
	tcase_add_test(tc, subfolder_pages_prefix_the_theme_urls);
	tcase_add_test(tc, script_in_content_is_neutralised);
	tcase_add_test(tc, raw_html_survives);
	tcase_add_test(tc, generated_pages_and_sitemap);
	tcase_add_test(tc, index_has_the_expected_rows);
	tcase_add_test(tc, rebuild_is_reproducible);
	suite_add_tcase(s, tc);

	tc = tcase_create("bad inputs");
	tcase_set_timeout(tc, 300);
	tcase_add_checked_fixture(tc, bad_setup, bad_teardown);
	tcase_add_test(tc, malformed_front_matter_fails_with_file_and_line);
	tcase_add_test(tc, wrong_front_matter_type_fails_with_file_and_line);
	tcase_add_test(tc, unterminated_front_matter_fails_at_line_1);
	tcase_add_test(tc, invalid_utf8_fails_with_file_and_line);
	tcase_add_test(tc, broken_link_fails_only_when_strict);
	tcase_add_test(tc, broken_link_names_the_line_of_the_link);
	tcase_add_test(tc, repeated_broken_link_names_each_line);
	tcase_add_test(tc, unwritable_output_fails_with_a_message);
	tcase_add_test(tc, full_disk_fails_cleanly);
	tcase_add_test(tc, empty_file_builds);
	tcase_add_test(tc, punctuation_heading_builds_with_a_warning);
	tcase_add_test(tc, duplicate_headings_get_numbered_anchors);
	tcase_add_test(tc, large_file_builds);
	tcase_add_test(tc, missing_content_folder_fails);
	suite_add_tcase(s, tc);

	tc = tcase_create("real content");
	tcase_set_timeout(tc, 300);
	tcase_add_checked_fixture(tc, paths_setup, paths_teardown);
	tcase_add_test(tc, real_content_builds_strict);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	int rc = tu_main(build_suite());

	xmlCleanupParser();
	return rc;
}
