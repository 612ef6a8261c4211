/* unit_index.c: the rows kb_index_* writes for a parsed document, read back with SQLite. */
#include "testutil.h"

#include <sqlite3.h>

#include "index.h"
#include "load.h"
#include "model.h"
#include "msg.h"

static const char guide_md[] =
    "# Timeouts guide\n"
    "\n"
    "How API Gateway times out integrations.\n"
    "\n"
    "## 504 Gateway Timeout\n"
    "\n"
    "### Symptoms\n"
    "\n"
    "- `{\"message\": \"Endpoint request timed out\"}`\n"
    "- Status 504 after 29 seconds\n"
    "\n"
    "### Recommendation\n"
    "\n"
    "Make the backend answer sooner, or go asynchronous.\n"
    "\n"
    "### Configuration\n"
    "\n"
    "```ts\nnew apigw.LambdaIntegration(fn, { timeout: Duration.seconds(29) });\n```\n"
    "\n"
    "```yaml\nTransform: AWS::Serverless-2016-10-31\n```\n"
    "\n"
    "```hcl\ntimeout_milliseconds = 29000\n```\n"
    "\n"
    "```sh\naws apigateway update-integration\n```\n"
    "\n"
    "### Pitfalls\n"
    "\n"
    "- Lambda keeps running after API Gateway gave up.\n"
    "- Retries multiply the load.\n"
    "\n"
    "### Limits\n"
    "\n"
    "| Quota | REST API | HTTP API |\n"
    "|---|---|---|\n"
    "| Integration timeout | 29 s | 30 s |\n"
    "\n"
    "## Plain topic\n"
    "\n"
    "Nothing reserved here, just zebra words.\n"
    "\n"
    "```json\n{\"a\": 1}\n```\n";

static char		*dir, *dbpath;
static struct tu_cap	 cap;
static struct kb_diag	 diag;
static struct kb_source	 src;
static struct kb_doc	 doc;
static sqlite3		*db;

static void
parse_doc(const char *md)
{
	memset(&src, 0, sizeof(src));
	src.path = strdup("content/guide.md");
	src.rel = strdup("guide.md");
	src.slug = strdup("guide");
	src.text = strdup(md);
	src.len = strlen(md);
	src.body_line = 8;
	src.meta.title = strdup("Timeouts");
	src.meta.description = strdup("Why requests time out.");
	src.meta.api = KB_API_REST | KB_API_HTTP;
	src.meta.has_order = 1;
	src.meta.order = 5;
	kb_list_add(&src.meta.aliases, "time outs");
	kb_list_add(&src.meta.aliases, "hangs");
	kb_list_add(&src.meta.tags, "504");
	ck_assert_int_eq(kb_doc_parse(&doc, &src, &diag), 0);
}

