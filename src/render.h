/* render.h: answers as terminal text, Markdown or JSON. */
#ifndef KB_RENDER_H
#define KB_RENDER_H

#include "buf.h"
#include "search.h"

enum kb_format {
	KB_FORMAT_TEXT,
	KB_FORMAT_MARKDOWN,
	KB_FORMAT_JSON
};

struct kb_render_opts {
	enum kb_format	 format;
	int		 color;		/* ANSI styles (text only) */
	int		 width;		/* wrap column (text only) */
	const char	*link_base;	/* prefix for URLs in text and Markdown, or "" */
};

/* Appends the rendering of res to out; check out->failed afterwards. */
void	 kb_render(struct kb_buf *out, const struct kb_result *,
	    const struct kb_render_opts *);
/* --explain in words (explain.c): features, weights, the decision. */
void	 kb_explain_text(struct kb_buf *, const struct kb_explain *);
/* The same as a JSON object, for scripts/fit-ranking. */
void	 kb_explain_json(struct kb_buf *, const struct kb_explain *);
/* Parses "text", "markdown" or "json"; returns -1 for anything else. */
int	 kb_format_parse(const char *, enum kb_format *);

#endif
