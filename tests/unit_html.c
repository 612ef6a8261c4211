/* unit_html.c: the HTML5 writer: escaping, void and raw-text elements, URLs, the hook. */
#include "testutil.h"

#include <libxml/HTMLparser.h>

#include "buf.h"
#include "html.h"

#define OPTS (HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET)

static htmlDocPtr doc;

static htmlDocPtr
parse(const char *html)
{
	htmlDocPtr d = htmlReadMemory(html, (int)strlen(html), NULL, "UTF-8", OPTS);

	ck_assert_ptr_nonnull(d);
	return d;
}

static xmlNodePtr
find_id(xmlNodePtr n, const char *id)
{
	for (; n != NULL; n = n->next) {
		xmlChar		*v;
		xmlNodePtr	 hit;
		int		 yes;

		if (n->type != XML_ELEMENT_NODE)
			continue;
		v = xmlGetProp(n, BAD_CAST "id");
		yes = v != NULL && strcmp((char *)v, id) == 0;
		xmlFree(v);
		if (yes)
			return n;
		if ((hit = find_id(n->children, id)) != NULL)
			return hit;
	}
	return NULL;
}

/* The HTML the writer gives for the element with id="t" in body (caller frees). */
static char *
write_t(const char *body, kb_html_hook hook, void *ctx)
{
	struct kb_buf	 b = KB_BUF_INIT;
	char		*html = tu_fmt("<!DOCTYPE html><html><body>%s</body></html>", body);
	xmlNodePtr	 t;

	if (doc != NULL)
		xmlFreeDoc(doc);
	doc = parse(html);
	free(html);
	t = find_id(doc->children, "t");
	ck_assert_ptr_nonnull(t);
	kb_html_node(&b, t, hook, ctx);
	ck_assert(!b.failed);
	return kb_buf_take(&b);
}

static void
teardown(void)
{
	if (doc != NULL)
		xmlFreeDoc(doc);
	doc = NULL;
}

#define ck_writes(body, want) do {				\
	char *got_ = write_t((body), NULL, NULL);		\
	ck_assert_str_eq(got_, (want));				\
	free(got_);						\
} while (0)

START_TEST(text_escapes_markup_characters)
{
	ck_writes("<p id=\"t\">a &lt; b &amp;&amp; c &gt; d \"q\" 'r' \xc3\xa9</p>",
	    "<p id=\"t\">a &lt; b &amp;&amp; c &gt; d \"q\" 'r' \xc3\xa9</p>");
}
END_TEST

START_TEST(attributes_escape_quotes_and_markup)
{
	ck_writes("<p id=\"t\" title='say \"hi\" &amp; &lt;bye&gt;'>x</p>",
	    "<p id=\"t\" title=\"say &quot;hi&quot; &amp; &lt;bye&gt;\">x</p>");
	/* A newline or tab in a value survives a round trip as a character reference. */
	ck_writes("<p id=\"t\" title=\"a&#10;b&#9;c\">x</p>",
	    "<p id=\"t\" title=\"a&#10;b&#9;c\">x</p>");
}
END_TEST

START_TEST(url_attributes_are_percent_encoded)
{
	ck_writes("<a id=\"t\" href=\"  my file.html?a=1&amp;b=\xc3\xa9#x\">x</a>",
	    "<a id=\"t\" href=\"my%20file.html?a=1&amp;b=%C3%A9#x\">x</a>");
	/* What is encoded already stays as it is; a quote cannot end the value. */
	ck_writes("<img id=\"t\" src='a%20b\"c.png' alt=\"a b\">",
	    "<img id=\"t\" src=\"a%20b%22c.png\" alt=\"a b\">");
	ck_writes("<form id=\"t\" action=\"search.html?q=<x>\"></form>",
	    "<form id=\"t\" action=\"search.html?q=%3Cx%3E\"></form>");
}
END_TEST

START_TEST(void_elements_have_no_end_tag)
{
	ck_writes("<p id=\"t\">a<br>b<img src=\"x.png\" alt=\"\"><input type=\"text\"><hr></p>",
	    "<p id=\"t\">a<br>b<img src=\"x.png\" alt=\"\"><input type=\"text\"></p>");
	ck_writes("<div id=\"t\"><p></p><span></span></div>",
	    "<div id=\"t\"><p></p><span></span></div>");
}
END_TEST

START_TEST(boolean_attributes_are_minimised)
{
	ck_writes("<input id=\"t\" type=\"checkbox\" checked=\"checked\" disabled>",
	    "<input id=\"t\" type=\"checkbox\" checked disabled>");
}
END_TEST

