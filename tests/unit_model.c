/* unit_model.c: a document's topics, parts, code flavours and entries from Markdown. */
#include "testutil.h"

#include "load.h"
#include "model.h"
#include "msg.h"

static struct tu_cap	 cap;
static struct kb_diag	 diag;
static struct kb_source	 src;
static struct kb_doc	 doc;

static void
setup(void)
{
	tu_cap_open(&cap);
	kb_diag_init(&diag);
	diag.out = cap.f;
	memset(&src, 0, sizeof(src));
	memset(&doc, 0, sizeof(doc));
}

static void
teardown(void)
{
	kb_doc_free(&doc);
	kb_source_free(&src);
	tu_cap_close(&cap);
}

/* Parses md as the body of content/guide.md starting at body_line. */
static void
parse_at(const char *md, int body_line)
{
	src.path = strdup("content/guide.md");
	src.rel = strdup("guide.md");
	src.slug = strdup("guide");
	src.text = strdup(md);
	src.len = strlen(md);
	src.body_line = body_line;
	ck_assert_int_eq(kb_doc_parse(&doc, &src, &diag), 0);
	ck_assert_int_eq(diag.errors, 0);
}

static void
parse(const char *md)
{
	parse_at(md, 1);
}

static const struct kb_part *
part_of(const struct kb_topic *t, enum kb_part_kind kind)
{
	size_t i;

	for (i = 0; i < t->nparts; i++)
		if (t->parts[i].kind == kind)
			return &t->parts[i];
	return NULL;
}

/* --- topics -------------------------------------------------------------------- */

START_TEST(one_topic_per_h2_after_an_introduction)
{
	parse("# Guide Title\n"
	    "\n"
	    "Intro text.\n"
	    "\n"
	    "## First Topic\n"
	    "\n"
	    "Alpha.\n"
	    "\n"
	    "## Second: Topic!\n"
	    "\n"
	    "Beta.\n");
	ck_assert_str_eq(doc.title, "Guide Title");
	ck_assert_uint_eq(doc.ntopics, 3);
	ck_assert_str_eq(doc.topics[0].anchor, "");
	ck_assert_str_eq(doc.topics[0].title, "Guide Title");
	ck_assert_str_eq(doc.topics[0].parts[0].text, "Intro text.");
	ck_assert_str_eq(doc.topics[1].anchor, "first-topic");
	ck_assert_str_eq(doc.topics[1].title, "First Topic");
	ck_assert_int_eq(doc.topics[1].line, 5);
	ck_assert_str_eq(doc.topics[1].parts[0].text, "Alpha.");
	ck_assert_ptr_null(doc.topics[1].parts[0].heading);
	ck_assert_str_eq(doc.topics[2].anchor, "second-topic");
	ck_assert_str_eq(doc.topics[2].title, "Second: Topic!");
	ck_assert_int_eq(doc.topics[2].line, 9);
}
END_TEST

START_TEST(topic_lines_count_from_the_file_start)
{
	/* Front matter took lines 1-4: the body starts on line 5. */
	parse_at("Intro.\n\n## Later\n\nText.\n", 5);
	ck_assert_uint_eq(doc.ntopics, 2);
	ck_assert_int_eq(doc.topics[1].line, 7);
}
END_TEST

START_TEST(headings_are_recorded_in_order_with_anchors)
{
	parse("# Overview\n\n## Overview\n\n### Details\n\nText.\n\n#### Deep\n");
	ck_assert_uint_eq(doc.nheadings, 4);
	ck_assert_int_eq(doc.headings[0].level, 1);
	ck_assert_str_eq(doc.headings[0].anchor, "overview");
	/* The H1's anchor is taken, so the H2 with the same text gets -1, as on GitHub. */
	ck_assert_int_eq(doc.headings[1].level, 2);
	ck_assert_str_eq(doc.headings[1].anchor, "overview-1");
	ck_assert_int_eq(doc.headings[1].line, 3);
	ck_assert_str_eq(doc.headings[2].anchor, "details");
	ck_assert_int_eq(doc.headings[3].level, 4);
	ck_assert_str_eq(doc.headings[3].text, "Deep");
	ck_assert_str_eq(doc.topics[1].anchor, "overview-1");
}
END_TEST

