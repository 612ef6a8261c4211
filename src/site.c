/* site.c: fills the theme's page template as a DOM for every document. */
#define _GNU_SOURCE		/* memmem */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cmark-gfm-extension_api.h>
#include <libxml/HTMLparser.h>
#include <libxml/xmlwriter.h>

#include "buf.h"
#include "dom.h"
#include "fs.h"
#include "html.h"
#include "json.h"
#include "link.h"
#include "site.h"

#define HTML_OPTS (HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET)
#define SNIPPET_MAX 800

struct kb_site {
	struct kb_diag		*diag;
	char			*theme;
	char			*out;
	char			*base_url;
	htmlDocPtr		 tpl;
	char			*site_name;
	const struct kb_nav	*nav;
	size_t			 nnav;
	struct kb_buf		 index;		/* JSON array body of topics */
	struct kb_buf		 synonyms;	/* JSON object body: term -> [expansions] */
	char			*last_term;
	size_t			 nindexed;
	struct shell		*shells;	/* page documents, one per folder depth */
	size_t			 nshells;
	struct kb_buf		 page;		/* the page being written, reused */
};

/* The elements of a page the engine fills. */
struct slots {
	xmlNodePtr	 title, description, nav, toc, content, pager;
};

/*
 * A document page's frame: the template with its URLs for one folder depth
 * and the whole navigation filled in, reused for every page at that depth.
 * Only the head, the table of contents, the pager and the content change;
 * building the navigation for every page made it the build's largest cost
 * on sites of a few hundred pages.  Its HTML is kept too: the navigation
 * is the same on every page but for the current document's link, so a
 * page writes the kept bytes around that one link's start tag.
 */
struct shell {
	char		*prefix;	/* "../" per folder level */
	htmlDocPtr	 doc;
	struct slots	 sl;
	xmlNodePtr	*links;		/* the navigation's <a>, one per document */
	struct kb_buf	 nav_html;	/* the navigation as written */
	size_t		*link_at;	/* per link: start and end of its start tag */
	int		 nav_kept;	/* nav_html and link_at are complete */
};

/* --- DOM helpers ------------------------------------------------------- */

static int
is_el(xmlNodePtr n, const char *name)
{
	return n->type == XML_ELEMENT_NODE &&
	    strcasecmp((const char *)n->name, name) == 0;
}

static xmlNodePtr
add_el(xmlNodePtr parent, const char *name)
{
	xmlNodePtr n = xmlNewDocNode(parent->doc, NULL, BAD_CAST name, NULL);

	return n ? xmlAddChild(parent, n) : NULL;
}

static void
add_text(xmlNodePtr parent, const char *text)
{
	xmlNodePtr t = xmlNewDocText(parent->doc, BAD_CAST text);

	if (t != NULL)
		xmlAddChild(parent, t);
}

static xmlNodePtr
add_link(xmlNodePtr parent, const char *href, const char *text)
{
	xmlNodePtr a = add_el(parent, "a");

	if (a != NULL) {
		xmlSetProp(a, BAD_CAST "href", BAD_CAST href);
		add_text(a, text);
	}
	return a;
}

static void
find_slots(xmlNodePtr n, struct slots *s)
{
	for (; n != NULL; n = n->next) {
		xmlChar *id;

		if (n->type != XML_ELEMENT_NODE)
			continue;
		if (is_el(n, "title") && s->title == NULL)
			s->title = n;
		if (is_el(n, "meta")) {
			xmlChar *name = xmlGetProp(n, BAD_CAST "name");
			if (name && strcasecmp((char *)name, "description") == 0)
				s->description = n;
			xmlFree(name);
		}
		if ((id = xmlGetProp(n, BAD_CAST "id")) != NULL) {
			if (strcmp((char *)id, "kb-nav") == 0) s->nav = n;
			else if (strcmp((char *)id, "kb-toc") == 0) s->toc = n;
			else if (strcmp((char *)id, "kb-content") == 0) s->content = n;
			else if (strcmp((char *)id, "kb-pager") == 0) s->pager = n;
			xmlFree(id);
		}
		find_slots(n->children, s);
	}
}

static int
is_relative_url(const char *u)
{
	const char *p = u;

	if (*u == '\0' || *u == '#' || *u == '/')
		return 0;
	while (isalnum((unsigned char)*p) || *p == '+' || *p == '-' || *p == '.')
		p++;
	return *p != ':';
}

