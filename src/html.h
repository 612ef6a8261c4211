/* html.h: writes a libxml2 HTML tree as HTML5 text, every byte escaped. */
#ifndef KB_HTML_H
#define KB_HTML_H

#include <libxml/tree.h>

struct kb_buf;

/*
 * Called for every element before it is written; returns 1 when it wrote
 * the element itself (a part of the page it keeps ready-made), 0 to let
 * the writer go on.
 */
typedef int (*kb_html_hook)(void *ctx, xmlNodePtr, struct kb_buf *);

/* The document: doctype, then the root element and its siblings. */
void	kb_html_doc(struct kb_buf *, xmlDocPtr, kb_html_hook, void *);
/* One node and everything below it. */
void	kb_html_node(struct kb_buf *, xmlNodePtr, kb_html_hook, void *);
/* An element's start tag with its attributes, and its end tag. */
void	kb_html_start_tag(struct kb_buf *, xmlNodePtr);
void	kb_html_end_tag(struct kb_buf *, xmlNodePtr);

#endif