START_TEST(duplicate_h2_get_numbered_anchors)
{
	parse("## Notes\n\na\n\n## Notes\n\nb\n\n## Notes\n\nc\n");
	ck_assert_uint_eq(doc.ntopics, 4);
	ck_assert_str_eq(doc.topics[1].anchor, "notes");
	ck_assert_str_eq(doc.topics[2].anchor, "notes-1");
	ck_assert_str_eq(doc.topics[3].anchor, "notes-2");
	ck_assert_str_eq(doc.topics[3].parts[0].text, "c");
	ck_assert_int_eq(diag.warnings, 0);
}
END_TEST

START_TEST(punctuation_heading_becomes_section_with_a_warning)
{
	parse_at("Intro.\n\n## ???\n\nText.\n", 3);
	ck_assert_uint_eq(doc.ntopics, 2);
	ck_assert_str_eq(doc.topics[1].anchor, "section");
	ck_assert_int_eq(diag.warnings, 1);
	ck_assert_msg(tu_contains(tu_cap_text(&cap),
	    "apigw-kb: content/guide.md:5: warning: "),
	    "warning without file:line: %s", tu_cap_text(&cap));
	ck_assert(tu_contains(tu_cap_text(&cap), "'section'"));
}
END_TEST

START_TEST(document_without_h2_is_one_topic)
{
	parse("Just a paragraph of notes.\n\nAnother one.\n");
	ck_assert_uint_eq(doc.ntopics, 1);
	ck_assert_str_eq(doc.topics[0].anchor, "");
	ck_assert_str_eq(doc.topics[0].title, "guide");	/* no title, no H1: the slug */
	ck_assert_str_eq(doc.topics[0].parts[0].text,
	    "Just a paragraph of notes.\n\nAnother one.");
}
END_TEST

START_TEST(empty_document_parses)
{
	parse("");
	ck_assert_uint_eq(doc.ntopics, 1);
	ck_assert_uint_eq(doc.nheadings, 0);
	ck_assert_str_eq(doc.title, "guide");
}
END_TEST

START_TEST(title_prefers_front_matter_then_h1_then_slug)
{
	char *t;

	src.slug = strdup("dir/slug");
	src.text = strdup("# From H1\n");
	src.len = strlen(src.text);
	t = kb_doc_title(&src);
	ck_assert_str_eq(t, "From H1");
	free(t);
	src.meta.title = strdup("From front matter");
	t = kb_doc_title(&src);
	ck_assert_str_eq(t, "From front matter");
	free(t);
	free(src.meta.title);
	src.meta.title = strdup("");		/* an empty title is no title */
	free(src.text);
	src.text = strdup("no heading\n");
	src.len = strlen(src.text);
	t = kb_doc_title(&src);
	ck_assert_str_eq(t, "dir/slug");
	free(t);
}
END_TEST

/* --- parts -------------------------------------------------------------------- */

START_TEST(reserved_h3_names_give_parts)
{
	const struct kb_topic *t;

	parse("## 504 Gateway Timeout\n"
	    "\n"
	    "Lead text.\n"
	    "\n"
	    "### SYMPTOMS\n"
	    "\n"
	    "- `Endpoint request timed out`\n"
	    "- HTTP 504\n"
	    "\n"
	    "### recommendation\n"
	    "\n"
	    "Raise the **timeout**.\n"
	    "\n"
	    "### Configuration\n"
	    "\n"
	    "```ts\nnew Api();\n```\n"
	    "\n"
	    "### Pitfalls\n"
	    "\n"
	    "- one\n"
	    "\n"
	    "### LiMiTs\n"
	    "\n"
	    "- 29 seconds\n"
	    "\n"
	    "### Background\n"
	    "\n"
	    "Free text.\n");
	ck_assert_uint_eq(doc.ntopics, 2);
	t = &doc.topics[1];
	ck_assert_uint_eq(t->nparts, 7);
	ck_assert_int_eq(t->parts[0].kind, KB_PART_TEXT);
	ck_assert_ptr_null(t->parts[0].heading);
	ck_assert_str_eq(t->parts[0].text, "Lead text.");
	ck_assert_int_eq(t->parts[1].kind, KB_PART_SYMPTOMS);
	ck_assert_str_eq(t->parts[1].heading, "SYMPTOMS");
	ck_assert_str_eq(t->parts[1].text, "- Endpoint request timed out\n- HTTP 504");
	ck_assert_int_eq(t->parts[2].kind, KB_PART_RECOMMENDATION);
	ck_assert_str_eq(t->parts[2].text, "Raise the timeout.");
	ck_assert_int_eq(t->parts[3].kind, KB_PART_CONFIGURATION);
	ck_assert_int_eq(t->parts[4].kind, KB_PART_PITFALLS);
	ck_assert_int_eq(t->parts[5].kind, KB_PART_LIMITS);
	ck_assert_int_eq(t->parts[6].kind, KB_PART_TEXT);
	ck_assert_str_eq(t->parts[6].heading, "Background");
	ck_assert_str_eq(t->parts[6].text, "Free text.");
}
END_TEST

