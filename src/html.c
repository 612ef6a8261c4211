/*
 * html.c: writes a libxml2 HTML tree as HTML5 text.
 *
 * libxml2's own HTML writer looks every element up in a table of HTML 4
 * by name and copies every string it escapes; on a site of a few hundred
 * pages it was the largest single cost of a build.  This writer knows the
 * few things HTML5 serialisation needs (void elements, raw-text elements,
 * boolean attributes, URL attributes) and escapes straight into a kb_buf.
 */
#include <string.h>

#include "buf.h"
#include "html.h"

/* Bytes that need an entity: in text, and in a double-quoted attribute. */
static unsigned char text_special[256], attr_special[256], url_keep[256];

static void
init_tables(void)
{
	static int	 done;
	const char	*p;
	int		 c;

	if (done)
		return;
	text_special['&'] = text_special['<'] = text_special['>'] = 1;
	text_special['\r'] = 1;
	attr_special['&'] = attr_special['"'] = attr_special['<'] = 1;
	attr_special['>'] = attr_special['\n'] = attr_special['\r'] = 1;
	attr_special['\t'] = 1;
	/* What a URL keeps as it is: RFC 3986's unreserved and reserved marks, and '%'. */
	for (c = 0; c < 256; c++)
		url_keep[c] = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9');
	for (p = "-_.!~*'()@/:=?;#%&,+$[]"; *p; p++)
		url_keep[(unsigned char)*p] = 1;
	done = 1;
}

static const char *
entity(unsigned char c)
{
	switch (c) {
	case '&':	return "&amp;";
	case '<':	return "&lt;";
	case '>':	return "&gt;";
	case '"':	return "&quot;";
	case '\n':	return "&#10;";
	case '\r':	return "&#13;";
	case '\t':	return "&#9;";
	default:	return "";
	}
}

/* Appends s, replacing the bytes marked in special with their entities. */
static void
escape(struct kb_buf *b, const char *s, const unsigned char *special)
{
	const char *run = s;

	for (; *s != '\0'; s++) {
		if (!special[(unsigned char)*s])
			continue;
		kb_buf_add(b, run, (size_t)(s - run));
		kb_buf_puts(b, entity((unsigned char)*s));
		run = s + 1;
	}
	kb_buf_add(b, run, (size_t)(s - run));
}

/* A URL: percent-encodes what may not stand in one (space, quotes, non-ASCII). */
static void
escape_url(struct kb_buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	const char *run;

	while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
		s++;
	for (run = s; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;
		char pct[3];

		if (url_keep[c] && !attr_special[c])
			continue;
		kb_buf_add(b, run, (size_t)(s - run));
		run = s + 1;
		if (url_keep[c]) {		/* '&' between parameters */
			kb_buf_puts(b, entity(c));
			continue;
		}
		pct[0] = '%';
		pct[1] = hex[c >> 4];
		pct[2] = hex[c & 15];
		kb_buf_add(b, pct, 3);
	}
	kb_buf_add(b, run, (size_t)(s - run));
}

static int
name_in(const xmlChar *name, const char *const *list)
{
	/* The first byte rules out most names without a call. */
	for (; *list != NULL; list++)
		if ((*list)[0] == (char)name[0] && strcmp((const char *)name, *list) == 0)
			return 1;
	return 0;
}

/* Elements without content or end tag. */
static int
is_void(const xmlChar *name)
{
	static const char *const names[] = {
		"area", "base", "basefont", "bgsound", "br", "col", "embed",
		"frame", "hr", "img", "input", "keygen", "link", "meta", "param",
		"source", "track", "wbr", NULL
	};

	return name_in(name, names);
}

/* Elements whose text is written as it is: a script's "<" is not markup. */
static int
is_raw_text(const xmlChar *name)
{
	static const char *const names[] = { "script", "style", NULL };

	return name_in(name, names);
}