/* Prefixes the template's relative URLs so pages in subfolders still work. */
static void
prefix_urls(xmlNodePtr n, const char *prefix)
{
	static const char *const attrs[] = { "href", "src", "action" };
	size_t i;

	for (; n != NULL; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		for (i = 0; i < sizeof(attrs) / sizeof(attrs[0]); i++) {
			xmlChar *v = xmlGetProp(n, BAD_CAST attrs[i]);
			struct kb_buf b = KB_BUF_INIT;

			if (v != NULL && is_relative_url((char *)v)) {
				kb_buf_printf(&b, "%s%s", prefix, (char *)v);
				if (!b.failed)
					xmlSetProp(n, BAD_CAST attrs[i], BAD_CAST b.data);
			}
			kb_buf_free(&b);
			xmlFree(v);
		}
		prefix_urls(n->children, prefix);
	}
}

static char *
root_prefix(const char *url)
{
	struct kb_buf	 b = KB_BUF_INIT;
	const char	*p;

	kb_buf_puts(&b, "");
	for (p = url; *p; p++)
		if (*p == '/')
			kb_buf_puts(&b, "../");
	return kb_buf_take(&b);
}

/* --- opening the theme ------------------------------------------------- */

struct kb_site *
kb_site_open(const char *theme, const char *out, const char *base_url,
    const struct kb_nav *nav, size_t nnav, struct kb_diag *d)
{
	struct kb_site	*s;
	struct kb_buf	 path = KB_BUF_INIT;
	struct slots	 sl = { 0 };
	char		*text = NULL;
	size_t		 len;

	if ((s = calloc(1, sizeof(*s))) == NULL)
		goto nomem;
	s->diag = d;
	s->nav = nav;
	s->nnav = nnav;
	if ((s->theme = strdup(theme)) == NULL || (s->out = strdup(out)) == NULL ||
	    (s->base_url = strdup(base_url)) == NULL)
		goto nomem;
	kb_buf_printf(&path, "%s/page.html", theme);
	if (path.failed)
		goto nomem;
	if ((text = kb_read_file(path.data, &len)) == NULL) {
		kb_msg(d, KB_ERROR, path.data, 0, "cannot read the theme's template; "
		    "pass --theme DIR with a page.html");
		goto fail;
	}
	s->tpl = htmlReadMemory(text, (int)len, NULL, "UTF-8", HTML_OPTS);
	if (s->tpl == NULL) {
		kb_msg(d, KB_ERROR, path.data, 0, "the template is not HTML");
		goto fail;
	}
	find_slots(s->tpl->children, &sl);
	if (sl.title == NULL || sl.content == NULL) {
		kb_msg(d, KB_ERROR, path.data, 0, "the template needs a <title> and "
		    "an element with id=\"kb-content\"");
		goto fail;
	}
	s->site_name = (char *)xmlNodeGetContent(sl.title);
	if (s->site_name == NULL || *s->site_name == '\0') {
		xmlFree(s->site_name);
		s->site_name = (char *)xmlStrdup(BAD_CAST "apigw-kb");
	}
	free(text);
	kb_buf_free(&path);
	return s;
nomem:
	kb_msg(d, KB_ERROR, theme, 0, "out of memory");
fail:
	free(text);
	kb_buf_free(&path);
	kb_site_free(s);
	return NULL;
}

void
kb_site_free(struct kb_site *s)
{
	size_t i;

	if (s == NULL)
		return;
	if (s->tpl != NULL)
		xmlFreeDoc(s->tpl);
	xmlFree(s->site_name);
	free(s->theme);
	free(s->out);
	free(s->base_url);
	kb_buf_free(&s->index);
	kb_buf_free(&s->synonyms);
	free(s->last_term);
	for (i = 0; i < s->nshells; i++) {
		xmlFreeDoc(s->shells[i].doc);
		free(s->shells[i].prefix);
		free(s->shells[i].links);
		kb_buf_free(&s->shells[i].nav_html);
		free(s->shells[i].link_at);
	}
	kb_buf_free(&s->page);
	free(s->shells);
	free(s);
}

/* --- a page ------------------------------------------------------------ */

struct page {
	struct kb_site		*site;
	const struct kb_doc	*doc;		/* NULL for generated pages */
	const char		*url;		/* relative to the site root */
	const char		*rel;		/* content-relative source, or NULL */
	struct kb_check		*check;
	const struct shell	*shell;		/* for document pages */
	size_t			 self;		/* the document's place in the navigation */
	htmlDocPtr		 html;
	struct slots		 sl;
	int			 line;		/* first line of the current block */
	int			 end_line;	/* its last line */
	size_t			*line_off;	/* offsets of the body's lines, made on demand */
	size_t			 link_from;	/* where the next link of the block is looked for */
	size_t			 nlines;
	int			 failed;
};