START_TEST(part_kind_names_round_trip)
{
	ck_assert_int_eq(kb_part_kind_of("Symptoms"), KB_PART_SYMPTOMS);
	ck_assert_int_eq(kb_part_kind_of("RECOMMENDATION"), KB_PART_RECOMMENDATION);
	ck_assert_int_eq(kb_part_kind_of("configuration"), KB_PART_CONFIGURATION);
	ck_assert_int_eq(kb_part_kind_of("Pitfalls"), KB_PART_PITFALLS);
	ck_assert_int_eq(kb_part_kind_of("Limits"), KB_PART_LIMITS);
	ck_assert_int_eq(kb_part_kind_of("Limits and quotas"), KB_PART_TEXT);
	ck_assert_int_eq(kb_part_kind_of("Cause"), KB_PART_TEXT);
	ck_assert_str_eq(kb_part_kind_name(KB_PART_PITFALLS), "pitfalls");
	ck_assert_str_eq(kb_part_kind_name(KB_PART_SYMPTOMS), "symptoms");
	ck_assert_str_eq(kb_part_kind_name(KB_PART_TEXT), "text");
}
END_TEST

START_TEST(deeper_headings_stay_in_the_current_part)
{
	const struct kb_part *p;

	parse("## T\n\n### Recommendation\n\nDo this.\n\n#### Why\n\nBecause.\n");
	ck_assert_uint_eq(doc.topics[1].nparts, 2);
	p = part_of(&doc.topics[1], KB_PART_RECOMMENDATION);
	ck_assert_ptr_nonnull(p);
	ck_assert_str_eq(p->text, "Do this.\n\nWhy\n\nBecause.");
}
END_TEST

/* --- code ----------------------------------------------------------------------- */

static void
flavor_is(const char *info, const char *code, const char *flavor, const char *lang)
{
	const char *f = NULL, *l = NULL;

	kb_code_flavor(info, code, &f, &l);
	ck_assert_msg(f != NULL && strcmp(f, flavor) == 0,
	    "info \"%s\": flavour %s, want %s", info ? info : "(null)", f, flavor);
	ck_assert_msg(l != NULL && strcmp(l, lang) == 0,
	    "info \"%s\": language %s, want %s", info ? info : "(null)", l, lang);
}

START_TEST(code_flavour_from_the_fence_info)
{
	flavor_is("ts", "new Api()", "cdk", "typescript");
	flavor_is("typescript", "", "cdk", "typescript");
	flavor_is("TypeScript", "", "cdk", "typescript");
	flavor_is("yaml", "Resources:\n  Api:\n    Type: AWS::ApiGateway::RestApi\n",
	    "cloudformation", "yaml");
	flavor_is("yml", "", "cloudformation", "yaml");
	flavor_is("yaml", "Transform: AWS::Serverless-2016-10-31\n", "sam", "yaml");
	flavor_is("yaml", "  Type: AWS::Serverless::Api\n", "sam", "yaml");
	flavor_is("hcl", "resource \"aws_api_gateway_rest_api\" \"x\" {}", "terraform", "hcl");
	flavor_is("terraform", "", "terraform", "hcl");
	flavor_is("sh", "aws apigateway get-rest-apis", "cli", "sh");
	flavor_is("bash", "", "cli", "sh");
	flavor_is("console", "", "cli", "sh");
	flavor_is("json", "{}", "json", "json");
	flavor_is("yaml title=\"template.yaml\"", "", "cloudformation", "yaml");
	flavor_is("python", "print()", "text", "");
	flavor_is("", "plain", "text", "");
	flavor_is(NULL, "plain", "text", "");
}
END_TEST

