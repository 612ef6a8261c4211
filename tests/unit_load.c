/* unit_load.c: reading sources, their YAML front matter, first H1s and scanning folders. */
#include "testutil.h"

#include "load.h"
#include "msg.h"

static char		*dir;
static struct tu_cap	 cap;
static struct kb_diag	 diag;
static struct kb_source	 src;

static void
setup(void)
{
	dir = tu_mkdtemp();
	tu_cap_open(&cap);
	kb_diag_init(&diag);
	diag.out = cap.f;
	memset(&src, 0, sizeof(src));
}

static void
teardown(void)
{
	kb_source_free(&src);
	tu_cap_close(&cap);
	tu_rmtree(dir);
	free(dir);
	dir = NULL;
}

/* Writes rel in the temp folder and reads it back as a source. */
static int
read_text(const char *rel, const char *text)
{
	tu_write(dir, rel, text);
	return kb_source_read(&src, dir, rel, &diag);
}

/* The diagnostics must name path:line and say the level. */
static void
assert_msg(const char *rel, int line, const char *level, const char *words)
{
	const char	*out = tu_cap_text(&cap);
	char		*want = tu_fmt("apigw-kb: %s/%s:%d: %s: ", dir, rel, line, level);

	ck_assert_msg(tu_contains(out, want), "expected \"%s\" in:\n%s", want, out);
	ck_assert_msg(tu_contains(out, words), "expected \"%s\" in:\n%s", words, out);
	free(want);
}

/* --- front matter ------------------------------------------------------------ */

START_TEST(front_matter_is_parsed)
{
	ck_assert_int_eq(read_text("troubleshooting.md",
	    "---\n"
	    "title: Troubleshooting errors\n"
	    "description: Causes and fixes, by status code.\n"
	    "api: [rest, http, websocket]\n"
	    "order: 170\n"
	    "aliases: [errors, debugging]\n"
	    "tags:\n"
	    "  - 4xx\n"
	    "  - 5xx\n"
	    "---\n"
	    "# Troubleshooting\n\nBody text.\n"), 0);
	ck_assert_str_eq(src.meta.title, "Troubleshooting errors");
	ck_assert_str_eq(src.meta.description, "Causes and fixes, by status code.");
	ck_assert_uint_eq(src.meta.api, KB_API_REST | KB_API_HTTP | KB_API_WEBSOCKET);
	ck_assert_int_eq(src.meta.has_order, 1);
	ck_assert_int_eq(src.meta.order, 170);
	ck_assert_uint_eq(src.meta.aliases.n, 2);
	ck_assert_str_eq(src.meta.aliases.v[0], "errors");
	ck_assert_str_eq(src.meta.aliases.v[1], "debugging");
	ck_assert_uint_eq(src.meta.tags.n, 2);
	ck_assert_str_eq(src.meta.tags.v[0], "4xx");
	ck_assert_str_eq(src.meta.tags.v[1], "5xx");
	ck_assert_str_eq(src.text, "# Troubleshooting\n\nBody text.\n");
	ck_assert_uint_eq(src.len, strlen(src.text));
	ck_assert_int_eq(src.body_line, 11);
	ck_assert_str_eq(src.rel, "troubleshooting.md");
	ck_assert_str_eq(src.slug, "troubleshooting");
	ck_assert_int_eq(diag.errors, 0);
	ck_assert_int_eq(diag.warnings, 0);
}
END_TEST

START_TEST(front_matter_api_may_be_a_scalar)
{
	ck_assert_int_eq(read_text("a.md", "---\napi: http\norder: -5\n---\nx\n"), 0);
	ck_assert_uint_eq(src.meta.api, KB_API_HTTP);
	ck_assert_int_eq(src.meta.order, -5);
	ck_assert_ptr_null(src.meta.title);
}
END_TEST

START_TEST(front_matter_closed_by_dots_and_crlf)
{
	ck_assert_int_eq(read_text("a.md",
	    "---\r\ntitle: Windows file\r\n...\r\nbody\r\n"), 0);
	ck_assert_str_eq(src.meta.title, "Windows file");
	ck_assert_int_eq(src.body_line, 4);
	ck_assert_str_eq(src.text, "body\r\n");
}
END_TEST

START_TEST(empty_front_matter_is_fine)
{
	ck_assert_int_eq(read_text("a.md", "---\n---\n## Topic\n"), 0);
	ck_assert_ptr_null(src.meta.title);
	ck_assert_int_eq(src.body_line, 3);
	ck_assert_str_eq(src.text, "## Topic\n");
}
END_TEST

