/* dom.c: builds the page content's DOM from the cmark-gfm tree. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm-extension_api.h>
#include <libxml/HTMLparser.h>

#include "dom.h"

#define HTML_OPTS (HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET)

struct dom {
	xmlDocPtr	 doc;
	cmark_llist	*exts;
	int		 failed;
};

static xmlNodePtr
el(struct dom *m, xmlNodePtr parent, const char *name)
{
	xmlNodePtr n = xmlNewDocNode(m->doc, NULL, BAD_CAST name, NULL);

	if (n == NULL || xmlAddChild(parent, n) == NULL) {
		xmlFreeNode(n);
		m->failed = 1;
		return NULL;
	}
	return n;
}

static void
text(struct dom *m, xmlNodePtr parent, const char *s)
{
	xmlNodePtr t;

	if (parent == NULL || s == NULL)
		return;
	if ((t = xmlNewDocText(m->doc, BAD_CAST s)) == NULL ||
	    xmlAddChild(parent, t) == NULL) {
		xmlFreeNode(t);
		m->failed = 1;
	}
}

static void
attr(struct dom *m, xmlNodePtr n, const char *name, const char *value)
{
	if (n != NULL && value != NULL && xmlSetProp(n, BAD_CAST name,
	    BAD_CAST value) == NULL)
		m->failed = 1;
}

/*
 * An element built from a cmark block keeps that block in _private, the
 * field libxml2 leaves to applications: the page reads the block's source
 * lines from it for messages.  Elements of raw HTML have none; cmark's
 * renderer gives them data-sourcepos instead.
 */
static void
mark_source(xmlNodePtr n, cmark_node *c)
{
	if (n != NULL)
		n->_private = c;
}

static int
is_type(cmark_node *n, const char *name)
{
	return strcmp(cmark_node_get_type_string(n), name) == 0;
}

