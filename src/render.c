/* render.c: the three output formats of an answer. */
#include <string.h>

#include "json.h"
#include "render.h"
#include "text.h"

#define BOLD(o)  ((o)->color ? "\033[1m" : "")
#define DIM(o)   ((o)->color ? "\033[2m" : "")
#define TITLE(o) ((o)->color ? "\033[1;36m" : "")
#define RESET(o) ((o)->color ? "\033[0m" : "")

int
kb_format_parse(const char *s, enum kb_format *f)
{
	if (strcmp(s, "text") == 0)
		*f = KB_FORMAT_TEXT;
	else if (strcmp(s, "markdown") == 0 || strcmp(s, "md") == 0)
		*f = KB_FORMAT_MARKDOWN;
	else if (strcmp(s, "json") == 0)
		*f = KB_FORMAT_JSON;
	else
		return -1;
	return 0;
}

/* Appends s without control characters, so content cannot drive the terminal. */
static void
put_clean(struct kb_buf *b, const char *s, size_t n)
{
	size_t i, start = 0;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if ((c < 0x20 && c != '\n') || c == 0x7f) {
			kb_buf_add(b, s + start, i - start);
			if (c == '\t')
				kb_buf_puts(b, "    ");
			start = i + 1;
		}
	}
	kb_buf_add(b, s + start, n - start);
}

/* Display width of UTF-8 text, counting each code point as one column. */
static size_t
columns(const char *s, size_t n)
{
	size_t i, w = 0;

	for (i = 0; i < n; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			w++;
	return w;
}

/* Wraps one paragraph at width: the first line starts with first, the rest with indent. */
static void
wrap(struct kb_buf *b, const char *s, size_t n, const char *first,
    const char *indent, int width)
{
	const char	*p = s, *end = s + n;
	size_t		 col = 0, ind = strlen(indent);
	size_t		 max = width > (int)ind + 20 ? (size_t)width - ind : 20;

	kb_buf_puts(b, first);
	while (p < end) {
		const char *w = p;
		size_t wn, ww;

		while (w < end && *w != ' ')
			w++;
		wn = (size_t)(w - p);
		ww = columns(p, wn);
		if (col > 0 && col + 1 + ww > max) {
			kb_buf_putc(b, '\n');
			kb_buf_puts(b, indent);
			col = 0;
		} else if (col > 0) {
			kb_buf_putc(b, ' ');
			col++;
		}
		put_clean(b, p, wn);
		col += ww;
		p = w;
		while (p < end && *p == ' ')
			p++;
	}
	kb_buf_putc(b, '\n');
}

/* Wraps text made of paragraphs ("\n\n") and list lines ("- "). */
static void
wrap_text(struct kb_buf *b, const char *text, const char *indent, int width)
{
	const char *p = text;

	while (*p != '\0') {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);

		if (n > 1 && p[0] == '-' && p[1] == ' ') {
			struct kb_buf first = KB_BUF_INIT, rest = KB_BUF_INIT;

			kb_buf_printf(&first, "%s- ", indent);
			kb_buf_printf(&rest, "%s  ", indent);
			if (!first.failed && !rest.failed)
				wrap(b, p + 2, n - 2, first.data, rest.data, width);
			kb_buf_free(&first);
			kb_buf_free(&rest);
		} else if (n > 0)
			wrap(b, p, n, indent, indent, width);
		else if (p != text)
			kb_buf_putc(b, '\n');
		p += n;
		if (*p == '\n')
			p++;
	}
}

static void
text_items(struct kb_buf *b, const char *head, const struct kb_item *v, size_t n,
    const struct kb_render_opts *o)
{
	size_t i;

	if (n == 0)
		return;
	kb_buf_printf(b, "\n  %s%s%s\n", BOLD(o), head, RESET(o));
	for (i = 0; i < n; i++) {
		wrap(b, v[i].text, strlen(v[i].text), "    - ", "      ", o->width);
		kb_buf_printf(b, "      %s", DIM(o));
		put_clean(b, o->link_base, strlen(o->link_base));
		put_clean(b, v[i].url, strlen(v[i].url));
		kb_buf_printf(b, "%s\n", RESET(o));
	}
}