START_TEST(no_front_matter_keeps_whole_text)
{
	static const char text[] = "# Plain\n\nJust Markdown.\n\n---\n\nA rule above.\n";

	ck_assert_int_eq(read_text("sub/plain.md", text), 0);
	ck_assert_str_eq(src.text, text);
	ck_assert_int_eq(src.body_line, 1);
	ck_assert_ptr_null(src.meta.title);
	ck_assert_ptr_null(src.meta.description);
	ck_assert_uint_eq(src.meta.api, 0);
	ck_assert_int_eq(src.meta.has_order, 0);
	ck_assert_uint_eq(src.meta.aliases.n, 0);
	ck_assert_str_eq(src.rel, "sub/plain.md");
	ck_assert_str_eq(src.slug, "sub/plain");
	ck_assert_int_eq(diag.errors + diag.warnings, 0);
}
END_TEST

START_TEST(empty_file_reads_as_empty_text)
{
	ck_assert_int_eq(read_text("empty.md", ""), 0);
	ck_assert_ptr_nonnull(src.text);
	ck_assert_str_eq(src.text, "");
	ck_assert_uint_eq(src.len, 0);
	ck_assert_int_eq(src.body_line, 1);
	ck_assert_int_eq(diag.errors, 0);
}
END_TEST

START_TEST(byte_order_mark_is_dropped)
{
	ck_assert_int_eq(read_text("bom.md",
	    "\xef\xbb\xbf---\ntitle: With BOM\n---\nText\n"), 0);
	ck_assert_str_eq(src.meta.title, "With BOM");
	ck_assert_str_eq(src.text, "Text\n");
	ck_assert_int_eq(src.body_line, 4);
}
END_TEST

START_TEST(unterminated_front_matter_is_an_error_at_line_1)
{
	ck_assert_int_eq(read_text("open.md",
	    "---\ntitle: Never closed\n\n# Heading\n\nText.\n"), -1);
	assert_msg("open.md", 1, "error", "never closed");
	ck_assert_int_eq(diag.errors, 1);
}
END_TEST

START_TEST(malformed_yaml_names_the_line)
{
	ck_assert_int_eq(read_text("bad.md",
	    "---\n"
	    "title: Fine\n"
	    "description: fine too\n"
	    "order: 3: 4\n"
	    "---\nbody\n"), -1);
	assert_msg("bad.md", 4, "error", "not valid YAML");
	ck_assert_int_eq(diag.errors, 1);
}
END_TEST

START_TEST(malformed_yaml_unclosed_list_names_a_line)
{
	ck_assert_int_eq(read_text("bad.md",
	    "---\n"
	    "title: x\n"
	    "tags: [a, b\n"
	    "---\nbody\n"), -1);
	/* libyaml notices at the end of the block; it must not be line 0 or past it. */
	ck_assert_msg(tu_contains(tu_cap_text(&cap), "bad.md:3: error:") ||
	    tu_contains(tu_cap_text(&cap), "bad.md:4: error:"),
	    "no line 3 or 4 in:\n%s", tu_cap_text(&cap));
}
END_TEST

START_TEST(order_must_be_a_number)
{
	ck_assert_int_eq(read_text("o.md",
	    "---\ntitle: T\napi: rest\norder: soon\n---\n"), -1);
	assert_msg("o.md", 4, "error", "'order' must be a whole number");
}
END_TEST

START_TEST(order_rejects_fractions_and_overflow)
{
	ck_assert_int_eq(read_text("o.md", "---\norder: 1.5\n---\n"), -1);
	assert_msg("o.md", 2, "error", "order");
	kb_source_free(&src);
	ck_assert_int_eq(read_text("p.md", "---\norder: 99999999999999999999\n---\n"), -1);
	assert_msg("p.md", 2, "error", "order");
}
END_TEST

START_TEST(api_must_name_known_types)
{
	ck_assert_int_eq(read_text("a.md",
	    "---\ntitle: T\n\napi: [grpc]\n---\n"), -1);
	assert_msg("a.md", 4, "error", "grpc");
}
END_TEST

START_TEST(title_must_be_a_string)
{
	ck_assert_int_eq(read_text("t.md",
	    "---\ndescription: d\ntitle: [a, b]\n---\n"), -1);
	assert_msg("t.md", 3, "error", "'title' must be a single string");
}
END_TEST

START_TEST(aliases_must_be_strings)
{
	ck_assert_int_eq(read_text("l.md",
	    "---\naliases:\n  - ok\n  - {nested: map}\n---\n"), -1);
	assert_msg("l.md", 4, "error", "aliases");
}
END_TEST

START_TEST(front_matter_must_be_a_mapping)
{
	ck_assert_int_eq(read_text("m.md", "---\n- just\n- a list\n---\n"), -1);
	assert_msg("m.md", 2, "error", "mapping");
}
END_TEST

