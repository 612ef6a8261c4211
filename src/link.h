/* link.h: what a link in a document points at, and its href in the site. */
#ifndef KB_LINK_H
#define KB_LINK_H

enum kb_link_kind {
	KB_LINK_EXTERNAL,	/* has a scheme, or starts with "//" */
	KB_LINK_ABSOLUTE,	/* "/path": depends on where the site is hosted */
	KB_LINK_ANCHOR,		/* "#x" within the same page */
	KB_LINK_DOC,		/* another Markdown document, maybe with "#x" */
	KB_LINK_FILE,		/* another local file (image, attachment) */
	KB_LINK_OUTSIDE		/* a relative path that leaves the content folder */
};

struct kb_link {
	enum kb_link_kind	 kind;
	char			*target;	/* content-relative path, decoded; or NULL */
	char			*anchor;	/* decoded fragment, or NULL */
	char			*href;		/* the href to write in the site */
};

/*
 * Parses href as written in the document at from_rel ("sub/a.md").
 * Links to "x.md" are rewritten to "x.html", keeping the fragment.
 * Returns -1 on ENOMEM only.
 */
int	 kb_link_parse(const char *from_rel, const char *href, struct kb_link *);
void	 kb_link_free(struct kb_link *);

/* Percent-decodes s (caller frees). */
char	*kb_url_decode(const char *s, size_t n);

#endif
