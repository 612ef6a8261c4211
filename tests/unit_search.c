/* unit_search.c: query parsing, safe FTS5 expressions, searching a built index, rendering. */
#include "testutil.h"

#include <sqlite3.h>

#include "build.h"
#include "buf.h"
#include "load.h"
#include "msg.h"
#include "query.h"
#include "render.h"
#include "search.h"
#include "text.h"

/* --- a small JSON parser, to check the rendered shape exactly ----------------------- */

enum jtype { J_NULL, J_BOOL, J_NUM, J_STR, J_ARR, J_OBJ };

struct jv {
	enum jtype	 t;
	double		 num;
	char		*str;
	size_t		 n;		/* items or members */
	char		**keys;		/* members' names, in order */
	struct jv	*kids;
};

static const char *jp;

static void
j_ws(void)
{
	while (*jp == ' ' || *jp == '\t' || *jp == '\n' || *jp == '\r')
		jp++;
}

static int
j_hex4(unsigned *v)
{
	int i;

	*v = 0;
	for (i = 0; i < 4; i++, jp++) {
		char c = *jp;

		*v <<= 4;
		if (c >= '0' && c <= '9')
			*v |= (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			*v |= (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			*v |= (unsigned)(c - 'A' + 10);
		else
			return -1;
	}
	return 0;
}

static int
j_string(char **out)
{
	struct kb_buf	 b = KB_BUF_INIT;
	char		 enc[4];

	if (*jp != '"')
		return -1;
	jp++;
	kb_buf_add(&b, "", 0);
	while (*jp != '"') {
		unsigned char c = (unsigned char)*jp;

		if (c == '\0' || c < 0x20)
			goto bad;		/* raw control characters are not JSON */
		if (c != '\\') {
			kb_buf_putc(&b, (char)c);
			jp++;
			continue;
		}
		jp++;
		switch (*jp++) {
		case '"': kb_buf_putc(&b, '"'); break;
		case '\\': kb_buf_putc(&b, '\\'); break;
		case '/': kb_buf_putc(&b, '/'); break;
		case 'b': kb_buf_putc(&b, '\b'); break;
		case 'f': kb_buf_putc(&b, '\f'); break;
		case 'n': kb_buf_putc(&b, '\n'); break;
		case 'r': kb_buf_putc(&b, '\r'); break;
		case 't': kb_buf_putc(&b, '\t'); break;
		case 'u': {
			unsigned v, lo;

			if (j_hex4(&v) == -1)
				goto bad;
			if (v >= 0xd800 && v <= 0xdbff) {
				if (jp[0] != '\\' || jp[1] != 'u')
					goto bad;
				jp += 2;
				if (j_hex4(&lo) == -1 || lo < 0xdc00 || lo > 0xdfff)
					goto bad;
				v = 0x10000 + ((v - 0xd800) << 10) + (lo - 0xdc00);
			}
			kb_buf_add(&b, enc, kb_utf8_put(enc, v));
			break;
		}
		default:
			goto bad;
		}
	}
	jp++;
	*out = kb_buf_take(&b);
	return 0;
bad:
	kb_buf_free(&b);
	return -1;
}

static int j_value(struct jv *);

static int
j_push(struct jv *v, const char *key, struct jv *kid)
{
	v->kids = realloc(v->kids, (v->n + 1) * sizeof(*v->kids));
	ck_assert_ptr_nonnull(v->kids);
	if (v->t == J_OBJ) {
		v->keys = realloc(v->keys, (v->n + 1) * sizeof(*v->keys));
		ck_assert_ptr_nonnull(v->keys);
		v->keys[v->n] = (char *)key;
	}
	v->kids[v->n++] = *kid;
	return 0;
}

static int
j_value(struct jv *v)
{
	memset(v, 0, sizeof(*v));
	j_ws();
	if (*jp == '{' || *jp == '[') {
		int obj = *jp == '{';
		char close = obj ? '}' : ']';

		v->t = obj ? J_OBJ : J_ARR;
		jp++;
		j_ws();
		if (*jp == close) {
			jp++;
			return 0;
		}
		for (;;) {
			struct jv	 kid;
			char		*key = NULL;

			j_ws();
			if (obj) {
				if (j_string(&key) == -1)
					return -1;
				j_ws();
				if (*jp++ != ':') {
					free(key);
					return -1;
				}
			}
			if (j_value(&kid) == -1) {
				free(key);
				return -1;
			}
			j_push(v, key, &kid);
			j_ws();
			if (*jp == ',') {
				jp++;
				continue;
			}
			if (*jp++ != close)
				return -1;
			return 0;
		}
	}
	if (*jp == '"') {
		v->t = J_STR;
		return j_string(&v->str);
	}
	if (strncmp(jp, "true", 4) == 0 || strncmp(jp, "null", 4) == 0) {
		v->t = *jp == 't' ? J_BOOL : J_NULL;
		jp += 4;
		return 0;
	}
	if (strncmp(jp, "false", 5) == 0) {
		v->t = J_BOOL;
		jp += 5;
		return 0;
	}
	if (*jp == '-' || (*jp >= '0' && *jp <= '9')) {
		char *end;

		v->t = J_NUM;
		v->num = strtod(jp, &end);
		if (end == jp)
			return -1;
		jp = end;
		return 0;
	}
	return -1;
}

static void
j_free(struct jv *v)
{
	size_t i;

	for (i = 0; i < v->n; i++) {
		j_free(&v->kids[i]);
		if (v->keys != NULL)
			free(v->keys[i]);
	}
	free(v->kids);
	free(v->keys);
	free(v->str);
	memset(v, 0, sizeof(*v));
}

/* Parses a whole document; fails the test if it is not JSON. */
static void
j_parse(const char *text, struct jv *v)
{
	jp = text;
	ck_assert_msg(j_value(v) == 0, "not JSON near \"%.40s\" in:\n%s", jp, text);
	j_ws();
	ck_assert_msg(*jp == '\0', "trailing bytes after JSON: \"%.40s\"", jp);
}

static const struct jv *
j_get(const struct jv *o, const char *key)
{
	size_t i;

	for (i = 0; o->t == J_OBJ && i < o->n; i++)
		if (strcmp(o->keys[i], key) == 0)
			return &o->kids[i];
	return NULL;
}

static int
j_has(const struct jv *o, const char *key)
{
	return j_get(o, key) != NULL;
}

/* The object's member names, in order, must be exactly these (comma-separated). */
static void
j_keys_are(const struct jv *o, const char *want)
{
	struct kb_buf	 b = KB_BUF_INIT;
	size_t		 i;

	ck_assert_int_eq(o->t, J_OBJ);
	for (i = 0; i < o->n; i++) {
		if (i > 0)
			kb_buf_putc(&b, ',');
		kb_buf_puts(&b, o->keys[i]);
	}
	kb_buf_add(&b, "", 0);
	ck_assert_msg(strcmp(b.data, want) == 0, "keys %s, want %s", b.data, want);
	kb_buf_free(&b);
}

/* --- kb_query_parse ------------------------------------------------------------------ */

static struct kb_query q;

static void
q_setup(void)
{
	memset(&q, 0, sizeof(q));
}

static void
q_teardown(void)
{
	kb_query_free(&q);
}

static void
parse_q(const char *text)
{
	kb_query_free(&q);
	ck_assert_int_eq(kb_query_parse(&q, text), 0);
	ck_assert_ptr_nonnull(q.text);
}

/* The first alternative of every group, joined by "|" (caller frees). */
static char *
groups_of(const struct kb_query *qq)
{
	struct kb_buf	 b = KB_BUF_INIT;
	size_t		 i;

	kb_buf_add(&b, "", 0);
	for (i = 0; i < qq->ngroups; i++) {
		if (i > 0)
			kb_buf_putc(&b, '|');
		kb_buf_puts(&b, qq->groups[i].alts[0]);
	}
	return kb_buf_take(&b);
}

/* The same in a static buffer, for failure messages that must not leak. */
static const char *
groups_str(const struct kb_query *qq)
{
	static char	 buf[1024];
	char		*g = groups_of(qq);

	snprintf(buf, sizeof(buf), "%s", g);
	free(g);
	return buf;
}

static void
groups_are(const char *text, const char *want)
{
	parse_q(text);
	ck_assert_msg(strcmp(groups_str(&q), want) == 0, "groups of \"%s\": %s, want %s",
	    text, groups_str(&q), want);
}

static const struct kb_group *
group_named(const char *alt)
{
	size_t i;

	for (i = 0; i < q.ngroups; i++)
		if (strcmp(q.groups[i].alts[0], alt) == 0)
			return &q.groups[i];
	return NULL;
}

START_TEST(stop_words_are_dropped)
{
	groups_are("how do I set up the stage variables for my API?",
	    "stage|variables|api");
	groups_are("what is the best way to use a usage plan", "usage|plan");
	groups_are("the of and", "");
}
END_TEST

START_TEST(status_codes_become_code_groups)
{
	const struct kb_group *g;

	groups_are("HTTP 504", "504");
	ck_assert_int_eq(q.groups[0].code, 504);
	ck_assert(q.errorish);
	groups_are("status 504", "504");
	ck_assert_int_eq(q.groups[0].code, 504);
	groups_are("504 Gateway Timeout", "504|gateway|timeout");
	g = group_named("504");
	ck_assert_ptr_nonnull(g);
	ck_assert_int_eq(g->code, 504);
	ck_assert_int_eq(group_named("gateway")->code, 0);
	/* Not a status code: out of range, or not three digits. */
	groups_are("error 999", "error|999");
	ck_assert_int_eq(q.groups[1].code, 0);
	groups_are("port 8080", "port|8080");
	ck_assert_int_eq(q.groups[1].code, 0);
}
END_TEST

START_TEST(class_of_codes_is_kept)
{
	groups_are("5xx errors", "5xx|errors");
	ck_assert(q.errorish);
	groups_are("4XX", "4xx");
}
END_TEST

START_TEST(identifiers_are_kept_whole)
{
	const struct kb_group *g;

	parse_q("DEFAULT_4XX gateway response");
	g = group_named("default 4xx");
	ck_assert_msg(g != NULL, "no 'default 4xx' group in %s", groups_str(&q));
	ck_assert_int_eq(g->ident, 1);
	parse_q("x-amzn-ErrorType header");
	g = group_named("x amzn errortype");
	ck_assert_ptr_nonnull(g);
	ck_assert_int_eq(g->ident, 1);
	parse_q("$context.integration.latency in access logs");
	g = group_named("context integration latency");
	ck_assert_ptr_nonnull(g);
	ck_assert_int_eq(g->ident, 1);
	ck_assert_ptr_nonnull(group_named("access"));
	ck_assert_ptr_nonnull(group_named("logs"));
}
END_TEST

START_TEST(proxy_path_parameter_is_an_identifier)
{
	const struct kb_group *g;

	/* query.h names {proxy+} as an identifier kept whole. */
	parse_q("{proxy+} route returns 404");
	g = group_named("proxy");
	ck_assert_msg(g != NULL, "no 'proxy' group in %s", groups_str(&q));
	ck_assert_msg(g->ident == 1, "{proxy+} was not marked as an identifier");
}
END_TEST

START_TEST(pasted_json_keeps_the_message_words)
{
	groups_are("{\"message\":\"Missing Authentication Token\"}",
	    "missing|authentication|token");
	groups_are("{\"message\": \"Forbidden\"}", "forbidden");
	ck_assert(q.errorish);
}
END_TEST

START_TEST(access_log_noise_is_dropped)
{
	size_t i;

	parse_q("203.0.113.7 - - [25/Nov/2024:04:46:00 +0000] \"POST /prod/orders HTTP/1.1\" "
	    "504 c6af9ac6-7b61-11e6-9a41-93e8deadbeef");
	ck_assert_ptr_nonnull(group_named("504"));
	ck_assert_int_eq(group_named("504")->code, 504);
	ck_assert_ptr_nonnull(group_named("post"));
	for (i = 0; i < q.ngroups; i++) {
		const char *a = q.groups[i].alts[0];

		ck_assert_msg(!tu_contains(a, "203") && !tu_contains(a, "113"),
		    "IP address kept as \"%s\"", a);
		ck_assert_msg(!tu_contains(a, "2024") && !tu_contains(a, "nov") &&
		    !tu_contains(a, "46"), "timestamp kept as \"%s\"", a);
		ck_assert_msg(!tu_contains(a, "c6af") && !tu_contains(a, "deadbeef"),
		    "request id kept as \"%s\"", a);
		ck_assert_msg(strspn(a, "0123456789") != strlen(a) || q.groups[i].code,
		    "a number from the log line kept as \"%s\" (groups: %s)", a,
		    groups_str(&q));
	}
}
END_TEST

START_TEST(use_sam_sets_the_flavour)
{
	parse_q("api key usage plan, use SAM");
	ck_assert_ptr_nonnull(q.iac);
	ck_assert_str_eq(q.iac, "sam");
	parse_q("custom domain in terraform");
	ck_assert_str_eq(q.iac, "terraform");
	parse_q("cfn stage variables");
	ck_assert_str_eq(q.iac, "cloudformation");
	parse_q("stage variables");
	ck_assert_ptr_null(q.iac);
}
END_TEST

START_TEST(repeated_words_are_one_group)
{
	groups_are("timeout Timeout TIMEOUT", "timeout");
}
END_TEST

START_TEST(last_word_matches_as_a_prefix)
{
	parse_q("integration throttl");
	ck_assert_int_eq(group_named("throttl")->prefix, 1);
	ck_assert_int_eq(group_named("integration")->prefix, 0);
	parse_q("error 504");
	ck_assert_int_eq(group_named("504")->prefix, 0);
	parse_q("api gw");	/* too short to be a useful prefix */
	ck_assert_int_eq(group_named("gw")->prefix, 0);
}
END_TEST

static int
valid_utf8_no_controls(const char *s)
{
	int line, col;
	const char *p;

	for (p = s; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			return 0;
	return kb_utf8_check(s, strlen(s), &line, &col) == 0;
}

START_TEST(bad_bytes_are_cleaned)
{
	parse_q("\xff\xfe timeout\x01\x1b[31m \xc3\x28 caf\xc3\xa9 \xed\xa0\x80");
	ck_assert(valid_utf8_no_controls(q.text));
	ck_assert_ptr_nonnull(group_named("timeout"));
	ck_assert_ptr_nonnull(group_named("caf\xc3\xa9"));
	parse_q("\xff\xfe");
	ck_assert_uint_eq(q.ngroups, 0);
	parse_q("");
	ck_assert_uint_eq(q.ngroups, 0);
	ck_assert_str_eq(q.text, "");
}
END_TEST

START_TEST(long_input_is_bounded)
{
	struct kb_buf	 b = KB_BUF_INIT;
	int		 i;

	for (i = 0; b.len < 10240; i++)
		kb_buf_printf(&b, "word%c%c ", 'a' + i % 26, 'a' + (i / 26) % 26);
	parse_q(b.data);
	ck_assert_uint_le(strlen(q.text), 4096);
	ck_assert_uint_eq(q.ngroups, KB_QUERY_MAX_GROUPS);
	kb_buf_reset(&b);
	for (i = 0; i < 10240; i++)
		kb_buf_putc(&b, 'a');
	parse_q(b.data);
	ck_assert_uint_le(strlen(q.text), 4096);
	ck_assert_uint_eq(q.ngroups, 1);
	kb_buf_free(&b);
}
END_TEST

START_TEST(query_words_normalises)
{
	char *w;

	w = kb_query_words("Rate-Limit  (burst)!");
	ck_assert_str_eq(w, "rate limit burst");
	free(w);
	w = kb_query_words("  --  ");
	ck_assert_str_eq(w, "");
	free(w);
	w = kb_query_words("\xc3\x89tape");
	ck_assert_str_eq(w, "\xc3\xa9tape");
	free(w);
}
END_TEST

START_TEST(group_add_ignores_duplicates_and_caps)
{
	struct kb_group	 g;
	char		 alt[16];
	size_t		 i;

	memset(&g, 0, sizeof(g));
	ck_assert_int_eq(kb_group_add(&g, "gateway timeout"), 0);
	ck_assert_int_eq(kb_group_add(&g, "gateway timeout"), 0);
	ck_assert_int_eq(kb_group_add(&g, ""), 0);
	ck_assert_uint_eq(g.nalts, 1);
	for (i = 0; i < 20; i++) {
		snprintf(alt, sizeof(alt), "alt%zu", i);
		ck_assert_int_eq(kb_group_add(&g, alt), 0);
	}
	ck_assert_uint_eq(g.nalts, KB_QUERY_MAX_ALTS);
	for (i = 0; i < g.nalts; i++)
		free(g.alts[i]);
}
END_TEST

/* --- kb_query_fts: the expression must be safe --------------------------------------- */

/*
 * Outside double quotes the expression may only hold spaces, the word OR
 * between phrases, and '*' right after a closing quote.
 */
static int
fts_is_safe(const char *e, const char **why)
{
	const char	*p = e;
	int		 after_phrase = 0;

	while (*p != '\0') {
		if (*p == ' ') {
			p++;
			continue;
		}
		if (*p == '"') {
			for (p++;; p++) {
				if (*p == '\0') {
					*why = "unterminated phrase";
					return 0;
				}
				if (*p == '"' && p[1] == '"') {
					p++;
					continue;
				}
				if (*p == '"')
					break;
			}
			p++;
			after_phrase = 1;
			if (*p == '*')
				p++;
			continue;
		}
		if (after_phrase && strncmp(p, "OR ", 3) == 0 && p[-1] == ' ') {
			p += 3;
			after_phrase = 0;
			continue;
		}
		*why = p;
		return 0;
	}
	return 1;
}

static const char *const hostile[] = {
	"\"",
	"\"\"\"",
	"AND OR",
	"NOT timeout",
	"timeout NOT cors",
	"NEAR(",
	"NEAR(timeout cors, 2)",
	"*",
	"time*",
	"^x",
	"^timeout",
	"-x",
	"-timeout",
	"col:x",
	"title:timeout",
	"{title}: timeout",
	"((((",
	"timeout) OR (1",
	"' OR 1=1 --",
	"\"unterminated phrase",
	"a\"b\"c",
	"+ - : ^ * ( ) { } \"",
	"\xff\xfe",
	"\x1b[2J\x07",
	"stage; DROP TABLE topics;",
};

START_TEST(fts_expression_quotes_every_phrase)
{
	sqlite3		*db;
	sqlite3_stmt	*st;
	size_t		 i;

	ck_assert_int_eq(sqlite3_open(":memory:", &db), SQLITE_OK);
	ck_assert_int_eq(sqlite3_exec(db, "CREATE VIRTUAL TABLE t USING fts5(a, b);"
	    "INSERT INTO t VALUES('timeout and cors', 'title x');", NULL, NULL, NULL),
	    SQLITE_OK);
	ck_assert_int_eq(sqlite3_prepare_v2(db, "SELECT count(*) FROM t WHERE t MATCH ?",
	    -1, &st, NULL), SQLITE_OK);
	for (i = 0; i < sizeof(hostile) / sizeof(hostile[0]); i++) {
		struct kb_buf	 b = KB_BUF_INIT;
		unsigned char	 pg[32];
		const char	*why = NULL;
		size_t		 n;

		parse_q(hostile[i]);
		n = kb_query_fts(&q, &b, pg, sizeof(pg));
		kb_buf_add(&b, "", 0);
		ck_assert_msg(fts_is_safe(b.data, &why),
		    "query \"%s\" gave unsafe FTS5 text \"%s\" at \"%s\"",
		    hostile[i], b.data, why);
		if (n > 0) {
			sqlite3_bind_text(st, 1, b.data, -1, SQLITE_STATIC);
			ck_assert_msg(sqlite3_step(st) == SQLITE_ROW,
			    "FTS5 rejected \"%s\" (from \"%s\"): %s", b.data,
			    hostile[i], sqlite3_errmsg(db));
			sqlite3_reset(st);
		}
		kb_buf_free(&b);
	}
	sqlite3_finalize(st);
	sqlite3_close(db);
}
END_TEST

START_TEST(fts_expression_maps_phrases_to_groups)
{
	struct kb_buf	 b = KB_BUF_INIT;
	unsigned char	 pg[8];
	size_t		 n;

	parse_q("cors preflight");
	ck_assert_int_eq(kb_group_add(&q.groups[0], "cross origin"), 0);
	n = kb_query_fts(&q, &b, pg, sizeof(pg));
	/* cors, its synonym, preflight and preflight as a prefix. */
	ck_assert_uint_eq(n, 4);
	ck_assert_str_eq(b.data, "\"cors\" OR \"cross origin\" OR \"preflight\" OR \"preflight\"*");
	ck_assert_uint_eq(pg[0], 0);
	ck_assert_uint_eq(pg[1], 0);
	ck_assert_uint_eq(pg[2], 1);
	ck_assert_uint_eq(pg[3], 1);
	kb_buf_reset(&b);
	/* The phrase limit is honoured. */
	n = kb_query_fts(&q, &b, pg, 2);
	ck_assert_uint_eq(n, 2);
	ck_assert_str_eq(b.data, "\"cors\" OR \"cross origin\"");
	kb_buf_free(&b);
}
END_TEST

/* --- searching a real index --------------------------------------------------------- */

static char		*sdir, *sdb;
static struct kb_db	*db;
static struct kb_result	 res;
static char		 err[512];

/* Builds tests/fixtures/search into a temp site once for the search cases. */
static void
index_setup(void)
{
	struct kb_build_opts	 o;
	struct kb_build_stats	 st;
	struct kb_diag		 d;
	struct tu_cap		 c;
	char			*root = tu_repo_root();
	char			*content = tu_fmt("%s/tests/fixtures/search", root);
	char			*theme = tu_fmt("%s/themes/default", root);
	char			*model = tu_fmt("%s/content/ranking.tsv", root);
	char			*out;

	sdir = tu_mkdtemp();
	out = tu_fmt("%s/site", sdir);
	memset(&o, 0, sizeof(o));
	o.content = content;
	o.theme = theme;
	o.model = model;
	o.out = out;
	o.base_url = "http://kb.example/";
	o.strict = 1;
	tu_cap_open(&c);
	kb_diag_init(&d);
	d.out = c.f;
	ck_assert_msg(kb_build(&o, &d, &st) == 0, "fixture build failed:\n%s",
	    tu_cap_text(&c));
	ck_assert_uint_eq(st.documents, 4);
	tu_cap_close(&c);
	sdb = tu_fmt("%s/kb.sqlite", out);
	db = kb_db_open(sdb, err, sizeof(err));
	ck_assert_msg(db != NULL, "kb_db_open: %s", err);
	free(root);
	free(content);
	free(theme);
	free(model);
	free(out);
}

static void
index_teardown(void)
{
	kb_db_close(db);
	db = NULL;
	tu_rmtree(sdir);
	free(sdir);
	free(sdb);
}

static void
res_setup(void)
{
	memset(&res, 0, sizeof(res));
	err[0] = '\0';
}

static void
res_teardown(void)
{
	kb_result_free(&res);
}

static void
search(const char *query, const char *iac, unsigned api, size_t limit)
{
	struct kb_search_opts o = { query, iac, api, limit, 0 };

	kb_result_free(&res);
	ck_assert_msg(kb_search(db, &o, &res, err, sizeof(err)) == KB_SEARCH_OK,
	    "kb_search(\"%s\") failed: %s", query, err);
}

static void
top_is(const char *query, const char *doc, const char *anchor)
{
	search(query, NULL, 0, 3);
	ck_assert_msg(res.nanswers > 0, "no answer for \"%s\"", query);
	ck_assert_msg(strcmp(res.answers[0].doc, doc) == 0 &&
	    strcmp(res.answers[0].anchor, anchor) == 0,
	    "\"%s\": top answer %s#%s, want %s#%s", query, res.answers[0].doc,
	    res.answers[0].anchor, doc, anchor);
}

START_TEST(db_open_reports_a_missing_file)
{
	char		 e[256] = "";
	char		*path = tu_fmt("%s/none/kb.sqlite", sdir);

	ck_assert_ptr_null(kb_db_open(path, e, sizeof(e)));
	ck_assert_msg(tu_contains(e, "run apigw-kb build"), "message: %s", e);
	ck_assert(tu_contains(e, path));
	free(path);
}
END_TEST

START_TEST(db_open_rejects_a_file_that_is_not_an_index)
{
	char		 e[256] = "";
	char		*path;
	sqlite3		*other;

	tu_write(sdir, "notes.txt", "just some text, not a database\n");
	path = tu_fmt("%s/notes.txt", sdir);
	ck_assert_ptr_null(kb_db_open(path, e, sizeof(e)));
	ck_assert_msg(tu_contains(e, "run apigw-kb build"), "message: %s", e);
	free(path);
	/* A real SQLite file, but somebody else's. */
	path = tu_fmt("%s/other.sqlite", sdir);
	ck_assert_int_eq(sqlite3_open(path, &other), SQLITE_OK);
	ck_assert_int_eq(sqlite3_exec(other, "CREATE TABLE t(x);", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(other);
	e[0] = '\0';
	ck_assert_ptr_null(kb_db_open(path, e, sizeof(e)));
	ck_assert_msg(tu_contains(e, "not an apigw-kb index"), "message: %s", e);
	free(path);
}
END_TEST

START_TEST(db_open_accepts_any_file_name)
{
	char		 e[256] = "", path[4096];
	char		*data;
	size_t		 len;
	struct kb_db	*d2;

	/* Folder names with URI characters ('#', '?', '%') are ordinary on disk. */
	data = tu_read(sdb, &len);
	ck_assert_ptr_nonnull(data);
	tu_write_n(sdir, "C# notes?v=1 100%/kb.sqlite", data, len);
	free(data);
	snprintf(path, sizeof(path), "%s/C# notes?v=1 100%%/kb.sqlite", sdir);
	d2 = kb_db_open(path, e, sizeof(e));
	ck_assert_msg(d2 != NULL, "kb_db_open(\"%s\") failed: %s", path, e);
	kb_db_close(d2);
}
END_TEST

START_TEST(finds_the_topic_of_an_error_message)
{
	const struct kb_answer *a;

	top_is("Endpoint request timed out", "timeouts", "504-gateway-timeout");
	a = &res.answers[0];
	ck_assert_int_eq(a->rank, 1);
	ck_assert(a->score > 0 && a->score <= 1.0);
	ck_assert_str_eq(a->title, "504 Gateway Timeout");
	ck_assert_str_eq(a->url, "timeouts.html#504-gateway-timeout");
	ck_assert(tu_contains(a->recommendation, "integration timeout"));
	ck_assert_uint_ge(a->npitfalls, 2);
	ck_assert_uint_ge(a->nlimits, 1);
	ck_assert(tu_contains(a->limits[0].text, "Integration timeout"));
	ck_assert_str_eq(a->pitfalls[0].url, "timeouts.html#504-gateway-timeout");
	ck_assert_str_eq(res.iac, "cdk");
	top_is("{\"message\":\"Missing Authentication Token\"}", "auth",
	    "403-forbidden-missing-authentication-token");
	top_is("HTTP 429", "throttling", "429-too-many-requests");
	top_is("504", "timeouts", "504-gateway-timeout");
}
END_TEST

START_TEST(answers_are_ranked_and_limited)
{
	size_t i;

	search("timeout", NULL, 0, 50);
	ck_assert_uint_ge(res.nanswers, 1);
	for (i = 0; i < res.nanswers; i++) {
		ck_assert_int_eq(res.answers[i].rank, (int)i + 1);
		if (i > 0)
			ck_assert(res.answers[i].score <= res.answers[i - 1].score);
	}
	search("timeout", NULL, 0, 1);
	ck_assert_uint_eq(res.nanswers, 1);
}
END_TEST

START_TEST(same_query_same_answers)
{
	size_t	 i;

	search("timeout caching", NULL, 0, 5);
	ck_assert_uint_ge(res.nanswers, 1);
	{
		struct kb_result	 r1 = res;

		memset(&res, 0, sizeof(res));
		search("timeout caching", NULL, 0, 5);
		ck_assert_uint_eq(res.nanswers, r1.nanswers);
		for (i = 0; i < r1.nanswers; i++) {
			ck_assert_str_eq(res.answers[i].url, r1.answers[i].url);
			ck_assert(res.answers[i].score == r1.answers[i].score);
		}
		kb_result_free(&r1);
	}
}
END_TEST

START_TEST(misspelt_word_is_corrected)
{
	search("throtling", NULL, 0, 3);
	ck_assert_msg(res.corrected != NULL, "no correction for \"throtling\"");
	ck_assert_msg(tu_contains(res.corrected, "throttling"), "corrected to \"%s\"",
	    res.corrected);
	ck_assert_uint_ge(res.nanswers, 1);
	ck_assert_str_eq(res.answers[0].doc, "throttling");
	search("throttling", NULL, 0, 3);
	ck_assert_ptr_null(res.corrected);
}
END_TEST

START_TEST(synonyms_reach_the_documents_words)
{
	/* synonyms.txt: "authoriser: authorizer" */
	top_is("lambda authoriser caching", "auth", "lambda-authorizer-caching");
}
END_TEST

START_TEST(off_topic_query_has_no_answer)
{
	search("kubernetes ingress annotations", NULL, 0, 3);
	ck_assert_uint_eq(res.nanswers, 0);
	ck_assert_ptr_null(res.answers);
	search("", NULL, 0, 3);
	ck_assert_uint_eq(res.nanswers, 0);
}
END_TEST

START_TEST(iac_picks_the_configuration_flavour)
{
	size_t	 i;
	int	 seen;

	search("504 gateway timeout", NULL, 0, 1);
	ck_assert_str_eq(res.answers[0].anchor, "504-gateway-timeout");
	for (i = seen = 0; i < res.answers[0].nconfiguration; i++) {
		const char *f = res.answers[0].configuration[i].flavor;

		ck_assert_msg(strcmp(f, "sam") != 0 && strcmp(f, "terraform") != 0,
		    "default answer has %s code", f);
		seen |= strcmp(f, "cdk") == 0;
	}
	ck_assert_msg(seen, "default answer has no CDK code");

	search("504 gateway timeout", "sam", 0, 1);
	ck_assert_str_eq(res.iac, "sam");
	for (i = seen = 0; i < res.answers[0].nconfiguration; i++) {
		const struct kb_code_block *c = &res.answers[0].configuration[i];

		ck_assert_msg(strcmp(c->flavor, "cdk") != 0 && strcmp(c->flavor, "terraform") != 0,
		    "--iac sam answer has %s code", c->flavor);
		if (strcmp(c->flavor, "sam") == 0) {
			ck_assert_str_eq(c->language, "yaml");
			ck_assert(tu_contains(c->code, "AWS::Serverless::Api"));
			seen = 1;
		}
	}
	ck_assert_msg(seen, "--iac sam answer has no SAM code");

	search("504 gateway timeout", "terraform", 0, 1);
	for (i = seen = 0; i < res.answers[0].nconfiguration; i++)
		seen |= strcmp(res.answers[0].configuration[i].flavor, "terraform") == 0;
	ck_assert(seen);
}
END_TEST

START_TEST(use_sam_in_the_query_picks_yaml)
{
	size_t	i;
	int	seen = 0;

	search("504 gateway timeout use SAM", NULL, 0, 1);
	ck_assert_str_eq(res.iac, "sam");
	ck_assert_uint_ge(res.nanswers, 1);
	for (i = 0; i < res.answers[0].nconfiguration; i++)
		seen |= strcmp(res.answers[0].configuration[i].language, "yaml") == 0;
	ck_assert(seen);
}
END_TEST

START_TEST(api_filter_drops_other_documents)
{
	size_t i;

	/* Both timeouts.md (rest, http) and websocket.md talk about timeouts. */
	search("timeout", NULL, KB_API_WEBSOCKET, 10);
	ck_assert_uint_ge(res.nanswers, 1);
	for (i = 0; i < res.nanswers; i++)
		ck_assert_msg(strcmp(res.answers[i].doc, "timeouts") != 0 &&
		    strcmp(res.answers[i].doc, "auth") != 0,
		    "a websocket search answered from %s", res.answers[i].doc);
	search("idle connection timeout", NULL, KB_API_REST, 10);
	for (i = 0; i < res.nanswers; i++)
		ck_assert_msg(strcmp(res.answers[i].doc, "websocket") != 0,
		    "a REST search answered from websocket");
	search("idle connection timeout", NULL, 0, 10);
	ck_assert_uint_ge(res.nanswers, 1);
	ck_assert_str_eq(res.answers[0].doc, "websocket");
}
END_TEST

START_TEST(hostile_queries_are_answered_safely)
{
	struct kb_buf	 big = KB_BUF_INIT;
	size_t		 i;

	for (i = 0; i < sizeof(hostile) / sizeof(hostile[0]); i++) {
		search(hostile[i], NULL, 0, 3);
		ck_assert(!tu_contains(err, "fts5"));
	}
	for (i = 0; i < 10240; i++)
		kb_buf_putc(&big, 'a');
	search(big.data, NULL, 0, 3);
	kb_buf_reset(&big);
	for (i = 0; i < 2000; i++)
		kb_buf_puts(&big, "timeout ");
	search(big.data, NULL, 0, 3);
	kb_buf_free(&big);
}
END_TEST

START_TEST(iac_names_are_validated)
{
	ck_assert_str_eq(kb_iac_name("sam"), "sam");
	ck_assert_str_eq(kb_iac_name("cdk"), "cdk");
	ck_assert_str_eq(kb_iac_name("cloudformation"), "cloudformation");
	ck_assert_str_eq(kb_iac_name("terraform"), "terraform");
	ck_assert_ptr_null(kb_iac_name("pulumi"));
	ck_assert_ptr_null(kb_iac_name("SAM "));
	ck_assert_ptr_null(kb_iac_name(""));
}
END_TEST

/* --- rendering ----------------------------------------------------------------------- */

static char *
render(enum kb_format f, int color)
{
	struct kb_render_opts	 o = { f, color, 80, "" };
	struct kb_buf		 b = KB_BUF_INIT;

	kb_render(&b, &res, &o);
	ck_assert_int_eq(b.failed, 0);
	kb_buf_add(&b, "", 0);
	return kb_buf_take(&b);
}

static void
assert_design_shape(const struct jv *root, int want_answers)
{
	const struct jv	*answers;
	size_t		 i, k;

	j_keys_are(root, "query,iac,answers,suggestions");
	ck_assert_int_eq(j_get(root, "query")->t, J_STR);
	ck_assert_int_eq(j_get(root, "iac")->t, J_STR);
	ck_assert_int_eq(j_get(root, "suggestions")->t, J_ARR);
	for (i = 0; i < j_get(root, "suggestions")->n; i++)
		ck_assert_int_eq(j_get(root, "suggestions")->kids[i].t, J_STR);
	answers = j_get(root, "answers");
	ck_assert_int_eq(answers->t, J_ARR);
	if (want_answers)
		ck_assert_uint_ge(answers->n, 1);
	for (i = 0; i < answers->n; i++) {
		const struct jv *a = &answers->kids[i], *v;

		/* "direct" is there when one sentence or entry answers by itself. */
		j_keys_are(a, j_has(a, "direct") ?
		    "rank,score,doc,anchor,title,url,direct,recommendation,"
		    "configuration,pitfalls,limits" :
		    "rank,score,doc,anchor,title,url,recommendation,"
		    "configuration,pitfalls,limits");
		if (j_has(a, "direct")) {
			j_keys_are(j_get(a, "direct"), "text,url");
			ck_assert_int_eq(j_get(j_get(a, "direct"), "text")->t, J_STR);
		}
		ck_assert_int_eq(j_get(a, "rank")->t, J_NUM);
		ck_assert(j_get(a, "rank")->num == (double)(i + 1));
		ck_assert_int_eq(j_get(a, "score")->t, J_NUM);
		ck_assert(j_get(a, "score")->num > 0 && j_get(a, "score")->num <= 1);
		ck_assert_int_eq(j_get(a, "doc")->t, J_STR);
		ck_assert_int_eq(j_get(a, "anchor")->t, J_STR);
		ck_assert_int_eq(j_get(a, "title")->t, J_STR);
		ck_assert_int_eq(j_get(a, "url")->t, J_STR);
		ck_assert_int_eq(j_get(a, "recommendation")->t, J_STR);
		v = j_get(a, "configuration");
		ck_assert_int_eq(v->t, J_ARR);
		for (k = 0; k < v->n; k++) {
			j_keys_are(&v->kids[k], "flavor,language,code");
			ck_assert_int_eq(j_get(&v->kids[k], "code")->t, J_STR);
		}
		v = j_get(a, "pitfalls");
		ck_assert_int_eq(v->t, J_ARR);
		for (k = 0; k < v->n; k++)
			j_keys_are(&v->kids[k], "text,url");
		v = j_get(a, "limits");
		ck_assert_int_eq(v->t, J_ARR);
		for (k = 0; k < v->n; k++)
			j_keys_are(&v->kids[k], "text,url");
	}
}

START_TEST(json_has_exactly_the_design_shape)
{
	struct jv	 root;
	char		*out;
	const struct jv	*a;

	search("Endpoint request timed out", NULL, 0, 3);
	out = render(KB_FORMAT_JSON, 0);
	j_parse(out, &root);
	assert_design_shape(&root, 1);
	ck_assert_str_eq(j_get(&root, "iac")->str, "cdk");
	a = &j_get(&root, "answers")->kids[0];
	ck_assert_str_eq(j_get(a, "doc")->str, "timeouts");
	ck_assert_str_eq(j_get(a, "anchor")->str, "504-gateway-timeout");
	ck_assert_str_eq(j_get(a, "url")->str, "timeouts.html#504-gateway-timeout");
	ck_assert_str_eq(j_get(a, "title")->str, "504 Gateway Timeout");
	ck_assert_str_eq(j_get(&j_get(a, "configuration")->kids[0], "flavor")->str, "cdk");
	j_free(&root);
	free(out);
}
END_TEST

START_TEST(json_with_no_answer_is_still_the_shape)
{
	struct jv	 root;
	char		*out;

	search("kubernetes ingress annotations", NULL, 0, 3);
	out = render(KB_FORMAT_JSON, 0);
	j_parse(out, &root);
	assert_design_shape(&root, 0);
	ck_assert_uint_eq(j_get(&root, "answers")->n, 0);
	ck_assert_str_eq(j_get(&root, "query")->str, "kubernetes ingress annotations");
	j_free(&root);
	free(out);
}
END_TEST

/* A result made by hand, with text that tries to escape every format. */
static void
hostile_result(void)
{
	struct kb_answer *a;

	kb_result_free(&res);
	res.query = strdup("q \"quoted\" \\ </script>");
	res.iac = "cdk";
	res.answers = calloc(1, sizeof(*res.answers));
	res.nanswers = 1;
	a = &res.answers[0];
	a->rank = 1;
	a->score = 0.5;
	a->doc = strdup("d");
	a->anchor = strdup("a");
	a->title = strdup("Title \x1b[31mred\x1b[0m \x07 bell");
	a->url = strdup("d.html#a");
	a->recommendation = strdup("Line one\n\nLine \"two\"\twith\x1b]0;title\x07 tab");
	a->configuration = calloc(1, sizeof(*a->configuration));
	a->nconfiguration = 1;
	a->configuration[0].flavor = strdup("cdk");
	a->configuration[0].language = strdup("typescript");
	a->configuration[0].code = strdup("const s = \"```\";\n\x1b[2J\n");
	a->pitfalls = calloc(1, sizeof(*a->pitfalls));
	a->npitfalls = 1;
	a->pitfalls[0].text = strdup("pit \x1b fall");
	a->pitfalls[0].url = strdup("p.html#x");
	res.suggestions = calloc(1, sizeof(char *));
	res.suggestions[0] = strdup("sugg\"estion");
	res.nsuggestions = 1;
}

START_TEST(json_escapes_hostile_text)
{
	struct jv	 root;
	char		*out;
	const struct jv	*a;

	hostile_result();
	out = render(KB_FORMAT_JSON, 0);
	ck_assert(!tu_contains(out, "</script"));
	j_parse(out, &root);
	assert_design_shape(&root, 1);
	ck_assert_str_eq(j_get(&root, "query")->str, "q \"quoted\" \\ </script>");
	a = &j_get(&root, "answers")->kids[0];
	ck_assert_str_eq(j_get(a, "recommendation")->str,
	    "Line one\n\nLine \"two\"\twith\x1b]0;title\x07 tab");
	ck_assert_str_eq(j_get(&root, "suggestions")->kids[0].str, "sugg\"estion");
	j_free(&root);
	free(out);
}
END_TEST

START_TEST(text_without_color_has_no_escapes)
{
	char *out;

	search("Endpoint request timed out", NULL, 0, 3);
	out = render(KB_FORMAT_TEXT, 0);
	ck_assert_msg(strchr(out, '\x1b') == NULL, "ESC in plain text output");
	ck_assert(tu_contains(out, "504 Gateway Timeout"));
	ck_assert(tu_contains(out, "Recommendation"));
	free(out);
	/* With color the styles are there, so the check above can fail. */
	out = render(KB_FORMAT_TEXT, 1);
	ck_assert(strchr(out, '\x1b') != NULL);
	free(out);
}
END_TEST

START_TEST(text_strips_control_bytes_from_content)
{
	char		*out;
	const char	*p;

	hostile_result();
	out = render(KB_FORMAT_TEXT, 0);
	for (p = out; *p; p++)
		ck_assert_msg((unsigned char)*p >= 0x20 || *p == '\n',
		    "control byte 0x%02x in text output", (unsigned char)*p);
	ck_assert(tu_contains(out, "red"));
	free(out);
	out = render(KB_FORMAT_MARKDOWN, 0);
	for (p = out; *p; p++)
		ck_assert_msg((unsigned char)*p >= 0x20 || *p == '\n',
		    "control byte 0x%02x in markdown output", (unsigned char)*p);
	/* The fence is longer than the backticks inside the code. */
	ck_assert(tu_contains(out, "````typescript\n"));
	free(out);
}
END_TEST

START_TEST(markdown_starts_with_a_heading)
{
	char *out;

	search("Endpoint request timed out", NULL, 0, 3);
	out = render(KB_FORMAT_MARKDOWN, 0);
	ck_assert_msg(strncmp(out, "# ", 2) == 0, "markdown starts with \"%.20s\"", out);
	ck_assert(tu_contains(out, "## 1. 504 Gateway Timeout"));
	ck_assert(tu_contains(out, "(timeouts.html#504-gateway-timeout)"));
	ck_assert(tu_contains(out, "```typescript\n"));
	free(out);
	search("kubernetes ingress annotations", NULL, 0, 3);
	out = render(KB_FORMAT_MARKDOWN, 0);
	ck_assert(strncmp(out, "# ", 2) == 0);
	ck_assert(tu_contains(out, "No answer"));
	free(out);
}
END_TEST

START_TEST(format_names_parse)
{
	enum kb_format f = KB_FORMAT_TEXT;

	ck_assert_int_eq(kb_format_parse("json", &f), 0);
	ck_assert_int_eq(f, KB_FORMAT_JSON);
	ck_assert_int_eq(kb_format_parse("markdown", &f), 0);
	ck_assert_int_eq(f, KB_FORMAT_MARKDOWN);
	ck_assert_int_eq(kb_format_parse("text", &f), 0);
	ck_assert_int_eq(f, KB_FORMAT_TEXT);
	ck_assert_int_eq(kb_format_parse("xml", &f), -1);
	ck_assert_int_eq(kb_format_parse("", &f), -1);
	ck_assert_int_eq(kb_format_parse("JSON ", &f), -1);
}
END_TEST

static Suite *
search_suite(void)
{
	Suite	*s = suite_create("search");
	TCase	*tc;

	tc = tcase_create("query");
	tcase_add_checked_fixture(tc, q_setup, q_teardown);
	tcase_add_test(tc, stop_words_are_dropped);
	tcase_add_test(tc, status_codes_become_code_groups);
	tcase_add_test(tc, class_of_codes_is_kept);
	tcase_add_test(tc, identifiers_are_kept_whole);
	tcase_add_test(tc, proxy_path_parameter_is_an_identifier);
	tcase_add_test(tc, pasted_json_keeps_the_message_words);
	tcase_add_test(tc, access_log_noise_is_dropped);
	tcase_add_test(tc, use_sam_sets_the_flavour);
	tcase_add_test(tc, repeated_words_are_one_group);
	tcase_add_test(tc, last_word_matches_as_a_prefix);
	tcase_add_test(tc, bad_bytes_are_cleaned);
	tcase_add_test(tc, long_input_is_bounded);
	tcase_add_test(tc, query_words_normalises);
	tcase_add_test(tc, group_add_ignores_duplicates_and_caps);
	tcase_add_test(tc, fts_expression_quotes_every_phrase);
	tcase_add_test(tc, fts_expression_maps_phrases_to_groups);
	tcase_add_test(tc, format_names_parse);
	tcase_add_test(tc, iac_names_are_validated);
	suite_add_tcase(s, tc);

	tc = tcase_create("index");
	tcase_set_timeout(tc, 120);
	tcase_add_unchecked_fixture(tc, index_setup, index_teardown);
	tcase_add_checked_fixture(tc, res_setup, res_teardown);
	tcase_add_test(tc, db_open_reports_a_missing_file);
	tcase_add_test(tc, db_open_rejects_a_file_that_is_not_an_index);
	tcase_add_test(tc, db_open_accepts_any_file_name);
	tcase_add_test(tc, finds_the_topic_of_an_error_message);
	tcase_add_test(tc, answers_are_ranked_and_limited);
	tcase_add_test(tc, same_query_same_answers);
	tcase_add_test(tc, misspelt_word_is_corrected);
	tcase_add_test(tc, synonyms_reach_the_documents_words);
	tcase_add_test(tc, off_topic_query_has_no_answer);
	tcase_add_test(tc, iac_picks_the_configuration_flavour);
	tcase_add_test(tc, use_sam_in_the_query_picks_yaml);
	tcase_add_test(tc, api_filter_drops_other_documents);
	tcase_add_test(tc, hostile_queries_are_answered_safely);
	tcase_add_test(tc, json_has_exactly_the_design_shape);
	tcase_add_test(tc, json_with_no_answer_is_still_the_shape);
	tcase_add_test(tc, json_escapes_hostile_text);
	tcase_add_test(tc, text_without_color_has_no_escapes);
	tcase_add_test(tc, text_strips_control_bytes_from_content);
	tcase_add_test(tc, markdown_starts_with_a_heading);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tu_main(search_suite());
}