START_TEST(unknown_key_is_a_warning)
{
	ck_assert_int_eq(read_text("u.md",
	    "---\ntitle: T\ncolour: blue\n---\nbody\n"), 0);
	assert_msg("u.md", 3, "warning", "unknown key 'colour'");
	ck_assert_int_eq(diag.warnings, 1);
	ck_assert_int_eq(diag.errors, 0);
	ck_assert_str_eq(src.meta.title, "T");
}
END_TEST

START_TEST(unknown_key_is_an_error_when_strict)
{
	diag.strict = 1;
	ck_assert_int_eq(read_text("u.md", "---\ncolour: blue\n---\n"), 0);
	assert_msg("u.md", 2, "error", "unknown key");
	ck_assert(kb_diag_failed(&diag));
}
END_TEST

START_TEST(invalid_utf8_names_the_line)
{
	ck_assert_int_eq(read_text("latin1.md",
	    "---\ntitle: T\n---\n# Caf\xe9\n"), -1);
	assert_msg("latin1.md", 4, "error", "invalid UTF-8");
	ck_assert_ptr_null(src.text);
}
END_TEST

START_TEST(missing_file_is_an_error)
{
	ck_assert_int_eq(kb_source_read(&src, dir, "nope.md", &diag), -1);
	ck_assert(tu_contains(tu_cap_text(&cap), "nope.md: error: cannot read"));
}
END_TEST

START_TEST(drop_text_keeps_metadata)
{
	ck_assert_int_eq(read_text("d.md", "---\ntitle: Kept\n---\nbody\n"), 0);
	kb_source_drop_text(&src);
	ck_assert_ptr_null(src.text);
	ck_assert_uint_eq(src.len, 0);
	ck_assert_str_eq(src.meta.title, "Kept");
	ck_assert_str_eq(src.slug, "d");
}
END_TEST

START_TEST(quiet_hides_warnings_but_counts_them)
{
	diag.quiet = 1;
	ck_assert_int_eq(read_text("q.md", "---\nhue: red\n---\n"), 0);
	ck_assert_int_eq(diag.warnings, 1);
	ck_assert_str_eq(tu_cap_text(&cap), "");
}
END_TEST

/* --- kb_first_h1 ------------------------------------------------------------- */

static void
h1_is(const char *md, const char *want)
{
	char	*t = kb_first_h1(md, strlen(md));
	char	 got[256];
	int	 found = t != NULL;

	/* Copy and free first, so a failed check leaks nothing. */
	snprintf(got, sizeof(got), "%s", t ? t : "");
	free(t);
	if (want == NULL) {
		ck_assert_msg(!found, "H1 of \"%s\" is \"%s\", want none", md, got);
		return;
	}
	ck_assert_msg(found, "no H1 found in \"%s\", want \"%s\"", md, want);
	ck_assert_msg(strcmp(got, want) == 0, "H1 is \"%s\", want \"%s\"", got, want);
}

START_TEST(first_h1_atx)
{
	h1_is("# Title\n\ntext\n", "Title");
	h1_is("intro\n\n#   Spaced out   \n", "Spaced out");
	h1_is("# Closed ###\n", "Closed");
	h1_is("## Second level\n# First\n", "First");
	h1_is("#NoSpace\n", NULL);
	h1_is("    # indented code\n", NULL);
	h1_is("# Windows\r\n", "Windows");
	h1_is("no heading at all\n", NULL);
}
END_TEST

START_TEST(first_h1_keeps_a_hash_that_is_part_of_the_text)
{
	/* CommonMark: a closing sequence needs a space before it; "C#" keeps its '#'. */
	h1_is("# Using C#\n", "Using C#");
}
END_TEST

START_TEST(first_h1_setext)
{
	h1_is("Setext Title\n============\n\ntext\n", "Setext Title");
	h1_is("Under\n===  \n", "Under");
	h1_is("\n===\n", NULL);
}
END_TEST

START_TEST(first_h1_ignores_fenced_code)
{
	h1_is("```sh\n# a shell comment\n```\n# Real\n", "Real");
	h1_is("~~~\n# not this\n~~~\n\n# Real\n", "Real");
}
END_TEST

START_TEST(first_h1_fence_closes_only_with_its_own_kind)
{
	/* A ``` line inside a ~~~ fence does not close it (CommonMark 4.5). */
	h1_is("~~~markdown\n```\n# Inside the example\n~~~\n\n# Real\n", "Real");
}
END_TEST

/* --- kb_scan ---------------------------------------------------------------------- */

