/* site.h: the static HTML site, built as libxml2 DOM trees from the theme's template. */
#ifndef KB_SITE_H
#define KB_SITE_H

#include <stddef.h>

#include "check.h"
#include "model.h"
#include "msg.h"

/* One navigation entry: a document's page, relative to the site root. */
struct kb_nav {
	const char	*url;		/* "sub/x.html" */
	const char	*title;
};

struct kb_site;

/*
 * Loads theme/page.html and prepares to write pages into out.  nav lists
 * every document in navigation order and stays borrowed until kb_site_free.
 * Returns NULL after reporting an error.
 */
struct kb_site	*kb_site_open(const char *theme, const char *out,
		    const char *base_url, const struct kb_nav *nav, size_t nnav,
		    struct kb_diag *);
/*
 * Writes the page of doc, which is nav[self].  Every anchor and link of the
 * page is recorded in check.  Returns -1 after reporting an error.
 */
int		 kb_site_page(struct kb_site *, const struct kb_doc *, size_t self,
		    struct kb_check *);
/* Adds a synonym rule to the static search index, so in-page search expands
 * queries as the command does. */
int		 kb_site_synonym(struct kb_site *, const char *term,
		    const char *expansion);
/*
 * Writes what is not a document page: the theme's assets, search.html,
 * 404.html, sitemap.xml, assets/search-index.js, and a start page when no
 * document was index.md.
 */
int		 kb_site_finish(struct kb_site *, int have_index);
void		 kb_site_free(struct kb_site *);

#endif