static void
set_head(struct page *p, const char *title, const char *description)
{
	struct kb_buf b = KB_BUF_INIT;

	xmlNodeSetContent(p->sl.title, NULL);
	if (title != NULL && strcmp(title, p->site->site_name) != 0)
		kb_buf_printf(&b, "%s — %s", title, p->site->site_name);
	else
		kb_buf_puts(&b, p->site->site_name);
	add_text(p->sl.title, b.data ? b.data : "");
	if (p->sl.description != NULL && description != NULL)
		xmlSetProp(p->sl.description, BAD_CAST "content",
		    BAD_CAST description);
	kb_buf_free(&b);
}

static void
fill_nav(struct page *p, const char *prefix, xmlNodePtr *links)
{
	xmlNodePtr	 ul, li, a;
	struct kb_buf	 href = KB_BUF_INIT;
	size_t		 i;

	if (p->sl.nav == NULL || (ul = add_el(p->sl.nav, "ul")) == NULL)
		return;
	for (i = 0; i < p->site->nnav; i++) {
		const struct kb_nav *n = &p->site->nav[i];

		kb_buf_reset(&href);
		kb_buf_printf(&href, "%s%s", prefix, n->url);
		if (href.failed || (li = add_el(ul, "li")) == NULL)
			break;
		a = add_link(li, href.data, n->title);
		if (links != NULL)
			links[i] = a;
		if (a != NULL && p->url != NULL && strcmp(n->url, p->url) == 0)
			xmlSetProp(a, BAD_CAST "aria-current", BAD_CAST "page");
	}
	kb_buf_free(&href);
}

static void
fill_toc(struct page *p)
{
	xmlNodePtr	 ul, sub = NULL, li = NULL, item;
	struct kb_buf	 href = KB_BUF_INIT;
	size_t		 i;

	if (p->sl.toc == NULL || p->doc == NULL)
		return;
	for (i = 0; i < p->doc->nheadings; i++)
		if (p->doc->headings[i].level == 2)
			break;
	if (i == p->doc->nheadings || (ul = add_el(p->sl.toc, "ul")) == NULL)
		return;
	for (i = 0; i < p->doc->nheadings; i++) {
		const struct kb_heading *h = &p->doc->headings[i];

		if (h->level != 2 && !(h->level == 3 && li != NULL))
			continue;
		/* Symptoms, Recommendation...: the same in every topic, noise in a table of contents. */
		if (h->level == 3 && kb_part_kind_of(h->text) != KB_PART_TEXT)
			continue;
		kb_buf_reset(&href);
		kb_buf_printf(&href, "#%s", h->anchor);
		if (href.failed)
			break;
		if (h->level == 2) {
			li = add_el(ul, "li");
			sub = NULL;
			if (li != NULL)
				add_link(li, href.data, h->text);
		} else {
			if (sub == NULL)
				sub = add_el(li, "ul");
			if (sub != NULL && (item = add_el(sub, "li")) != NULL)
				add_link(item, href.data, h->text);
		}
	}
	kb_buf_free(&href);
}

static void
fill_pager(struct page *p, size_t self, const char *prefix)
{
	struct kb_buf	 href = KB_BUF_INIT;
	xmlNodePtr	 a, span;
	int		 k;

	if (p->sl.pager == NULL || p->doc == NULL)
		return;
	for (k = 0; k < 2; k++) {
		const struct kb_nav *n;

		if (k == 0 && self == 0)
			continue;
		if (k == 1 && self + 1 >= p->site->nnav)
			continue;
		n = &p->site->nav[k == 0 ? self - 1 : self + 1];
		kb_buf_reset(&href);
		kb_buf_printf(&href, "%s%s", prefix, n->url);
		if (href.failed || (a = add_el(p->sl.pager, "a")) == NULL)
			break;
		xmlSetProp(a, BAD_CAST "href", BAD_CAST href.data);
		xmlSetProp(a, BAD_CAST "rel", BAD_CAST (k == 0 ? "prev" : "next"));
		if ((span = add_el(a, "span")) != NULL)
			add_text(span, k == 0 ? "Previous" : "Next");
		add_text(a, " ");
		add_text(a, n->title);
	}
	kb_buf_free(&href);
}

static const struct kb_heading *
heading_at(const struct kb_doc *d, int line)
{
	size_t lo = 0, hi = d->nheadings;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (d->headings[mid].line < line)
			lo = mid + 1;
		else
			hi = mid;
	}
	return (lo < d->nheadings && d->headings[lo].line == line) ?
	    &d->headings[lo] : NULL;
}

/*
 * cmark gives source lines for blocks only; a link in a long paragraph is
 * found on its own line by looking for its text within the block.
 */
