/* unit_link.c: classifying and rewriting links, and checking them across pages. */
#include "testutil.h"

#include "check.h"
#include "link.h"
#include "msg.h"

static struct kb_link l;

static void
setup(void)
{
	memset(&l, 0, sizeof(l));
}

static void
teardown(void)
{
	kb_link_free(&l);
}

static const char *
kind_name(enum kb_link_kind k)
{
	static const char *const names[] = {
		"EXTERNAL", "ABSOLUTE", "ANCHOR", "DOC", "FILE", "OUTSIDE"
	};

	return (unsigned)k < 6 ? names[k] : "?";
}

/* Parses href from the document at from; checks kind, target, anchor and href. */
static void
link_is(const char *from, const char *href, enum kb_link_kind kind,
    const char *target, const char *anchor, const char *out)
{
	kb_link_free(&l);
	ck_assert_int_eq(kb_link_parse(from, href, &l), 0);
	ck_assert_msg(l.kind == kind, "%s from %s: kind %s, want %s", href, from,
	    kind_name(l.kind), kind_name(kind));
	if (target == NULL)
		ck_assert_msg(l.target == NULL, "%s: target \"%s\", want none", href, l.target);
	else
		ck_assert_msg(l.target != NULL && strcmp(l.target, target) == 0,
		    "%s from %s: target \"%s\", want \"%s\"", href, from,
		    l.target ? l.target : "(null)", target);
	if (anchor == NULL)
		ck_assert_msg(l.anchor == NULL, "%s: anchor \"%s\", want none", href, l.anchor);
	else
		ck_assert_msg(l.anchor != NULL && strcmp(l.anchor, anchor) == 0,
		    "%s: anchor \"%s\", want \"%s\"", href,
		    l.anchor ? l.anchor : "(null)", anchor);
	ck_assert_ptr_nonnull(l.href);
	ck_assert_msg(strcmp(l.href, out) == 0, "%s: href \"%s\", want \"%s\"",
	    href, l.href, out);
}

/* --- kb_link_parse ------------------------------------------------------------------ */

START_TEST(doc_link_with_anchor_is_rewritten_to_html)
{
	link_is("index.md", "other.md#a", KB_LINK_DOC, "other.md", "a", "other.html#a");
	link_is("index.md", "other.md", KB_LINK_DOC, "other.md", NULL, "other.html");
	link_is("index.md", "./other.md", KB_LINK_DOC, "other.md", NULL, "./other.html");
	link_is("index.md", "UPPER.MD", KB_LINK_DOC, "UPPER.MD", NULL, "UPPER.html");
}
END_TEST

START_TEST(doc_link_resolves_against_the_source_folder)
{
	link_is("sub/x.md", "../y.md", KB_LINK_DOC, "y.md", NULL, "../y.html");
	link_is("sub/x.md", "sibling.md#s", KB_LINK_DOC, "sub/sibling.md", "s",
	    "sibling.html#s");
	link_is("a/b/c.md", "../../top.md", KB_LINK_DOC, "top.md", NULL, "../../top.html");
	link_is("x.md", "sub/./deep/../y.md", KB_LINK_DOC, "sub/y.md", NULL,
	    "sub/./deep/../y.html");
}
END_TEST

START_TEST(link_climbing_above_the_root_is_outside)
{
	link_is("x.md", "../../z.md", KB_LINK_OUTSIDE, NULL, NULL, "../../z.md");
	link_is("x.md", "../z.md", KB_LINK_OUTSIDE, NULL, NULL, "../z.md");
	link_is("sub/x.md", "../../z.md", KB_LINK_OUTSIDE, NULL, NULL, "../../z.md");
}
END_TEST

START_TEST(fragment_only_is_an_anchor)
{
	link_is("x.md", "#frag", KB_LINK_ANCHOR, NULL, "frag", "#frag");
	link_is("x.md", "#caf%C3%A9", KB_LINK_ANCHOR, NULL, "caf\xc3\xa9", "#caf%C3%A9");
}
END_TEST

START_TEST(links_with_a_scheme_are_external)
{
	link_is("x.md", "https://docs.aws.amazon.com/apigateway/x.md", KB_LINK_EXTERNAL,
	    NULL, NULL, "https://docs.aws.amazon.com/apigateway/x.md");
	link_is("x.md", "mailto:team@example.com", KB_LINK_EXTERNAL, NULL, NULL,
	    "mailto:team@example.com");
	link_is("x.md", "//cdn.example.com/a.js", KB_LINK_EXTERNAL, NULL, NULL,
	    "//cdn.example.com/a.js");
	link_is("x.md", "HTTP://EXAMPLE.COM", KB_LINK_EXTERNAL, NULL, NULL,
	    "HTTP://EXAMPLE.COM");
}
END_TEST