static void
render_text(struct kb_buf *b, const struct kb_result *r, const struct kb_render_opts *o)
{
	size_t i, k;

	if (r->corrected != NULL && r->nanswers > 0) {
		kb_buf_puts(b, "Showing answers for: ");
		put_clean(b, r->corrected, strlen(r->corrected));
		kb_buf_puts(b, "\n\n");
	}
	for (i = 0; i < r->nanswers; i++) {
		const struct kb_answer *a = &r->answers[i];

		if (i > 0)
			kb_buf_putc(b, '\n');
		kb_buf_printf(b, "%s%d. ", TITLE(o), a->rank);
		put_clean(b, a->title, strlen(a->title));
		kb_buf_printf(b, "%s  %s(", RESET(o), DIM(o));
		put_clean(b, a->doc, strlen(a->doc));
		kb_buf_printf(b, ", score %.2f)%s\n   %s", a->score, RESET(o), DIM(o));
		put_clean(b, o->link_base, strlen(o->link_base));
		put_clean(b, a->url, strlen(a->url));
		kb_buf_printf(b, "%s\n", RESET(o));
		if (a->direct.text != NULL) {
			kb_buf_printf(b, "\n  %sAnswer%s\n", BOLD(o), RESET(o));
			wrap(b, a->direct.text, strlen(a->direct.text), "    ",
			    "    ", o->width);
			if (strcmp(a->direct.url, a->url) != 0) {
				kb_buf_printf(b, "    %s", DIM(o));
				put_clean(b, o->link_base, strlen(o->link_base));
				put_clean(b, a->direct.url, strlen(a->direct.url));
				kb_buf_printf(b, "%s\n", RESET(o));
			}
		}
		if (*a->recommendation != '\0') {
			kb_buf_printf(b, "\n  %sRecommendation%s\n", BOLD(o), RESET(o));
			wrap_text(b, a->recommendation, "    ", o->width);
		}
		for (k = 0; k < a->nconfiguration; k++) {
			const struct kb_code_block *c = &a->configuration[k];
			const char *p = c->code;

			kb_buf_printf(b, "\n  %sConfiguration%s %s(%s)%s\n", BOLD(o),
			    RESET(o), DIM(o), c->flavor, RESET(o));
			while (*p != '\0') {
				const char *nl = strchr(p, '\n');
				size_t n = nl ? (size_t)(nl - p) : strlen(p);

				kb_buf_puts(b, "    ");
				put_clean(b, p, n);
				kb_buf_putc(b, '\n');
				p += n + (nl != NULL);
			}
		}
		text_items(b, "Pitfalls", a->pitfalls, a->npitfalls, o);
		text_items(b, "Limits", a->limits, a->nlimits, o);
	}
	if (r->nanswers == 0) {
		kb_buf_puts(b, "No answer in the knowledge base for: ");
		put_clean(b, r->query ? r->query : "", r->query ? strlen(r->query) : 0);
		kb_buf_putc(b, '\n');
		for (i = 0; i < r->nsuggestions; i++) {
			kb_buf_puts(b, i == 0 ? "Try: " : "     ");
			put_clean(b, r->suggestions[i], strlen(r->suggestions[i]));
			kb_buf_putc(b, '\n');
		}
	}
	if (r->explain != NULL)
		kb_explain_text(b, r->explain);
}

/* A fence longer than any run of backticks inside the code. */
static void
md_fence(struct kb_buf *b, const char *code)
{
	size_t run = 0, longest = 0, i;

	for (; *code; code++) {
		run = *code == '`' ? run + 1 : 0;
		if (run > longest)
			longest = run;
	}
	for (i = 0; i < (longest < 3 ? 3 : longest + 1); i++)
		kb_buf_putc(b, '`');
}

