/* build.h: `apigw-kb build`: content folder in, site folder with its index out. */
#ifndef KB_BUILD_H
#define KB_BUILD_H

#include "msg.h"

struct kb_build_opts {
	const char	*content;	/* folder of Markdown documents */
	const char	*synonyms;	/* synonyms file, or NULL to look beside content */
	const char	*model;		/* ranking model, or NULL to look beside content */
	const char	*default_model;	/* the one that came with the program, or NULL */
	const char	*theme;		/* folder with page.html and assets/ */
	const char	*out;		/* the site folder to replace */
	const char	*base_url;	/* for sitemap.xml */
	int		 strict;	/* warnings fail the build */
	int		 lint;		/* also warn about topics without the answer parts */
	int		 dry_run;	/* check only: build into a temporary folder, then drop it */
};

struct kb_build_stats {
	size_t	 documents;
	size_t	 topics;
	size_t	 broken_links;
};

/*
 * Builds the site beside opts->out and swaps it in only when everything
 * succeeded, so a failed build leaves the previous site as it was.
 * Returns 0 on success, -1 after reporting errors through diag.
 */
int	 kb_build(const struct kb_build_opts *, struct kb_diag *,
	    struct kb_build_stats *);

#endif