/* Writes the index of guide_md and opens it read-only. */
static void
setup(void)
{
	struct kb_index *x;

	dir = tu_mkdtemp();
	dbpath = tu_fmt("%s/kb.sqlite", dir);
	tu_cap_open(&cap);
	kb_diag_init(&diag);
	diag.out = cap.f;
	parse_doc(guide_md);
	x = kb_index_create(dbpath, &diag);
	ck_assert_msg(x != NULL, "kb_index_create: %s", tu_cap_text(&cap));
	ck_assert_int_eq(kb_index_add_doc(x, &doc, "guide.html", 5), 0);
	ck_assert_int_eq(kb_index_add_synonym(x, "authoriser", "authorizer"), 0);
	ck_assert_int_eq(kb_index_finish(x, "0123456789abcdef", "2024-11-25T04:46:00Z"), 0);
	ck_assert_int_eq(diag.errors, 0);
	ck_assert_int_eq(sqlite3_open_v2(dbpath, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
}

static void
teardown(void)
{
	sqlite3_close(db);
	db = NULL;
	kb_doc_free(&doc);
	kb_source_free(&src);
	tu_cap_close(&cap);
	tu_rmtree(dir);
	free(dir);
	free(dbpath);
}

static long long
q_int(const char *sql)
{
	sqlite3_stmt	*st;
	long long	 v;

	ck_assert_msg(sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK,
	    "%s: %s", sql, sqlite3_errmsg(db));
	ck_assert_msg(sqlite3_step(st) == SQLITE_ROW, "no row for %s", sql);
	v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* The first column of every row, joined by "|" (caller frees). */
static char *
q_list(const char *sql)
{
	sqlite3_stmt	*st;
	char		*out = strdup(""), *next;
	int		 first = 1;

	ck_assert_msg(sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK,
	    "%s: %s", sql, sqlite3_errmsg(db));
	while (sqlite3_step(st) == SQLITE_ROW) {
		const unsigned char *v = sqlite3_column_text(st, 0);

		next = tu_fmt("%s%s%s", out, first ? "" : "|", v ? (const char *)v : "NULL");
		first = 0;
		free(out);
		out = next;
	}
	sqlite3_finalize(st);
	return out;
}

static void
list_is(const char *sql, const char *want)
{
	char *got = q_list(sql);

	ck_assert_msg(strcmp(got, want) == 0, "%s\n got: %s\nwant: %s", sql, got, want);
	free(got);
}

START_TEST(documents_row)
{
	ck_assert_int_eq(q_int("SELECT count(*) FROM documents"), 1);
	list_is("SELECT slug || ';' || title || ';' || description || ';' || api || ';'"
	    " || ord || ';' || url || ';' || aliases || ';' || tags FROM documents",
	    "guide;Timeouts;Why requests time out.;3;5;guide.html;time outs, hangs;504");
}
END_TEST

START_TEST(topics_rows)
{
	/* The introduction has text, so it is a topic; then one per H2. */
	ck_assert_int_eq(q_int("SELECT count(*) FROM topics"), 3);
	list_is("SELECT anchor FROM topics ORDER BY seq", "|504-gateway-timeout|plain-topic");
	list_is("SELECT url FROM topics ORDER BY seq",
	    "guide.html|guide.html#504-gateway-timeout|guide.html#plain-topic");
	list_is("SELECT title FROM topics ORDER BY seq",
	    "Timeouts|504 Gateway Timeout|Plain topic");
	/* Body line 8 plus the heading's line 5 in the body, less one. */
	ck_assert_int_eq(q_int("SELECT line FROM topics WHERE anchor = '504-gateway-timeout'"), 12);
	list_is("SELECT recommendation FROM topics WHERE anchor = '504-gateway-timeout'",
	    "Make the backend answer sooner, or go asynchronous.");
	list_is("SELECT symptoms FROM topics WHERE anchor = '504-gateway-timeout'",
	    "- {\"message\": \"Endpoint request timed out\"}\n- Status 504 after 29 seconds");
	list_is("SELECT recommendation FROM topics WHERE anchor = 'plain-topic'", "");
	ck_assert_int_eq(q_int("SELECT count(*) FROM topics t JOIN documents d ON"
	    " d.id = t.doc_id WHERE d.slug = 'guide'"), 3);
}
END_TEST

START_TEST(parts_rows_keep_their_kinds)
{
	list_is("SELECT p.kind FROM parts p JOIN topics t ON t.id = p.topic_id"
	    " WHERE t.anchor = '504-gateway-timeout' ORDER BY p.seq",
	    "text|symptoms|recommendation|configuration|pitfalls|limits");
	list_is("SELECT coalesce(p.heading, 'NULL') FROM parts p JOIN topics t ON"
	    " t.id = p.topic_id WHERE t.anchor = '504-gateway-timeout' ORDER BY p.seq",
	    "NULL|Symptoms|Recommendation|Configuration|Pitfalls|Limits");
	ck_assert_int_eq(q_int("SELECT nparts FROM topics WHERE anchor = '504-gateway-timeout'"), 6);
}
END_TEST

START_TEST(code_rows_keep_their_flavours)
{
	list_is("SELECT c.flavor || ':' || c.language || ':' || c.configuration FROM code c"
	    " JOIN topics t ON t.id = c.topic_id WHERE t.anchor = '504-gateway-timeout'"
	    " ORDER BY c.seq",
	    "cdk:typescript:1|sam:yaml:1|terraform:hcl:1|cli:sh:1");
	list_is("SELECT c.flavor || ':' || c.configuration FROM code c"
	    " JOIN topics t ON t.id = c.topic_id WHERE t.anchor = 'plain-topic'",
	    "json:0");
	list_is("SELECT code FROM code WHERE flavor = 'terraform'",
	    "timeout_milliseconds = 29000\n");
}
END_TEST

START_TEST(entries_rows_for_pitfalls_and_limits)
{
	ck_assert_int_eq(q_int("SELECT count(*) FROM entries WHERE kind = 'pitfall'"), 2);
	ck_assert_int_eq(q_int("SELECT count(*) FROM entries WHERE kind = 'limit'"), 1);
	list_is("SELECT text FROM entries WHERE kind = 'limit'",
	    "Integration timeout \xe2\x80\x94 REST API: 29 s; HTTP API: 30 s");
	list_is("SELECT e.text FROM entries e JOIN topics t ON t.id = e.topic_id"
	    " WHERE e.kind = 'pitfall' ORDER BY e.id",
	    "Lambda keeps running after API Gateway gave up.|Retries multiply the load.");
	ck_assert_int_eq(q_int("SELECT count(*) FROM entries e JOIN topics t ON"
	    " t.id = e.topic_id WHERE t.anchor <> '504-gateway-timeout'"), 0);
}
END_TEST

START_TEST(meta_rows)
{
	list_is("SELECT value FROM meta WHERE key = 'schema_version'", KB_SCHEMA_VERSION);
	list_is("SELECT value FROM meta WHERE key = 'build_time'", "2024-11-25T04:46:00Z");
	list_is("SELECT value FROM meta WHERE key = 'content_hash'", "0123456789abcdef");
	list_is("SELECT value FROM meta WHERE key = 'documents'", "1");
	list_is("SELECT value FROM meta WHERE key = 'topics'", "3");
	list_is("SELECT value FROM meta WHERE key = 'entries'", "3");
}
END_TEST

START_TEST(synonym_rows)
{
	list_is("SELECT term || '=' || expansion FROM synonyms", "authoriser=authorizer");
}
END_TEST

START_TEST(vocab_counts_words_for_spelling)
{
	ck_assert_int_ge(q_int("SELECT n FROM vocab WHERE word = 'gateway'"), 2);
	ck_assert_int_eq(q_int("SELECT count(*) FROM vocab WHERE word = 'zebra'"), 1);
	ck_assert_int_eq(q_int("SELECT count(*) FROM vocab WHERE word = 'asynchronous'"), 1);
	/* Short words and numbers make poor corrections. */
	ck_assert_int_eq(q_int("SELECT count(*) FROM vocab WHERE length(word) < 3"), 0);
	ck_assert_int_eq(q_int("SELECT count(*) FROM vocab WHERE word GLOB '[0-9]*'"), 0);
	ck_assert_int_eq(q_int("SELECT count(*) FROM vocab WHERE word <> lower(word)"), 0);
}
END_TEST

START_TEST(fts_finds_a_topic_by_its_symptom)
{
	ck_assert_int_eq(q_int("SELECT t.anchor = '504-gateway-timeout' FROM topic_fts f"
	    " JOIN topics t ON t.id = f.rowid"
	    " WHERE topic_fts MATCH '\"endpoint request timed out\"'"), 1);
	ck_assert_int_eq(q_int("SELECT count(*) FROM topic_fts"
	    " WHERE topic_fts MATCH '\"endpoint request timed out\"'"), 1);
	/* Column filters: the symptom is in the symptoms column, not the title. */
	ck_assert_int_eq(q_int("SELECT count(*) FROM topic_fts"
	    " WHERE topic_fts MATCH 'symptoms : \"timed out\"'"), 1);
	ck_assert_int_eq(q_int("SELECT count(*) FROM topic_fts"
	    " WHERE topic_fts MATCH 'title : \"timed out\"'"), 0);
	/* Porter stemming: "timeouts" finds "Timeout". */
	ck_assert_int_ge(q_int("SELECT count(*) FROM topic_fts WHERE topic_fts MATCH 'timeouts'"), 1);
	/* The document's aliases are keywords of every topic. */
	ck_assert_int_eq(q_int("SELECT count(*) FROM topic_fts WHERE topic_fts MATCH"
	    " 'keywords : hangs'"), 3);
}
END_TEST

START_TEST(fts_finds_entries)
{
	ck_assert_int_eq(q_int("SELECT e.kind = 'pitfall' FROM entry_fts f JOIN entries e"
	    " ON e.id = f.rowid WHERE entry_fts MATCH '\"keeps running\"'"), 1);
	ck_assert_int_eq(q_int("SELECT count(*) FROM entry_fts WHERE entry_fts MATCH"
	    " 'context : \"504 gateway timeout\"'"), 3);
}
END_TEST

START_TEST(empty_introduction_is_not_a_topic)
{
	struct kb_index	*x;
	char		*p2 = tu_fmt("%s/second.sqlite", dir);

	kb_doc_free(&doc);
	kb_source_free(&src);
	parse_doc("# Title only\n\n## Only topic\n\nText.\n");
	ck_assert_uint_eq(doc.ntopics, 2);
	x = kb_index_create(p2, &diag);
	ck_assert_ptr_nonnull(x);
	ck_assert_int_eq(kb_index_add_doc(x, &doc, "guide.html", 1), 0);
	ck_assert_int_eq(kb_index_finish(x, "h", "t"), 0);
	sqlite3_close(db);
	ck_assert_int_eq(sqlite3_open_v2(p2, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	list_is("SELECT anchor FROM topics", "only-topic");
	free(p2);
}
END_TEST

START_TEST(create_in_a_missing_folder_fails_with_a_message)
{
	char *bad = tu_fmt("%s/no/such/dir/kb.sqlite", dir);

	ck_assert_ptr_null(kb_index_create(bad, &diag));
	ck_assert_int_ge(diag.errors, 1);
	ck_assert_msg(tu_contains(tu_cap_text(&cap), "kb.sqlite: error: cannot write the index"),
	    "got: %s", tu_cap_text(&cap));
	free(bad);
}
END_TEST

START_TEST(abort_leaves_no_half_index)
{
	struct kb_index	*x;
	char		*p2 = tu_fmt("%s/aborted.sqlite", dir);
	sqlite3		*d2;

	x = kb_index_create(p2, &diag);
	ck_assert_ptr_nonnull(x);
	ck_assert_int_eq(kb_index_add_doc(x, &doc, "guide.html", 1), 0);
	kb_index_abort(x);
	/* Whatever is left on disk has no documents: the transaction was rolled back. */
	ck_assert_int_eq(sqlite3_open_v2(p2, &d2, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	{
		sqlite3_stmt *st;
		int rc = sqlite3_prepare_v2(d2, "SELECT count(*) FROM documents", -1, &st, NULL);

		if (rc == SQLITE_OK) {
			ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
			ck_assert_int_eq(sqlite3_column_int(st, 0), 0);
		}
		sqlite3_finalize(st);
	}
	sqlite3_close(d2);
	free(p2);
}
END_TEST

static Suite *
index_suite(void)
{
	Suite	*s = suite_create("index");
	TCase	*tc;

	tc = tcase_create("rows");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, documents_row);
	tcase_add_test(tc, topics_rows);
	tcase_add_test(tc, parts_rows_keep_their_kinds);
	tcase_add_test(tc, code_rows_keep_their_flavours);
	tcase_add_test(tc, entries_rows_for_pitfalls_and_limits);
	tcase_add_test(tc, meta_rows);
	tcase_add_test(tc, synonym_rows);
	tcase_add_test(tc, vocab_counts_words_for_spelling);
	tcase_add_test(tc, fts_finds_a_topic_by_its_symptom);
	tcase_add_test(tc, fts_finds_entries);
	tcase_add_test(tc, empty_introduction_is_not_a_topic);
	tcase_add_test(tc, create_in_a_missing_folder_fails_with_a_message);
	tcase_add_test(tc, abort_leaves_no_half_index);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tu_main(index_suite());
}