START_TEST(code_blocks_are_collected_per_topic)
{
	const struct kb_topic *t;

	parse("## Deploy\n"
	    "\n"
	    "```sh\naws apigateway create-deployment\n```\n"
	    "\n"
	    "### Configuration\n"
	    "\n"
	    "```ts\nnew apigw.RestApi(this, 'Api');\n```\n"
	    "\n"
	    "```yaml\nTransform: AWS::Serverless-2016-10-31\n```\n"
	    "\n"
	    "```yaml\nResources: {}\n```\n"
	    "\n"
	    "```hcl\nresource \"aws_api_gateway_rest_api\" \"api\" {}\n```\n"
	    "\n"
	    "    indented code\n");
	t = &doc.topics[1];
	ck_assert_uint_eq(t->ncodes, 6);
	ck_assert_str_eq(t->codes[0].flavor, "cli");
	ck_assert_int_eq(t->codes[0].in_configuration, 0);
	ck_assert_str_eq(t->codes[0].code, "aws apigateway create-deployment\n");
	ck_assert_str_eq(t->codes[1].flavor, "cdk");
	ck_assert_int_eq(t->codes[1].in_configuration, 1);
	ck_assert_str_eq(t->codes[2].flavor, "sam");
	ck_assert_str_eq(t->codes[3].flavor, "cloudformation");
	ck_assert_str_eq(t->codes[4].flavor, "terraform");
	ck_assert_str_eq(t->codes[5].flavor, "text");
	ck_assert_int_eq(t->codes[5].in_configuration, 1);
}
END_TEST

/* --- entries ---------------------------------------------------------------------- */

START_TEST(pitfall_entries_from_list_items)
{
	const struct kb_topic *t;

	parse("## Timeouts\n"
	    "\n"
	    "### Pitfalls\n"
	    "\n"
	    "- **HTTP API**: the `timeout` is\n  30 seconds.\n"
	    "- REST API: 29 seconds by default.\n"
	    "  A second paragraph line.\n"
	    "- [Link text](other.md) stays as text.\n"
	    "\n"
	    "### Other\n"
	    "\n"
	    "- not a pitfall\n");
	t = &doc.topics[1];
	ck_assert_uint_eq(t->nentries, 3);
	ck_assert_int_eq(t->entries[0].kind, KB_ENTRY_PITFALL);
	ck_assert_str_eq(t->entries[0].text, "HTTP API: the timeout is 30 seconds.");
	ck_assert_str_eq(t->entries[1].text,
	    "REST API: 29 seconds by default. A second paragraph line.");
	ck_assert_str_eq(t->entries[2].text, "Link text stays as text.");
}
END_TEST

START_TEST(limit_entries_from_table_rows)
{
	const struct kb_topic *t;

	parse("## Quotas\n"
	    "\n"
	    "### Limits\n"
	    "\n"
	    "| Quota | REST API | HTTP API |\n"
	    "|---|---|---|\n"
	    "| Payload size | 10 MB | 10 MB |\n"
	    "| Integration timeout | 29 s (raisable) | |\n"
	    "| **Stages** per API | 10 | 10 |\n");
	t = &doc.topics[1];
	ck_assert_uint_eq(t->nentries, 3);
	ck_assert_int_eq(t->entries[0].kind, KB_ENTRY_LIMIT);
	ck_assert_str_eq(t->entries[0].text,
	    "Payload size \xe2\x80\x94 REST API: 10 MB; HTTP API: 10 MB");
	ck_assert_str_eq(t->entries[1].text,
	    "Integration timeout \xe2\x80\x94 REST API: 29 s (raisable)");
	ck_assert_str_eq(t->entries[2].text,
	    "Stages per API \xe2\x80\x94 REST API: 10; HTTP API: 10");
}
END_TEST

START_TEST(limit_entries_from_list_items)
{
	const struct kb_topic *t;

	parse("## Sizes\n\n### Limits\n\n- Payload: 10 MB\n- Header: 10 KB\n");
	t = &doc.topics[1];
	ck_assert_uint_eq(t->nentries, 2);
	ck_assert_int_eq(t->entries[0].kind, KB_ENTRY_LIMIT);
	ck_assert_str_eq(t->entries[0].text, "Payload: 10 MB");
	ck_assert_int_eq(t->entries[1].kind, KB_ENTRY_LIMIT);
}
END_TEST

START_TEST(tables_outside_limits_give_no_entries)
{
	parse("## Compare\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n### Pitfalls\n\nProse, no list.\n");
	ck_assert_uint_eq(doc.topics[1].nentries, 0);
	ck_assert(tu_contains(doc.topics[1].parts[0].text, "1 | 2"));
}
END_TEST