static int
link_line(struct page *p, const char *href)
{
	const struct kb_source	*src = p->doc->src;
	size_t			 i, n = 0, from, to;
	const char		*hit;

	if (src->text == NULL || p->line <= 0)
		return p->line;
	if (p->line_off == NULL) {
		const char *nl, *end = src->text + src->len;

		for (nl = src->text; (nl = memchr(nl, '\n', (size_t)(end - nl))) != NULL; nl++)
			n++;
		if ((p->line_off = calloc(n + 2, sizeof(size_t))) == NULL)
			return p->line;
		p->nlines = 1;
		for (nl = src->text; (nl = memchr(nl, '\n', (size_t)(end - nl))) != NULL; nl++)
			p->line_off[p->nlines++] = (size_t)(nl - src->text) + 1;
	}
	if ((size_t)p->line > p->nlines)
		return p->line;
	from = p->line_off[p->line - 1];
	if (p->link_from > from)
		from = p->link_from;	/* the block's earlier links are behind us */
	to = (size_t)p->end_line < p->nlines ? p->line_off[p->end_line] : src->len;
	if (to <= from || (hit = memmem(src->text + from, to - from, href,
	    strlen(href))) == NULL)
		return p->line;
	p->link_from = (size_t)(hit - src->text) + strlen(href);
	for (i = (size_t)p->line; i < p->nlines &&
	    p->line_off[i] <= (size_t)(hit - src->text); i++)
		;
	return (int)i;
}

static void
record_link(struct page *p, xmlNodePtr n, const char *attr)
{
	xmlChar		*v = xmlGetProp(n, BAD_CAST attr);
	struct kb_link	 l;

	if (v == NULL)
		return;
	if (kb_link_parse(p->rel, (const char *)v, &l) == -1) {
		p->failed = 1;
	} else {
		if (strcmp(l.href, (const char *)v) != 0)
			xmlSetProp(n, BAD_CAST attr, BAD_CAST l.href);
		if (kb_check_link(p->check, p->doc->src->path,
		    p->doc->src->body_line - 1 + link_line(p, (const char *)v),
		    p->rel, &l) == -1)
			p->failed = 1;
		kb_link_free(&l);
	}
	xmlFree(v);
}

static int
is_permalink(xmlNodePtr n)
{
	xmlChar	*c = xmlGetProp(n, BAD_CAST "class");
	int	 yes = c != NULL && strcmp((char *)c, "kb-permalink") == 0;

	xmlFree(c);
	return yes;
}

/* A heading gets the model's anchor as its id, and a permalink at levels 2 and 3. */
static void
anchor_heading(struct page *p, xmlNodePtr n)
{
	const struct kb_heading	*h = heading_at(p->doc, p->line);
	struct kb_buf		 b = KB_BUF_INIT;
	xmlNodePtr		 a;

	if (h == NULL)
		return;
	xmlSetProp(n, BAD_CAST "id", BAD_CAST h->anchor);
	if (h->level < 2 || h->level > 3)
		return;
	kb_buf_printf(&b, "#%s", h->anchor);
	if (!b.failed && (a = add_link(n, b.data, "#")) != NULL) {
		xmlSetProp(a, BAD_CAST "class", BAD_CAST "kb-permalink");
		xmlSetProp(a, BAD_CAST "aria-label", BAD_CAST "Permalink");
	}
	kb_buf_free(&b);
}

/* Notes the lines of the block n stands for; returns 0 if it stands for none. */
static int
block_lines(struct page *p, xmlNodePtr n)
{
	xmlChar		*pos;
	const char	*dash;

	if (n->_private != NULL) {		/* built from a block (dom.h) */
		p->line = cmark_node_get_start_line(n->_private);
		p->end_line = cmark_node_get_end_line(n->_private);
		return 1;
	}
	if (n->properties == NULL ||
	    (pos = xmlGetProp(n, BAD_CAST "data-sourcepos")) == NULL)
		return 0;
	dash = strchr((const char *)pos, '-');	/* raw HTML: "line:col-line:col" */
	p->line = atoi((const char *)pos);
	p->end_line = dash ? atoi(dash + 1) : p->line;
	xmlUnsetProp(n, BAD_CAST "data-sourcepos");
	xmlFree(pos);
	return 1;
}

/*
 * Walks the rendered Markdown: notes each block's lines for messages,
 * gives headings their anchors and permalinks, rewrites and records links,
 * and records every id as an anchor.
 */