/* Attributes whose presence is their value: written as the name alone. */
static int
is_boolean(const xmlChar *name)
{
	static const char *const names[] = {
		"checked", "compact", "declare", "defer", "disabled", "ismap",
		"multiple", "nohref", "noresize", "noshade", "nowrap", "readonly",
		"selected", NULL
	};

	return name_in(name, names);
}

static int
is_url(const xmlChar *attr, const xmlChar *element)
{
	static const char *const names[] = { "href", "src", "action", NULL };

	return name_in(attr, names) ||
	    (strcmp((const char *)attr, "name") == 0 &&
	    strcmp((const char *)element, "a") == 0);
}

static void
put_name(struct kb_buf *b, const xmlChar *name, const xmlNs *ns)
{
	if (ns != NULL && ns->prefix != NULL) {
		kb_buf_puts(b, (const char *)ns->prefix);
		kb_buf_putc(b, ':');
	}
	kb_buf_puts(b, (const char *)name);
}

static void
put_attr(struct kb_buf *b, const xmlAttr *a, const xmlChar *element)
{
	const xmlNode *v;

	kb_buf_putc(b, ' ');
	put_name(b, a->name, a->ns);
	if (is_boolean(a->name))
		return;
	kb_buf_puts(b, "=\"");
	for (v = a->children; v != NULL; v = v->next) {
		if (v->type != XML_TEXT_NODE || v->content == NULL)
			continue;
		if (is_url(a->name, element))
			escape_url(b, (const char *)v->content);
		else
			escape(b, (const char *)v->content, attr_special);
	}
	kb_buf_putc(b, '"');
}

void
kb_html_start_tag(struct kb_buf *b, xmlNodePtr n)
{
	const xmlAttr *a;

	init_tables();
	kb_buf_putc(b, '<');
	put_name(b, n->name, n->ns);
	for (a = n->properties; a != NULL; a = a->next)
		put_attr(b, a, n->name);
	kb_buf_putc(b, '>');
}

void
kb_html_end_tag(struct kb_buf *b, xmlNodePtr n)
{
	if (is_void(n->name))
		return;
	kb_buf_puts(b, "</");
	put_name(b, n->name, n->ns);
	kb_buf_putc(b, '>');
}

void
kb_html_node(struct kb_buf *b, xmlNodePtr n, kb_html_hook hook, void *ctx)
{
	xmlNodePtr c;

	init_tables();
	switch (n->type) {
	case XML_ELEMENT_NODE:
		if (hook != NULL && hook(ctx, n, b))
			return;
		kb_html_start_tag(b, n);
		if (is_void(n->name))
			return;
		for (c = n->children; c != NULL; c = c->next)
			kb_html_node(b, c, hook, ctx);
		kb_buf_puts(b, "</");
		put_name(b, n->name, n->ns);
		kb_buf_putc(b, '>');
		return;
	case XML_TEXT_NODE:
	case XML_CDATA_SECTION_NODE:
		if (n->content == NULL)
			return;
		if (n->parent != NULL && n->parent->type == XML_ELEMENT_NODE &&
		    is_raw_text(n->parent->name))
			kb_buf_puts(b, (const char *)n->content);
		else
			escape(b, (const char *)n->content, text_special);
		return;
	case XML_COMMENT_NODE:
		if (n->content == NULL)
			return;
		kb_buf_puts(b, "<!--");
		kb_buf_puts(b, (const char *)n->content);
		kb_buf_puts(b, "-->");
		return;
	case XML_ENTITY_REF_NODE:
		kb_buf_putc(b, '&');
		kb_buf_puts(b, (const char *)n->name);
		kb_buf_putc(b, ';');
		return;
	default:		/* declarations, processing instructions: not HTML5 */
		return;
	}
}

void
kb_html_doc(struct kb_buf *b, xmlDocPtr doc, kb_html_hook hook, void *ctx)
{
	xmlNodePtr n;

	kb_buf_puts(b, "<!DOCTYPE html>\n");
	for (n = doc->children; n != NULL; n = n->next) {
		if (n->type == XML_DTD_NODE)
			continue;
		kb_html_node(b, n, hook, ctx);
		kb_buf_putc(b, '\n');
	}
}