/* --- robustness ------------------------------------------------------------------ */

START_TEST(tables_raw_html_and_tasklists_parse)
{
	const struct kb_topic *t;

	parse("# Mixed\n"
	    "\n"
	    "<div class=\"note\">\n<p>Raw <b>HTML</b> block</p>\n</div>\n"
	    "\n"
	    "## Table\n"
	    "\n"
	    "| Name | Value |\n|:--|--:|\n| a<br>b | `x \\| y` |\n"
	    "\n"
	    "- [x] done item\n- [ ] open item\n"
	    "\n"
	    "~~struck~~ and https://example.com/auto and <a name=\"old\"></a>\n"
	    "\n"
	    "> quoted **text**\n"
	    "\n"
	    "<script>alert(1)</script>\n"
	    "\n"
	    "Term[^1]\n\n[^1]: A footnote.\n");
	ck_assert_uint_eq(doc.ntopics, 2);
	t = &doc.topics[1];
	ck_assert_str_eq(t->anchor, "table");
	ck_assert(tu_contains(t->parts[0].text, "a b | x | y"));
	ck_assert(tu_contains(t->parts[0].text, "- done item\n- open item"));
	ck_assert(tu_contains(t->parts[0].text, "quoted text"));
	ck_assert(tu_contains(t->parts[0].text, "struck"));
}
END_TEST

START_TEST(large_document_parses)
{
	size_t	 cap_ = 6 * 1024 * 1024, len = 0, i;
	char	*md = malloc(cap_);
	int	 n;

	ck_assert_ptr_nonnull(md);
	for (i = 0; len < 5 * 1024 * 1024; i++) {
		n = snprintf(md + len, cap_ - len,
		    "## Topic %zu\n\nParagraph about stage %zu with some words to "
		    "index, like throttling and latency.\n\n### Pitfalls\n\n"
		    "- Pitfall %zu one\n- Pitfall %zu two\n\n"
		    "```ts\nconst x%zu = %zu;\n```\n\n", i, i, i, i, i, i);
		ck_assert(n > 0 && (size_t)n < cap_ - len);
		len += (size_t)n;
	}
	src.path = strdup("big.md");
	src.rel = strdup("big.md");
	src.slug = strdup("big");
	src.text = md;
	src.len = len;
	src.body_line = 1;
	ck_assert_int_eq(kb_doc_parse(&doc, &src, &diag), 0);
	ck_assert_uint_eq(doc.ntopics, i + 1);
	{
		char *want = tu_fmt("topic-%zu", i - 1);

		ck_assert_str_eq(doc.topics[i].anchor, want);
		free(want);
	}
	ck_assert_uint_eq(doc.topics[i].nentries, 2);
	ck_assert_uint_eq(doc.topics[i].ncodes, 1);
}
END_TEST

static Suite *
model_suite(void)
{
	Suite	*s = suite_create("model");
	TCase	*tc;

	tc = tcase_create("topics");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, one_topic_per_h2_after_an_introduction);
	tcase_add_test(tc, topic_lines_count_from_the_file_start);
	tcase_add_test(tc, headings_are_recorded_in_order_with_anchors);
	tcase_add_test(tc, duplicate_h2_get_numbered_anchors);
	tcase_add_test(tc, punctuation_heading_becomes_section_with_a_warning);
	tcase_add_test(tc, document_without_h2_is_one_topic);
	tcase_add_test(tc, empty_document_parses);
	tcase_add_test(tc, title_prefers_front_matter_then_h1_then_slug);
	suite_add_tcase(s, tc);

	tc = tcase_create("parts");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, reserved_h3_names_give_parts);
	tcase_add_test(tc, part_kind_names_round_trip);
	tcase_add_test(tc, deeper_headings_stay_in_the_current_part);
	tcase_add_test(tc, code_flavour_from_the_fence_info);
	tcase_add_test(tc, code_blocks_are_collected_per_topic);
	tcase_add_test(tc, pitfall_entries_from_list_items);
	tcase_add_test(tc, limit_entries_from_table_rows);
	tcase_add_test(tc, limit_entries_from_list_items);
	tcase_add_test(tc, tables_outside_limits_give_no_entries);
	suite_add_tcase(s, tc);

	tc = tcase_create("robustness");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, tables_raw_html_and_tasklists_parse);
	tcase_add_test(tc, large_document_parses);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tu_main(model_suite());
}