START_TEST(root_relative_link_is_absolute)
{
	link_is("sub/x.md", "/abs/page.html", KB_LINK_ABSOLUTE, NULL, NULL,
	    "/abs/page.html");
}
END_TEST

START_TEST(other_local_paths_are_files)
{
	link_is("x.md", "img.png", KB_LINK_FILE, "img.png", NULL, "img.png");
	link_is("sub/x.md", "../img/d.svg#layer", KB_LINK_FILE, "img/d.svg", "layer",
	    "../img/d.svg#layer");
	link_is("x.md", "notes.md.txt", KB_LINK_FILE, "notes.md.txt", NULL, "notes.md.txt");
}
END_TEST

START_TEST(paths_are_percent_decoded)
{
	link_is("x.md", "my%20doc.md", KB_LINK_DOC, "my doc.md", NULL, "my%20doc.html");
	link_is("x.md", "caf%c3%a9.png", KB_LINK_FILE, "caf\xc3\xa9.png", NULL,
	    "caf%c3%a9.png");
	/* A bad escape and %00 stay as written. */
	link_is("x.md", "a%zzb%00.png", KB_LINK_FILE, "a%zzb%00.png", NULL, "a%zzb%00.png");
}
END_TEST

START_TEST(query_strings_are_kept_out_of_the_path)
{
	link_is("x.md", "other.md?v=2", KB_LINK_DOC, "other.md", NULL, "other.html?v=2");
	link_is("x.md", "other.md?v=2#sec", KB_LINK_DOC, "other.md", "sec",
	    "other.html?v=2#sec");
	link_is("x.md", "other.md#sec?not-a-query", KB_LINK_DOC, "other.md",
	    "sec?not-a-query", "other.html#sec?not-a-query");
}
END_TEST

START_TEST(url_decode_handles_short_escapes)
{
	char *s;

	s = kb_url_decode("a%41", 4);
	ck_assert_str_eq(s, "aA");
	free(s);
	s = kb_url_decode("%4", 2);		/* truncated: kept */
	ck_assert_str_eq(s, "%4");
	free(s);
	s = kb_url_decode("%", 1);
	ck_assert_str_eq(s, "%");
	free(s);
	s = kb_url_decode("x%2fy", 3);	/* only n bytes count */
	ck_assert_str_eq(s, "x%2");
	free(s);
}
END_TEST

/* --- kb_check ----------------------------------------------------------------------- */

struct checker {
	struct kb_check	*c;
	struct tu_cap	 cap;
	struct kb_diag	 diag;
};

static struct checker ck;

static void
check_setup(void)
{
	ck.c = kb_check_new();
	ck_assert_ptr_nonnull(ck.c);
	tu_cap_open(&ck.cap);
	kb_diag_init(&ck.diag);
	ck.diag.out = ck.cap.f;
	/* Two documents, one in a subfolder, and an image. */
	ck_assert_int_eq(kb_check_target(ck.c, "index.md"), 0);
	ck_assert_int_eq(kb_check_target(ck.c, "sub/x.md"), 0);
	ck_assert_int_eq(kb_check_target(ck.c, "img/d.png"), 0);
	ck_assert_int_eq(kb_check_anchor(ck.c, "index.md", "intro"), 0);
	ck_assert_int_eq(kb_check_anchor(ck.c, "sub/x.md", "deep-topic"), 0);
}

static void
check_teardown(void)
{
	kb_check_free(ck.c);
	tu_cap_close(&ck.cap);
}

/* Records href as written at content/from:line. */
static void
add_link(const char *from, int line, const char *href)
{
	struct kb_link	 k;
	char		*path = tu_fmt("content/%s", from);

	ck_assert_int_eq(kb_link_parse(from, href, &k), 0);
	ck_assert_int_eq(kb_check_link(ck.c, path, line, from, &k), 0);
	kb_link_free(&k);
	free(path);
}