START_TEST(scan_sorts_and_splits_markdown)
{
	struct kb_list md = { NULL, 0 }, other = { NULL, 0 };

	tu_write(dir, "b.md", "b");
	tu_write(dir, "a.md", "a");
	tu_write(dir, "sub/c.md", "c");
	tu_write(dir, "sub/deep/D.MD", "d");
	tu_write(dir, "img/diagram.png", "\x89PNG");
	tu_write(dir, "notes.txt", "n");
	tu_write(dir, ".hidden.md", "h");
	tu_write(dir, ".git/config.md", "g");
	tu_write(dir, "sub/.cache/x.md", "x");
	ck_assert_int_eq(kb_scan(dir, &md, &other, &diag), 0);
	ck_assert_uint_eq(md.n, 4);
	ck_assert_str_eq(md.v[0], "a.md");
	ck_assert_str_eq(md.v[1], "b.md");
	ck_assert_str_eq(md.v[2], "sub/c.md");
	ck_assert_str_eq(md.v[3], "sub/deep/D.MD");
	ck_assert_uint_eq(other.n, 2);
	ck_assert_str_eq(other.v[0], "img/diagram.png");
	ck_assert_str_eq(other.v[1], "notes.txt");
	ck_assert_int_eq(diag.errors, 0);
	kb_list_free(&md);
	kb_list_free(&other);
}
END_TEST

START_TEST(scan_of_missing_folder_fails)
{
	struct kb_list	 md = { NULL, 0 }, other = { NULL, 0 };
	char		*missing = tu_fmt("%s/not-there", dir);

	ck_assert_int_eq(kb_scan(missing, &md, &other, &diag), -1);
	ck_assert(tu_contains(tu_cap_text(&cap), "not-there"));
	ck_assert(tu_contains(tu_cap_text(&cap), "error: cannot read folder"));
	ck_assert_int_eq(diag.errors, 1);
	kb_list_free(&md);
	kb_list_free(&other);
	free(missing);
}
END_TEST

START_TEST(read_file_returns_bytes_and_length)
{
	char	*path, *data;
	size_t	 len = 99;

	tu_write_n(dir, "bin", "a\0b", 3);
	path = tu_fmt("%s/bin", dir);
	data = kb_read_file(path, &len);
	ck_assert_ptr_nonnull(data);
	ck_assert_uint_eq(len, 3);
	ck_assert_int_eq(memcmp(data, "a\0b", 4), 0);	/* NUL-terminated too */
	free(data);
	free(path);
	path = tu_fmt("%s/absent", dir);
	ck_assert_ptr_null(kb_read_file(path, &len));
	ck_assert_int_eq(errno, ENOENT);
	free(path);
}
END_TEST

static Suite *
load_suite(void)
{
	Suite	*s = suite_create("load");
	TCase	*tc;

	tc = tcase_create("front matter");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, front_matter_is_parsed);
	tcase_add_test(tc, front_matter_api_may_be_a_scalar);
	tcase_add_test(tc, front_matter_closed_by_dots_and_crlf);
	tcase_add_test(tc, empty_front_matter_is_fine);
	tcase_add_test(tc, no_front_matter_keeps_whole_text);
	tcase_add_test(tc, empty_file_reads_as_empty_text);
	tcase_add_test(tc, byte_order_mark_is_dropped);
	tcase_add_test(tc, unterminated_front_matter_is_an_error_at_line_1);
	tcase_add_test(tc, malformed_yaml_names_the_line);
	tcase_add_test(tc, malformed_yaml_unclosed_list_names_a_line);
	tcase_add_test(tc, order_must_be_a_number);
	tcase_add_test(tc, order_rejects_fractions_and_overflow);
	tcase_add_test(tc, api_must_name_known_types);
	tcase_add_test(tc, title_must_be_a_string);
	tcase_add_test(tc, aliases_must_be_strings);
	tcase_add_test(tc, front_matter_must_be_a_mapping);
	tcase_add_test(tc, unknown_key_is_a_warning);
	tcase_add_test(tc, unknown_key_is_an_error_when_strict);
	tcase_add_test(tc, invalid_utf8_names_the_line);
	tcase_add_test(tc, missing_file_is_an_error);
	tcase_add_test(tc, drop_text_keeps_metadata);
	tcase_add_test(tc, quiet_hides_warnings_but_counts_them);
	suite_add_tcase(s, tc);

	tc = tcase_create("first h1");
	tcase_add_test(tc, first_h1_atx);
	tcase_add_test(tc, first_h1_keeps_a_hash_that_is_part_of_the_text);
	tcase_add_test(tc, first_h1_setext);
	tcase_add_test(tc, first_h1_ignores_fenced_code);
	tcase_add_test(tc, first_h1_fence_closes_only_with_its_own_kind);
	suite_add_tcase(s, tc);

	tc = tcase_create("scan");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, scan_sorts_and_splits_markdown);
	tcase_add_test(tc, scan_of_missing_folder_fails);
	tcase_add_test(tc, read_file_returns_bytes_and_length);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tu_main(load_suite());
}