static void
walk_content(struct page *p, xmlNodePtr n)
{
	for (; n != NULL; n = n->next) {
		xmlChar *id;

		if (n->type != XML_ELEMENT_NODE)
			continue;
		if (block_lines(p, n) && n->name[0] == 'h' && n->name[1] >= '1' &&
		    n->name[1] <= '6' && n->name[2] == '\0')
			anchor_heading(p, n);
		if ((id = xmlGetProp(n, BAD_CAST "id")) != NULL ||
		    (is_el(n, "a") && (id = xmlGetProp(n, BAD_CAST "name")) != NULL)) {
			if (kb_check_anchor(p->check, p->rel, (const char *)id) == -1)
				p->failed = 1;
			xmlFree(id);
		}
		if (is_el(n, "a") && !is_permalink(n))
			record_link(p, n, "href");
		else if (is_el(n, "img"))
			record_link(p, n, "src");
		walk_content(p, n->children);
	}
}

/* Builds the Markdown's DOM in the page's content element, then walks it. */
static int
insert_markdown(struct page *p)
{
	if (kb_dom_markdown(p->sl.content, p->doc->root,
	    cmark_parser_get_syntax_extensions(p->doc->parser)) == -1)
		return -1;
	walk_content(p, p->sl.content->children);
	return p->failed ? -1 : 0;
}

/* Writes the shell's kept navigation with the current document's link marked. */
static int
kept_nav(void *ctx, xmlNodePtr n, struct kb_buf *b)
{
	const struct page	*p = ctx;
	const struct shell	*sh = p->shell;
	size_t			 start, end;

	if (sh == NULL || !sh->nav_kept || n != sh->sl.nav)
		return 0;
	start = sh->link_at[2 * p->self];
	end = sh->link_at[2 * p->self + 1];
	kb_buf_add(b, sh->nav_html.data, start);
	kb_html_start_tag(b, sh->links[p->self]);
	kb_buf_add(b, sh->nav_html.data + end, sh->nav_html.len - end);
	return 1;
}

static int
write_html(struct page *p)
{
	struct kb_buf	*out = &p->site->page;
	struct kb_buf	 path = KB_BUF_INIT;
	int		 rc = -1;

	kb_buf_reset(out);
	kb_html_doc(out, p->html, kept_nav, p);
	kb_buf_printf(&path, "%s/%s", p->site->out, p->url);
	if (out->failed || path.failed)
		kb_msg(p->site->diag, KB_ERROR, p->url, 0, "out of memory");
	else if (kb_mkparents(path.data, p->site->diag) == 0 &&
	    kb_write_file(path.data, out->data, out->len, p->site->diag) == 0)
		rc = 0;
	kb_buf_free(&path);
	return rc;
}

static int
page_begin(struct page *p, struct kb_site *s, const char *url, char **prefix)
{
	p->site = s;
	p->url = url;
	if ((p->html = xmlCopyDoc(s->tpl, 1)) == NULL ||
	    (*prefix = root_prefix(url)) == NULL) {
		kb_msg(s->diag, KB_ERROR, url, 0, "out of memory");
		return -1;
	}
	if (**prefix != '\0')
		prefix_urls(p->html->children, *prefix);
	find_slots(p->html->children, &p->sl);
	return 0;
}

/* A description: the front matter's, else the start of the introduction. */
static char *
describe(const struct kb_doc *d)
{
	const char	*t = NULL;
	size_t		 n;

	if (d->src->meta.description != NULL)
		return strdup(d->src->meta.description);
	if (d->ntopics > 0 && d->topics[0].nparts > 0)
		t = d->topics[0].parts[0].text;
	if (t == NULL || *t == '\0')
		return strdup(d->title);
	n = strlen(t);
	if (n > 160) {
		n = 160;
		while (n > 0 && t[n] != ' ')
			n--;
	}
	return strndup(t, n ? n : 160);
}