START_TEST(check_accepts_good_links)
{
	add_link("index.md", 3, "sub/x.md#deep-topic");
	add_link("index.md", 4, "#intro");
	add_link("index.md", 5, "img/d.png");
	add_link("sub/x.md", 6, "../index.md");
	add_link("sub/x.md", 7, "../index.md#intro");
	add_link("sub/x.md", 8, "https://example.com/missing.md");
	add_link("sub/x.md", 9, "/served/elsewhere.html");
	add_link("sub/x.md", 10, "#");
	ck_assert_uint_eq(kb_check_run(ck.c, &ck.diag), 0);
	ck_assert_int_eq(ck.diag.warnings + ck.diag.errors, 0);
	ck_assert_str_eq(tu_cap_text(&ck.cap), "");
}
END_TEST

START_TEST(check_reports_a_missing_doc_with_file_and_line)
{
	add_link("index.md", 12, "missing.md");
	ck_assert_uint_eq(kb_check_run(ck.c, &ck.diag), 1);
	ck_assert_int_eq(ck.diag.warnings, 1);
	ck_assert_int_eq(ck.diag.errors, 0);
	ck_assert_msg(tu_contains(tu_cap_text(&ck.cap),
	    "apigw-kb: content/index.md:12: warning: broken link: missing.md"),
	    "got: %s", tu_cap_text(&ck.cap));
}
END_TEST

START_TEST(check_reports_a_missing_anchor_with_file_and_line)
{
	add_link("sub/x.md", 21, "../index.md#nowhere");
	add_link("index.md", 22, "#also-nowhere");
	ck_assert_uint_eq(kb_check_run(ck.c, &ck.diag), 2);
	ck_assert_msg(tu_contains(tu_cap_text(&ck.cap),
	    "apigw-kb: content/sub/x.md:21: warning: broken link: no anchor '#nowhere' in index.md"),
	    "got: %s", tu_cap_text(&ck.cap));
	ck_assert(tu_contains(tu_cap_text(&ck.cap),
	    "content/index.md:22: warning: broken link: no anchor '#also-nowhere' in index.md"));
}
END_TEST

START_TEST(check_reports_links_leaving_the_content)
{
	add_link("index.md", 30, "../../outside.md");
	ck_assert_uint_eq(kb_check_run(ck.c, &ck.diag), 1);
	ck_assert(tu_contains(tu_cap_text(&ck.cap), "content/index.md:30: warning:"));
	ck_assert(tu_contains(tu_cap_text(&ck.cap), "leaves the content folder"));
}
END_TEST

START_TEST(check_strict_makes_broken_links_errors)
{
	ck.diag.strict = 1;
	add_link("index.md", 40, "missing.md");
	add_link("index.md", 41, "sub/x.md#gone");
	ck_assert_uint_eq(kb_check_run(ck.c, &ck.diag), 2);
	ck_assert_int_eq(ck.diag.errors, 2);
	ck_assert(kb_diag_failed(&ck.diag));
	ck_assert(tu_contains(tu_cap_text(&ck.cap), "content/index.md:40: error: broken link"));
	ck_assert(tu_contains(tu_cap_text(&ck.cap), "content/index.md:41: error: broken link"));
}
END_TEST

static Suite *
link_suite(void)
{
	Suite	*s = suite_create("link");
	TCase	*tc;

	tc = tcase_create("parse");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, doc_link_with_anchor_is_rewritten_to_html);
	tcase_add_test(tc, doc_link_resolves_against_the_source_folder);
	tcase_add_test(tc, link_climbing_above_the_root_is_outside);
	tcase_add_test(tc, fragment_only_is_an_anchor);
	tcase_add_test(tc, links_with_a_scheme_are_external);
	tcase_add_test(tc, root_relative_link_is_absolute);
	tcase_add_test(tc, other_local_paths_are_files);
	tcase_add_test(tc, paths_are_percent_decoded);
	tcase_add_test(tc, query_strings_are_kept_out_of_the_path);
	tcase_add_test(tc, url_decode_handles_short_escapes);
	suite_add_tcase(s, tc);

	tc = tcase_create("check");
	tcase_add_checked_fixture(tc, check_setup, check_teardown);
	tcase_add_test(tc, check_accepts_good_links);
	tcase_add_test(tc, check_reports_a_missing_doc_with_file_and_line);
	tcase_add_test(tc, check_reports_a_missing_anchor_with_file_and_line);
	tcase_add_test(tc, check_reports_links_leaving_the_content);
	tcase_add_test(tc, check_strict_makes_broken_links_errors);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tu_main(link_suite());
}
