/* check.c: internal link and anchor checking across the whole site. */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "check.h"
#include "strmap.h"

struct pending {
	char	*path;		/* the file, for the message */
	int	 line;
	char	*target;	/* content-relative, or NULL for the same page */
	char	*from;
	char	*anchor;	/* or NULL */
	int	 kind;
};

struct kb_check {
	struct kb_strmap	 targets;	/* "sub/x.md" */
	struct kb_strmap	 anchors;	/* "sub/x.md#id" */
	struct pending		*links;
	size_t			 nlinks;
	size_t			 cap;
};

struct kb_check *
kb_check_new(void)
{
	return calloc(1, sizeof(struct kb_check));
}

void
kb_check_free(struct kb_check *c)
{
	size_t i;

	if (c == NULL)
		return;
	for (i = 0; i < c->nlinks; i++) {
		free(c->links[i].path);
		free(c->links[i].target);
		free(c->links[i].from);
		free(c->links[i].anchor);
	}
	free(c->links);
	kb_strmap_free(&c->targets);
	kb_strmap_free(&c->anchors);
	free(c);
}

int
kb_check_target(struct kb_check *c, const char *rel)
{
	return kb_strmap_put(&c->targets, rel) == NULL ? -1 : 0;
}

int
kb_check_anchor(struct kb_check *c, const char *rel, const char *id)
{
	struct kb_buf	 b = KB_BUF_INIT;
	int		 rc;

	kb_buf_printf(&b, "%s#%s", rel, id);
	rc = (b.failed || kb_strmap_put(&c->anchors, b.data) == NULL) ? -1 : 0;
	kb_buf_free(&b);
	return rc;
}

int
kb_check_link(struct kb_check *c, const char *path, int line,
    const char *from_rel, const struct kb_link *l)
{
	struct pending *p;

	if (l->kind == KB_LINK_EXTERNAL ||
	    (l->kind == KB_LINK_ANCHOR && (l->anchor == NULL || *l->anchor == '\0')))
		return 0;
	if (c->nlinks == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 64;
		void *v = realloc(c->links, cap * sizeof(*c->links));

		if (v == NULL)
			return -1;
		c->links = v;
		c->cap = cap;
	}
	p = &c->links[c->nlinks];
	memset(p, 0, sizeof(*p));
	p->line = line;
	p->kind = (int)l->kind;
	if ((p->path = strdup(path)) == NULL ||
	    (p->from = strdup(from_rel)) == NULL ||
	    (l->target && (p->target = strdup(l->target)) == NULL) ||
	    (l->anchor && *l->anchor && (p->anchor = strdup(l->anchor)) == NULL)) {
		free(p->path);
		free(p->from);
		free(p->target);
		return -1;
	}
	c->nlinks++;
	return 0;
}

size_t
kb_check_run(struct kb_check *c, struct kb_diag *d)
{
	struct kb_buf	 key = KB_BUF_INIT;
	size_t		 i, broken = 0;

	for (i = 0; i < c->nlinks; i++) {
		const struct pending *p = &c->links[i];
		const char *doc = p->target ? p->target : p->from;

		if (p->kind == KB_LINK_ABSOLUTE)
			continue;	/* depends on the web server; not ours to judge */
		if (p->kind == KB_LINK_OUTSIDE) {
			kb_msg(d, KB_WARNING, p->path, p->line,
			    "link leaves the content folder; it will break in the site");
			broken++;
			continue;
		}
		if (kb_strmap_get(&c->targets, doc) == NULL) {
			kb_msg(d, KB_WARNING, p->path, p->line,
			    "broken link: %s does not exist", doc);
			broken++;
			continue;
		}
		if (p->anchor == NULL)
			continue;
		kb_buf_reset(&key);
		kb_buf_printf(&key, "%s#%s", doc, p->anchor);
		if (!key.failed && kb_strmap_get(&c->anchors, key.data) == NULL) {
			kb_msg(d, KB_WARNING, p->path, p->line,
			    "broken link: no anchor '#%s' in %s", p->anchor, doc);
			broken++;
		}
	}
	kb_buf_free(&key);
	return broken;
}