/* Appends the topic to the static search index (assets/search-index.js). */
static void
index_topic(struct kb_site *s, const struct kb_doc *d, const char *url,
    const struct kb_topic *t)
{
	struct kb_buf	*b = &s->index;
	struct kb_buf	 u = KB_BUF_INIT, k = KB_BUF_INIT, x = KB_BUF_INIT;
	size_t		 i, n;

	for (i = 0; i < t->nparts; i++) {
		const struct kb_part *p = &t->parts[i];

		if (p->text == NULL || *p->text == '\0')
			continue;
		if (p->kind == KB_PART_SYMPTOMS)
			kb_buf_put_squeezed(&k, p->text, SIZE_MAX);
		else	/* the last word may run past the limit: cut below */
			kb_buf_put_squeezed(&x, p->text, SNIPPET_MAX);
	}
	if (t->anchor[0] == '\0') {
		for (i = 0; i < d->src->meta.aliases.n; i++)
			kb_buf_put_squeezed(&k, d->src->meta.aliases.v[i], SIZE_MAX);
		for (i = 0; i < d->src->meta.tags.n; i++)
			kb_buf_put_squeezed(&k, d->src->meta.tags.v[i], SIZE_MAX);
	}
	if (x.len == 0 && k.len == 0 && t->anchor[0] == '\0')
		goto out;	/* an empty introduction */
	n = x.len;
	if (n > SNIPPET_MAX) {
		/* End on a whole word; one word longer than that, on a character. */
		n = SNIPPET_MAX;
		while (n > 0 && x.data[n] != ' ')
			n--;
		if (n == 0)
			for (n = SNIPPET_MAX; n > 0 && (x.data[n] & 0xc0) == 0x80; n--)
				;
	}
	kb_buf_puts(&u, url);
	if (t->anchor[0] != '\0')
		kb_buf_printf(&u, "#%s", t->anchor);
	if (s->nindexed++ > 0)
		kb_buf_puts(b, ",\n");
	kb_buf_puts(b, "{\"t\":");
	kb_json_str(b, t->title);
	kb_buf_puts(b, ",\"d\":");
	kb_json_str(b, d->title);
	kb_buf_puts(b, ",\"u\":");
	kb_json_str(b, u.data);
	kb_buf_puts(b, ",\"k\":");
	kb_json_str(b, k.data);
	kb_buf_puts(b, ",\"x\":");
	kb_json_strn(b, x.data ? x.data : "", n);
	kb_buf_putc(b, '}');
out:
	kb_buf_free(&u);
	kb_buf_free(&k);
	kb_buf_free(&x);
}

struct nav_recorder {
	struct shell	*sh;
	size_t		 next;		/* the link expected next */
	size_t		 nlinks;
};

/* Writes a navigation link, noting where its start tag lies. */
static int
record_nav_link(void *ctx, xmlNodePtr n, struct kb_buf *b)
{
	struct nav_recorder	*r = ctx;
	xmlNodePtr		 c;

	if (r->next >= r->nlinks || n != r->sh->links[r->next])
		return 0;
	r->sh->link_at[2 * r->next] = b->len;
	kb_html_start_tag(b, n);
	r->sh->link_at[2 * r->next + 1] = b->len;
	for (c = n->children; c != NULL; c = c->next)
		kb_html_node(b, c, NULL, NULL);
	kb_html_end_tag(b, n);
	r->next++;
	return 1;
}

/* Writes the shell's navigation once; pages reuse the bytes (see struct shell). */
static void
keep_nav(struct shell *sh, size_t nlinks)
{
	struct nav_recorder r = { sh, 0, nlinks };

	if (sh->sl.nav == NULL || nlinks == 0 ||
	    (sh->link_at = calloc(2 * nlinks, sizeof(*sh->link_at))) == NULL)
		return;		/* pages write the navigation from the DOM */
	kb_html_node(&sh->nav_html, sh->sl.nav, record_nav_link, &r);
	sh->nav_kept = r.next == nlinks && !sh->nav_html.failed;
}

/* The shell for pages whose URLs need prefix; made on first use. */
static struct shell *
get_shell(struct kb_site *s, const char *prefix)
{
	struct shell	*sh, *v;
	struct page	 p;
	size_t		 i;

	for (i = 0; i < s->nshells; i++)
		if (strcmp(s->shells[i].prefix, prefix) == 0)
			return &s->shells[i];
	if ((v = realloc(s->shells, (s->nshells + 1) * sizeof(*v))) == NULL)
		return NULL;
	s->shells = v;
	sh = &v[s->nshells];
	memset(sh, 0, sizeof(*sh));
	if ((sh->prefix = strdup(prefix)) == NULL ||
	    (sh->links = calloc(s->nnav ? s->nnav : 1, sizeof(*sh->links))) == NULL ||
	    (sh->doc = xmlCopyDoc(s->tpl, 1)) == NULL ||
	    (sh->doc->dict = xmlDictCreate()) == NULL) {
		if (sh->doc != NULL)
			xmlFreeDoc(sh->doc);
		free(sh->prefix);
		free(sh->links);
		return NULL;
	}
	s->nshells++;
	if (*prefix != '\0')
		prefix_urls(sh->doc->children, prefix);
	find_slots(sh->doc->children, &sh->sl);
	memset(&p, 0, sizeof(p));
	p.site = s;
	p.html = sh->doc;
	p.sl = sh->sl;
	fill_nav(&p, prefix, sh->links);
	keep_nav(sh, s->nnav);
	return sh;
}

static void
free_children(xmlNodePtr n)
{
	xmlNodePtr c, next;

	for (c = n ? n->children : NULL; c != NULL; c = next) {
		next = c->next;
		xmlUnlinkNode(c);
		xmlFreeNode(c);
	}
}