static void
md_items(struct kb_buf *b, const char *head, const struct kb_item *v, size_t n,
    const char *base)
{
	size_t i;

	if (n == 0)
		return;
	kb_buf_printf(b, "\n**%s**\n\n", head);
	for (i = 0; i < n; i++) {
		kb_buf_puts(b, "- ");
		put_clean(b, v[i].text, strlen(v[i].text));
		kb_buf_puts(b, " ([source](");
		put_clean(b, base, strlen(base));
		put_clean(b, v[i].url, strlen(v[i].url));
		kb_buf_puts(b, "))\n");
	}
}

static void
render_markdown(struct kb_buf *b, const struct kb_result *r, const char *base)
{
	size_t i, k;

	kb_buf_puts(b, "# ");
	put_clean(b, r->query ? r->query : "", r->query ? strlen(r->query) : 0);
	kb_buf_puts(b, "\n");
	if (r->corrected != NULL && r->nanswers > 0) {
		kb_buf_puts(b, "\nShowing answers for: *");
		put_clean(b, r->corrected, strlen(r->corrected));
		kb_buf_puts(b, "*\n");
	}
	for (i = 0; i < r->nanswers; i++) {
		const struct kb_answer *a = &r->answers[i];

		kb_buf_printf(b, "\n## %d. ", a->rank);
		put_clean(b, a->title, strlen(a->title));
		kb_buf_puts(b, "\n\n[");
		put_clean(b, a->url, strlen(a->url));
		kb_buf_puts(b, "](");
		put_clean(b, base, strlen(base));
		put_clean(b, a->url, strlen(a->url));
		kb_buf_puts(b, ")\n");
		if (a->direct.text != NULL) {
			kb_buf_puts(b, "\n> ");
			put_clean(b, a->direct.text, strlen(a->direct.text));
			kb_buf_puts(b, " ([source](");
			put_clean(b, base, strlen(base));
			put_clean(b, a->direct.url, strlen(a->direct.url));
			kb_buf_puts(b, "))\n");
		}
		if (*a->recommendation != '\0') {
			kb_buf_puts(b, "\n**Recommendation**\n\n");
			put_clean(b, a->recommendation, strlen(a->recommendation));
			kb_buf_putc(b, '\n');
		}
		if (a->nconfiguration > 0)
			kb_buf_puts(b, "\n**Configuration**\n");
		for (k = 0; k < a->nconfiguration; k++) {
			const struct kb_code_block *c = &a->configuration[k];
			size_t n = strlen(c->code);

			kb_buf_putc(b, '\n');
			md_fence(b, c->code);
			put_clean(b, c->language, strlen(c->language));
			kb_buf_putc(b, '\n');
			put_clean(b, c->code, n);
			if (n > 0 && c->code[n - 1] != '\n')
				kb_buf_putc(b, '\n');
			md_fence(b, c->code);
			kb_buf_putc(b, '\n');
		}
		md_items(b, "Pitfalls", a->pitfalls, a->npitfalls, base);
		md_items(b, "Limits", a->limits, a->nlimits, base);
	}
	if (r->nanswers == 0) {
		kb_buf_puts(b, "\nNo answer in the knowledge base.\n");
		for (i = 0; i < r->nsuggestions; i++) {
			kb_buf_puts(b, i == 0 ? "\nTry:\n\n- " : "- ");
			put_clean(b, r->suggestions[i], strlen(r->suggestions[i]));
			kb_buf_putc(b, '\n');
		}
	}
	if (r->explain != NULL) {
		kb_buf_puts(b, "\n```\n");
		kb_explain_text(b, r->explain);
		kb_buf_puts(b, "```\n");
	}
}