START_TEST(script_and_style_text_is_raw)
{
	ck_writes("<div id=\"t\"><script>if (a < b && c > d) x();</script>"
	    "<style>a > b { x: \"&\" }</style><p>a < b</p></div>",
	    "<div id=\"t\"><script>if (a < b && c > d) x();</script>"
	    "<style>a > b { x: \"&\" }</style><p>a &lt; b</p></div>");
}
END_TEST

START_TEST(comments_are_kept)
{
	ck_writes("<div id=\"t\"><!-- a note -->x</div>",
	    "<div id=\"t\"><!-- a note -->x</div>");
}
END_TEST

static int
replace_kept(void *ctx, xmlNodePtr n, struct kb_buf *b)
{
	xmlChar	*cls = xmlGetProp(n, BAD_CAST "class");
	int	 yes = cls != NULL && strcmp((char *)cls, "kept") == 0;

	xmlFree(cls);
	if (yes) {
		kb_buf_puts(b, "<nav>ready-made</nav>");
		(*(int *)ctx)++;
	}
	return yes;
}

START_TEST(hook_writes_elements_it_claims)
{
	int	 calls = 0;
	char	*got = write_t("<div id=\"t\"><p class=\"kept\">not <b>this</b></p>"
	    "<p>but this</p><p class=\"kept\"></p></div>", replace_kept, &calls);

	ck_assert_str_eq(got, "<div id=\"t\"><nav>ready-made</nav><p>but this</p>"
	    "<nav>ready-made</nav></div>");
	ck_assert_int_eq(calls, 2);
	free(got);
}
END_TEST

START_TEST(start_and_end_tags_alone)
{
	struct kb_buf	 b = KB_BUF_INIT;
	char		*whole = write_t("<a id=\"t\" href=\"x y.html\" rel=\"next\">n</a>",
	    NULL, NULL);
	xmlNodePtr	 t = find_id(doc->children, "t");

	kb_html_start_tag(&b, t);
	kb_html_end_tag(&b, t);
	ck_assert_str_eq(b.data, "<a id=\"t\" href=\"x%20y.html\" rel=\"next\"></a>");
	ck_assert_str_eq(whole, "<a id=\"t\" href=\"x%20y.html\" rel=\"next\">n</a>");
	kb_buf_free(&b);
	free(whole);
}
END_TEST

/* A written document parses back to one that is written the same way. */
START_TEST(document_round_trips)
{
	static const char page[] =
	    "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
	    "<title>T &amp; U</title></head><body><main><h2 id=\"a-b\">A &lt;b&gt;"
	    "<a class=\"kb-permalink\" href=\"#a-b\">#</a></h2><table><thead><tr>"
	    "<th align=\"left\">k</th></tr></thead><tbody><tr><td>v &amp; w</td></tr>"
	    "</tbody></table><pre><code class=\"language-yaml\">a: \"&lt;b&gt;\"\n"
	    "</code></pre><ul><li><input type=\"checkbox\" disabled> t</li></ul>"
	    "</main><script src=\"assets/search.js\"></script></body></html>";
	struct kb_buf	 one = KB_BUF_INIT, two = KB_BUF_INIT;
	htmlDocPtr	 a = parse(page), again;

	kb_html_doc(&one, a, NULL, NULL);
	ck_assert(!one.failed);
	ck_assert(strncmp(one.data, "<!DOCTYPE html>\n<html lang=\"en\">", 32) == 0);
	ck_assert(one.len > 8 && strcmp(one.data + one.len - 8, "</html>\n") == 0);
	again = parse(one.data);
	kb_html_doc(&two, again, NULL, NULL);
	ck_assert_str_eq(two.data, one.data);
	xmlFreeDoc(a);
	xmlFreeDoc(again);
	kb_buf_free(&one);
	kb_buf_free(&two);
}
END_TEST

static Suite *
html_suite(void)
{
	Suite	*s = suite_create("html");
	TCase	*tc = tcase_create("write");

	tcase_add_checked_fixture(tc, NULL, teardown);
	tcase_add_test(tc, text_escapes_markup_characters);
	tcase_add_test(tc, attributes_escape_quotes_and_markup);
	tcase_add_test(tc, url_attributes_are_percent_encoded);
	tcase_add_test(tc, void_elements_have_no_end_tag);
	tcase_add_test(tc, boolean_attributes_are_minimised);
	tcase_add_test(tc, script_and_style_text_is_raw);
	tcase_add_test(tc, comments_are_kept);
	tcase_add_test(tc, hook_writes_elements_it_claims);
	tcase_add_test(tc, start_and_end_tags_alone);
	tcase_add_test(tc, document_round_trips);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tu_main(html_suite());
}