int
kb_site_page(struct kb_site *s, const struct kb_doc *d, size_t self,
    struct kb_check *check)
{
	struct page	 p;
	struct shell	*sh;
	xmlNodePtr	 current;
	char		*prefix = NULL, *desc = NULL;
	size_t		 i;
	int		 rc = -1;

	memset(&p, 0, sizeof(p));
	p.site = s;
	p.url = s->nav[self].url;
	p.doc = d;
	p.rel = d->src->rel;
	p.check = check;
	if ((prefix = root_prefix(p.url)) == NULL || (desc = describe(d)) == NULL ||
	    (sh = get_shell(s, prefix)) == NULL) {
		kb_msg(s->diag, KB_ERROR, d->src->path, 0, "out of memory");
		goto out;
	}
	p.html = sh->doc;
	p.sl = sh->sl;
	p.shell = sh;
	p.self = self;
	current = sh->links[self];
	if (current != NULL)
		xmlSetProp(current, BAD_CAST "aria-current", BAD_CAST "page");
	set_head(&p, d->title, desc);
	fill_toc(&p);
	fill_pager(&p, self, prefix);
	if (insert_markdown(&p) == -1)
		kb_msg(s->diag, KB_ERROR, d->src->path, 0,
		    "cannot render the page (out of memory)");
	else if (write_html(&p) == 0)
		rc = 0;
	/* Back to the bare shell for the next page. */
	if (current != NULL)
		xmlUnsetProp(current, BAD_CAST "aria-current");
	free_children(p.sl.toc);
	free_children(p.sl.pager);
	free_children(p.sl.content);
	if (rc == -1)
		goto out;
	for (i = 0; i < d->ntopics; i++)
		index_topic(s, d, s->nav[self].url, &d->topics[i]);
	rc = s->index.failed ? -1 : 0;
out:
	free(p.line_off);
	free(prefix);
	free(desc);
	return rc;
}

/* --- generated pages --------------------------------------------------- */

/* Builds a page that is not a document: the content is made by fill(). */
static int
generated_page(struct kb_site *s, const char *url, const char *title,
    const char *description, void (*fill)(struct page *, xmlNodePtr))
{
	struct page	 p;
	char		*prefix = NULL;
	int		 rc = -1;

	memset(&p, 0, sizeof(p));
	if (page_begin(&p, s, url, &prefix) == -1)
		goto out;
	set_head(&p, title, description);
	fill_nav(&p, prefix, NULL);
	fill(&p, p.sl.content);
	rc = write_html(&p);
out:
	if (p.html != NULL)
		xmlFreeDoc(p.html);
	free(prefix);
	return rc;
}

static void
fill_search(struct page *p, xmlNodePtr c)
{
	xmlNodePtr n;

	(void)p;
	add_text(add_el(c, "h1"), "Search");
	if ((n = add_el(c, "div")) != NULL) {
		xmlSetProp(n, BAD_CAST "id", BAD_CAST "kb-results");
		xmlSetProp(n, BAD_CAST "aria-live", BAD_CAST "polite");
	}
	if ((n = add_el(c, "noscript")) != NULL)
		add_text(add_el(n, "p"), "Search in the page needs JavaScript. "
		    "From a terminal, run: apigw-kb search \"your question\"");
}

static void
fill_404(struct page *p, xmlNodePtr c)
{
	xmlNodePtr para;

	(void)p;
	add_text(add_el(c, "h1"), "Page not found");
	if ((para = add_el(c, "p")) != NULL) {
		add_text(para, "There is no page at this address. Try the ");
		add_link(para, "search.html", "search");
		add_text(para, " or the ");
		add_link(para, "index.html", "start page");
		add_text(para, ".");
	}
}

static void
fill_start(struct page *p, xmlNodePtr c)
{
	xmlNodePtr	 ul, li;
	size_t		 i;

	add_text(add_el(c, "h1"), p->site->site_name);
	if ((ul = add_el(c, "ul")) == NULL)
		return;
	for (i = 0; i < p->site->nnav; i++)
		if ((li = add_el(ul, "li")) != NULL)
			add_link(li, p->site->nav[i].url, p->site->nav[i].title);
}