static void
json_items(struct kb_buf *b, const char *key, const struct kb_item *v, size_t n)
{
	size_t i;

	kb_buf_printf(b, ",\n      \"%s\": [", key);
	for (i = 0; i < n; i++) {
		kb_buf_puts(b, i ? ",\n        {\"text\": " : "\n        {\"text\": ");
		kb_json_str(b, v[i].text);
		kb_buf_puts(b, ", \"url\": ");
		kb_json_str(b, v[i].url);
		kb_buf_putc(b, '}');
	}
	kb_buf_puts(b, n ? "\n      ]" : "]");
}

static void
render_json(struct kb_buf *b, const struct kb_result *r)
{
	size_t i, k;

	kb_buf_puts(b, "{\n  \"query\": ");
	kb_json_str(b, r->query);
	kb_buf_puts(b, ",\n  \"iac\": ");
	kb_json_str(b, r->iac);
	kb_buf_puts(b, ",\n  \"answers\": [");
	for (i = 0; i < r->nanswers; i++) {
		const struct kb_answer *a = &r->answers[i];

		kb_buf_printf(b, "%s\n    {\n      \"rank\": %d,\n      \"score\": %.2f",
		    i ? "," : "", a->rank, a->score);
		kb_buf_puts(b, ",\n      \"doc\": ");
		kb_json_str(b, a->doc);
		kb_buf_puts(b, ",\n      \"anchor\": ");
		kb_json_str(b, a->anchor);
		kb_buf_puts(b, ",\n      \"title\": ");
		kb_json_str(b, a->title);
		kb_buf_puts(b, ",\n      \"url\": ");
		kb_json_str(b, a->url);
		if (a->direct.text != NULL) {
			kb_buf_puts(b, ",\n      \"direct\": {\"text\": ");
			kb_json_str(b, a->direct.text);
			kb_buf_puts(b, ", \"url\": ");
			kb_json_str(b, a->direct.url);
			kb_buf_putc(b, '}');
		}
		kb_buf_puts(b, ",\n      \"recommendation\": ");
		kb_json_str(b, a->recommendation);
		kb_buf_puts(b, ",\n      \"configuration\": [");
		for (k = 0; k < a->nconfiguration; k++) {
			const struct kb_code_block *c = &a->configuration[k];

			kb_buf_puts(b, k ? ",\n        {\"flavor\": " : "\n        {\"flavor\": ");
			kb_json_str(b, c->flavor);
			kb_buf_puts(b, ", \"language\": ");
			kb_json_str(b, c->language);
			kb_buf_puts(b, ", \"code\": ");
			kb_json_str(b, c->code);
			kb_buf_putc(b, '}');
		}
		kb_buf_puts(b, a->nconfiguration ? "\n      ]" : "]");
		json_items(b, "pitfalls", a->pitfalls, a->npitfalls);
		json_items(b, "limits", a->limits, a->nlimits);
		kb_buf_puts(b, "\n    }");
	}
	kb_buf_puts(b, r->nanswers ? "\n  ],\n  \"suggestions\": [" :
	    "],\n  \"suggestions\": [");
	for (i = 0; i < r->nsuggestions; i++) {
		if (i > 0)
			kb_buf_puts(b, ", ");
		kb_json_str(b, r->suggestions[i]);
	}
	kb_buf_putc(b, ']');
	if (r->explain != NULL) {
		kb_buf_puts(b, ",\n  \"explain\": ");
		kb_explain_json(b, r->explain);
	}
	kb_buf_puts(b, "\n}\n");
}

void
kb_render(struct kb_buf *out, const struct kb_result *r,
    const struct kb_render_opts *o)
{
	switch (o->format) {
	case KB_FORMAT_TEXT:
		render_text(out, r, o);
		break;
	case KB_FORMAT_MARKDOWN:
		render_markdown(out, r, o->link_base);
		break;
	case KB_FORMAT_JSON:
		render_json(out, r);
		break;
	}
}