/* Does the block hold raw HTML anywhere? */
static int
has_raw_html(cmark_node *n)
{
	cmark_iter		*it = cmark_iter_new(n);
	cmark_event_type	 ev;
	int			 found = 0;

	if (it == NULL)
		return 1;	/* the careful path */
	while (!found && (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node_type t = cmark_node_get_type(cmark_iter_get_node(it));

		found = t == CMARK_NODE_HTML_BLOCK || t == CMARK_NODE_HTML_INLINE;
	}
	cmark_iter_free(it);
	return found;
}

static xmlNodePtr
child_named(xmlNodePtr n, const char *name)
{
	for (n = n ? n->children : NULL; n != NULL; n = n->next)
		if (n->type == XML_ELEMENT_NODE &&
		    xmlStrcasecmp(n->name, BAD_CAST name) == 0)
			return n;
	return NULL;
}

/* A block with raw HTML: cmark renders it (tagfilter applies), libxml2 parses it. */
static void
raw_block(struct dom *m, xmlNodePtr parent, cmark_node *n)
{
	static const char head[] = "<!DOCTYPE html><html><body><div>";
	static const char tail[] = "</div></body></html>";
	char		*html, *wrapped = NULL;
	htmlDocPtr	 frag = NULL;
	xmlNodePtr	 div, copy;
	size_t		 len;

	html = cmark_render_html(n, CMARK_OPT_UNSAFE | CMARK_OPT_SOURCEPOS, m->exts);
	if (html == NULL)
		goto fail;
	len = strlen(html);
	if ((wrapped = malloc(sizeof(head) + len + sizeof(tail))) == NULL)
		goto fail;
	memcpy(wrapped, head, sizeof(head) - 1);
	memcpy(wrapped + sizeof(head) - 1, html, len);
	memcpy(wrapped + sizeof(head) - 1 + len, tail, sizeof(tail));
	len += sizeof(head) - 1 + sizeof(tail) - 1;
	if (len > INT32_MAX ||
	    (frag = htmlReadMemory(wrapped, (int)len, NULL, "UTF-8", HTML_OPTS)) == NULL)
		goto fail;
	div = child_named(child_named(xmlDocGetRootElement(frag) ?
	    (xmlNodePtr)frag : NULL, "html"), "body");
	div = child_named(div, "div");
	if (div != NULL && div->children != NULL) {
		if ((copy = xmlDocCopyNodeList(m->doc, div->children)) == NULL)
			goto fail;
		xmlAddChildList(parent, copy);
	}
	goto out;
fail:
	m->failed = 1;
out:
	if (frag != NULL)
		xmlFreeDoc(frag);
	free(wrapped);
	free(html);
}

/* Is n a paragraph of a tight list item, which HTML writes without <p>? */
static int
tight_paragraph(cmark_node *n)
{
	cmark_node *item = cmark_node_parent(n), *list;

	if (item == NULL || cmark_node_get_type(item) != CMARK_NODE_ITEM)
		return 0;
	list = cmark_node_parent(item);
	return list != NULL && cmark_node_get_list_tight(list);
}

/* The plain text under n, for an image's alt text. */
static void
plain(struct dom *m, cmark_node *n, xmlBufferPtr out)
{
	cmark_node *c;

	for (c = cmark_node_first_child(n); c; c = cmark_node_next(c)) {
		const char *lit = cmark_node_get_literal(c);

		if ((cmark_node_get_type(c) == CMARK_NODE_TEXT ||
		    cmark_node_get_type(c) == CMARK_NODE_CODE) && lit != NULL)
			xmlBufferCat(out, BAD_CAST lit);
		else if (cmark_node_get_type(c) == CMARK_NODE_SOFTBREAK ||
		    cmark_node_get_type(c) == CMARK_NODE_LINEBREAK)
			xmlBufferCat(out, BAD_CAST " ");
		else
			plain(m, c, out);
	}
}

static void build(struct dom *, xmlNodePtr, cmark_node *);

static void
children(struct dom *m, xmlNodePtr parent, cmark_node *n)
{
	cmark_node *c;

	for (c = cmark_node_first_child(n); c && !m->failed; c = cmark_node_next(c))
		build(m, parent, c);
}

/* A table row: header cells are th, the rest td, with cmark's alignment. */
static void
table_row(struct dom *m, xmlNodePtr tr, cmark_node *row, cmark_node *table)
{
	const uint8_t	*align = cmark_gfm_extensions_get_table_alignments(table);
	uint16_t	 ncols = cmark_gfm_extensions_get_table_columns(table), i = 0;
	int		 head = cmark_gfm_extensions_get_table_row_is_header(row);
	cmark_node	*cell;

	for (cell = cmark_node_first_child(row); cell && !m->failed;
	    cell = cmark_node_next(cell), i++) {
		xmlNodePtr td = el(m, tr, head ? "th" : "td");

		mark_source(td, cell);
		if (align != NULL && i < ncols) {
			if (align[i] == 'l')
				attr(m, td, "align", "left");
			else if (align[i] == 'c')
				attr(m, td, "align", "center");
			else if (align[i] == 'r')
				attr(m, td, "align", "right");
		}
		children(m, td, cell);
		text(m, tr, "\n");
	}
}

static void
table(struct dom *m, xmlNodePtr parent, cmark_node *n)
{
	xmlNodePtr	 t = el(m, parent, "table"), sect = NULL, tr;
	cmark_node	*row;

	mark_source(t, n);
	text(m, t, "\n");
	for (row = cmark_node_first_child(n); row && !m->failed; row = cmark_node_next(row)) {
		int head = cmark_gfm_extensions_get_table_row_is_header(row);

		if (sect == NULL || (!head && xmlStrcmp(sect->name, BAD_CAST "thead") == 0)) {
			if (sect != NULL)
				text(m, t, "\n");
			sect = el(m, t, head ? "thead" : "tbody");
			text(m, sect, "\n");
		}
		tr = el(m, sect, "tr");
		mark_source(tr, row);
		text(m, tr, "\n");
		table_row(m, tr, row, n);
		text(m, sect, "\n");
	}
	if (sect != NULL)
		text(m, t, "\n");
	text(m, parent, "\n");
}

static void
build(struct dom *m, xmlNodePtr parent, cmark_node *n)
{
	xmlNodePtr	 e;
	const char	*s;
	char		 name[4];

	switch (cmark_node_get_type(n)) {
	case CMARK_NODE_BLOCK_QUOTE:
		e = el(m, parent, "blockquote");
		mark_source(e, n);
		text(m, e, "\n");
		children(m, e, n);
		text(m, parent, "\n");
		return;
	case CMARK_NODE_LIST:
		e = el(m, parent, cmark_node_get_list_type(n) == CMARK_ORDERED_LIST ?
		    "ol" : "ul");
		mark_source(e, n);
		if (cmark_node_get_list_type(n) == CMARK_ORDERED_LIST &&
		    cmark_node_get_list_start(n) != 1) {
			char start[16];

			snprintf(start, sizeof(start), "%d", cmark_node_get_list_start(n));
			attr(m, e, "start", start);
		}
		text(m, e, "\n");
		children(m, e, n);
		text(m, parent, "\n");
		return;
	case CMARK_NODE_ITEM:
		e = el(m, parent, "li");
		mark_source(e, n);
		if (is_type(n, "tasklist")) {
			xmlNodePtr box = el(m, e, "input");

			attr(m, box, "type", "checkbox");
			if (cmark_gfm_extensions_get_tasklist_item_checked(n))
				attr(m, box, "checked", "");
			attr(m, box, "disabled", "");
			text(m, e, " ");
		}
		children(m, e, n);
		text(m, parent, "\n");
		return;
	case CMARK_NODE_HEADING:
		snprintf(name, sizeof(name), "h%d", cmark_node_get_heading_level(n));
		e = el(m, parent, name);
		mark_source(e, n);
		children(m, e, n);
		text(m, parent, "\n");
		return;
	case CMARK_NODE_CODE_BLOCK: {
		const char *info = cmark_node_get_fence_info(n);
		xmlNodePtr code;

		e = el(m, parent, "pre");
		mark_source(e, n);
		code = el(m, e, "code");
		if (info != NULL && *info != '\0') {
			char lang[80];
			size_t k = 0;

			memcpy(lang, "language-", 9);
			while (info[k] && info[k] != ' ' && info[k] != '\t' && k < 70) {
				lang[9 + k] = info[k];
				k++;
			}
			lang[9 + k] = '\0';
			attr(m, code, "class", lang);
		}
		text(m, code, cmark_node_get_literal(n));
		text(m, parent, "\n");
		return;
	}
	case CMARK_NODE_THEMATIC_BREAK:
		e = el(m, parent, "hr");
		mark_source(e, n);
		text(m, parent, "\n");
		return;
	case CMARK_NODE_PARAGRAPH:
		if (tight_paragraph(n)) {
			children(m, parent, n);
			return;
		}
		e = el(m, parent, "p");
		mark_source(e, n);
		children(m, e, n);
		text(m, parent, "\n");
		return;
	case CMARK_NODE_TEXT:
		text(m, parent, cmark_node_get_literal(n));
		return;
	case CMARK_NODE_SOFTBREAK:
		text(m, parent, "\n");
		return;
	case CMARK_NODE_LINEBREAK:
		el(m, parent, "br");
		text(m, parent, "\n");
		return;
	case CMARK_NODE_CODE:
		text(m, el(m, parent, "code"), cmark_node_get_literal(n));
		return;
	case CMARK_NODE_EMPH:
		children(m, el(m, parent, "em"), n);
		return;
	case CMARK_NODE_STRONG:
		children(m, el(m, parent, "strong"), n);
		return;
	case CMARK_NODE_LINK:
		e = el(m, parent, "a");
		attr(m, e, "href", cmark_node_get_url(n));
		if ((s = cmark_node_get_title(n)) != NULL && *s != '\0')
			attr(m, e, "title", s);
		children(m, e, n);
		return;
	case CMARK_NODE_IMAGE: {
		xmlBufferPtr alt = xmlBufferCreate();

		e = el(m, parent, "img");
		attr(m, e, "src", cmark_node_get_url(n));
		if (alt != NULL) {
			plain(m, n, alt);
			attr(m, e, "alt", (const char *)xmlBufferContent(alt));
			xmlBufferFree(alt);
		} else
			m->failed = 1;
		if ((s = cmark_node_get_title(n)) != NULL && *s != '\0')
			attr(m, e, "title", s);
		return;
	}
	case CMARK_NODE_HTML_BLOCK:
	case CMARK_NODE_HTML_INLINE:
		raw_block(m, parent, n);	/* only reached below a raw top-level block */
		return;
	default:
		break;
	}
	if (is_type(n, "table"))
		table(m, parent, n);
	else if (is_type(n, "strikethrough"))
		children(m, el(m, parent, "del"), n);
	else
		raw_block(m, parent, n);	/* a kind of node this file does not know */
}

int
kb_dom_markdown(xmlNodePtr parent, cmark_node *root, cmark_llist *exts)
{
	struct dom	 m = { parent->doc, exts, 0 };
	cmark_node	*n;

	for (n = cmark_node_first_child(root); n && !m.failed; n = cmark_node_next(n)) {
		if (has_raw_html(n))
			raw_block(&m, parent, n);
		else
			build(&m, parent, n);
	}
	return m.failed ? -1 : 0;
}