static int
write_sitemap(struct kb_site *s, int have_index)
{
	xmlTextWriterPtr	 w = NULL;
	xmlBufferPtr		 xb = NULL;
	struct kb_buf		 path = KB_BUF_INIT, loc = KB_BUF_INIT;
	size_t			 i;
	int			 rc = -1, bad = 0;

	if ((xb = xmlBufferCreate()) == NULL ||
	    (w = xmlNewTextWriterMemory(xb, 0)) == NULL)
		goto out;
	xmlTextWriterSetIndent(w, 1);
	bad |= xmlTextWriterStartDocument(w, NULL, "UTF-8", NULL) < 0;
	bad |= xmlTextWriterStartElement(w, BAD_CAST "urlset") < 0;
	bad |= xmlTextWriterWriteAttribute(w, BAD_CAST "xmlns",
	    BAD_CAST "http://www.sitemaps.org/schemas/sitemap/0.9") < 0;
	for (i = 0; i < s->nnav + !have_index; i++) {
		kb_buf_reset(&loc);
		kb_buf_printf(&loc, "%s%s", s->base_url,
		    i < s->nnav ? s->nav[i].url : "index.html");
		bad |= loc.failed;
		bad |= xmlTextWriterStartElement(w, BAD_CAST "url") < 0;
		bad |= xmlTextWriterWriteElement(w, BAD_CAST "loc",
		    BAD_CAST (loc.data ? loc.data : "")) < 0;
		bad |= xmlTextWriterEndElement(w) < 0;
	}
	bad |= xmlTextWriterEndDocument(w) < 0;
	xmlFreeTextWriter(w);
	w = NULL;
	kb_buf_printf(&path, "%s/sitemap.xml", s->out);
	if (bad || path.failed)
		goto out;
	rc = kb_write_file(path.data, (const char *)xmlBufferContent(xb),
	    (size_t)xmlBufferLength(xb), s->diag);
	goto done;
out:
	kb_msg(s->diag, KB_ERROR, "sitemap.xml", 0, "cannot generate the sitemap");
done:
	if (w != NULL)
		xmlFreeTextWriter(w);
	if (xb != NULL)
		xmlBufferFree(xb);
	kb_buf_free(&path);
	kb_buf_free(&loc);
	return rc;
}

int
kb_site_synonym(struct kb_site *s, const char *term, const char *expansion)
{
	struct kb_buf *b = &s->synonyms;

	/* Rules arrive grouped by term, one line of the file at a time. */
	if (s->last_term != NULL && strcmp(s->last_term, term) == 0) {
		b->len--;	/* reopen the term's array: drop its "]" */
		kb_buf_putc(b, ',');
	} else {
		if (b->len > 0)
			kb_buf_puts(b, ",\n");
		kb_json_str(b, term);
		kb_buf_puts(b, ":[");
		free(s->last_term);
		if ((s->last_term = strdup(term)) == NULL)
			return -1;
	}
	kb_json_str(b, expansion);
	kb_buf_putc(b, ']');
	return b->failed ? -1 : 0;
}

static int
write_search_index(struct kb_site *s)
{
	struct kb_buf	 path = KB_BUF_INIT, js = KB_BUF_INIT;
	int		 rc = -1;

	kb_buf_printf(&path, "%s/assets/search-index.js", s->out);
	kb_buf_puts(&js, "window.KB_INDEX = {\"topics\": [\n");
	kb_buf_add(&js, s->index.data ? s->index.data : "", s->index.len);
	kb_buf_puts(&js, "\n], \"synonyms\": {\n");
	kb_buf_add(&js, s->synonyms.data ? s->synonyms.data : "", s->synonyms.len);
	kb_buf_puts(&js, "\n}};\n");
	if (path.failed || js.failed)
		kb_msg(s->diag, KB_ERROR, "assets/search-index.js", 0, "out of memory");
	else if (kb_mkparents(path.data, s->diag) == 0)
		rc = kb_write_file(path.data, js.data, js.len, s->diag);
	kb_buf_free(&path);
	kb_buf_free(&js);
	return rc;
}

int
kb_site_finish(struct kb_site *s, int have_index)
{
	struct kb_buf	 from = KB_BUF_INIT, to = KB_BUF_INIT;
	int		 rc = -1;

	kb_buf_printf(&from, "%s/assets", s->theme);
	kb_buf_printf(&to, "%s/assets", s->out);
	if (from.failed || to.failed)
		goto out;
	if (kb_copy_tree(from.data, to.data, s->diag) == -1 ||
	    write_search_index(s) == -1 ||
	    generated_page(s, "search.html", "Search",
	    "Search the knowledge base", fill_search) == -1 ||
	    generated_page(s, "404.html", "Page not found",
	    "Page not found", fill_404) == -1 ||
	    (!have_index && generated_page(s, "index.html", NULL,
	    "Start page", fill_start) == -1) ||
	    write_sitemap(s, have_index) == -1)
		goto out;
	rc = 0;
out:
	kb_buf_free(&from);
	kb_buf_free(&to);
	return rc;
}
