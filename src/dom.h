/* dom.h: a cmark-gfm tree as libxml2 DOM nodes, without HTML text in between. */
#ifndef KB_DOM_H
#define KB_DOM_H

#include <cmark-gfm.h>
#include <libxml/tree.h>

/*
 * Appends the HTML of the document root under parent.  Elements are built
 * straight from the tree; a top-level block holding raw HTML goes through
 * cmark's HTML renderer (tagfilter applied) and libxml2's parser instead.
 * An element built from a block holds that cmark node in _private (its
 * source lines, for messages); elements from raw HTML carry cmark's
 * data-sourcepos attribute instead.  exts are the parser's extensions.
 * Returns -1 on ENOMEM.
 */
int	 kb_dom_markdown(xmlNodePtr parent, cmark_node *root, cmark_llist *exts);

#endif
