/* model.c: walks the cmark-gfm tree of a document into topics and parts. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cmark-gfm-core-extensions.h>

#include "buf.h"
#include "model.h"
#include "text.h"

static const struct {
	const char		*name;
	enum kb_part_kind	 kind;
} part_names[] = {
	{ "symptoms", KB_PART_SYMPTOMS },
	{ "recommendation", KB_PART_RECOMMENDATION },
	{ "configuration", KB_PART_CONFIGURATION },
	{ "pitfalls", KB_PART_PITFALLS },
	{ "limits", KB_PART_LIMITS },
};

static const struct {
	const char	*info;
	const char	*flavor;
	const char	*language;
} flavors[] = {
	{ "ts", "cdk", "typescript" },
	{ "typescript", "cdk", "typescript" },
	{ "yaml", "cloudformation", "yaml" },
	{ "yml", "cloudformation", "yaml" },
	{ "hcl", "terraform", "hcl" },
	{ "terraform", "terraform", "hcl" },
	{ "tf", "terraform", "hcl" },
	{ "sh", "cli", "sh" },
	{ "bash", "cli", "sh" },
	{ "shell", "cli", "sh" },
	{ "console", "cli", "sh" },
	{ "json", "json", "json" },
};

enum kb_part_kind
kb_part_kind_of(const char *heading)
{
	size_t i;

	for (i = 0; i < sizeof(part_names) / sizeof(part_names[0]); i++)
		if (strcasecmp(heading, part_names[i].name) == 0)
			return part_names[i].kind;
	return KB_PART_TEXT;
}

const char *
kb_part_kind_name(enum kb_part_kind k)
{
	size_t i;

	for (i = 0; i < sizeof(part_names) / sizeof(part_names[0]); i++)
		if (part_names[i].kind == k)
			return part_names[i].name;
	return "text";
}

void
kb_code_flavor(const char *info, const char *code, const char **flavor,
    const char **language)
{
	char	 word[32];
	size_t	 i, n;

	for (n = 0; info != NULL && info[n] != '\0' && !isspace((unsigned char)info[n]) &&
	    n + 1 < sizeof(word); n++)
		word[n] = (char)tolower((unsigned char)info[n]);
	word[n] = '\0';
	*flavor = "text";
	*language = "";
	for (i = 0; i < sizeof(flavors) / sizeof(flavors[0]); i++) {
		if (strcmp(word, flavors[i].info) != 0)
			continue;
		*flavor = flavors[i].flavor;
		*language = flavors[i].language;
		/* A template with the SAM transform is SAM, not plain CloudFormation. */
		if (strcmp(*flavor, "cloudformation") == 0 && code != NULL &&
		    strstr(code, "AWS::Serverless") != NULL)
			*flavor = "sam";
		return;
	}
}

char *
kb_doc_title(const struct kb_source *src)
{
	char *t;

	if (src->meta.title != NULL && src->meta.title[0] != '\0')
		return strdup(src->meta.title);
	if (src->text != NULL &&
	    (t = kb_first_h1(src->text, src->len)) != NULL) {
		if (*t != '\0')
			return t;
		free(t);
	}
	return strdup(src->slug);
}

/* --- plain text ------------------------------------------------------ */

static int
is_type(cmark_node *n, const char *name)
{
	return strcmp(cmark_node_get_type_string(n), name) == 0;
}

/* Appends the inline text of n and its descendants, one line. */
static void
inline_text(cmark_node *n, struct kb_buf *b)
{
	cmark_iter		*it;
	cmark_event_type	 ev;

	if ((it = cmark_iter_new(n)) == NULL) {
		b->failed = 1;
		return;
	}
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *c = cmark_iter_get_node(it);
		cmark_node_type t = cmark_node_get_type(c);
		const char *lit;

		if (ev == CMARK_EVENT_EXIT) {
			if (t == CMARK_NODE_PARAGRAPH || is_type(c, "table_cell"))
				kb_buf_putc(b, ' ');
			continue;
		}
		switch (t) {
		case CMARK_NODE_TEXT:
		case CMARK_NODE_CODE:
			if ((lit = cmark_node_get_literal(c)) != NULL)
				kb_buf_puts(b, lit);
			break;
		case CMARK_NODE_SOFTBREAK:
		case CMARK_NODE_LINEBREAK:
			kb_buf_putc(b, ' ');
			break;
		case CMARK_NODE_HTML_INLINE:
			/* <br> in a table cell separates words. */
			kb_buf_putc(b, ' ');
			break;
		default:
			break;
		}
	}
	cmark_iter_free(it);
}

static char *
inline_string(cmark_node *n)
{
	struct kb_buf b = KB_BUF_INIT;

	inline_text(n, &b);
	kb_buf_squeeze(&b);
	return kb_buf_take(&b);
}

/* Appends the text of a block: paragraphs end in a blank line, items in "- ". */
static void
block_text(cmark_node *n, struct kb_buf *b)
{
	cmark_node	*c;
	struct kb_buf	 line = KB_BUF_INIT;

	switch (cmark_node_get_type(n)) {
	case CMARK_NODE_PARAGRAPH:
	case CMARK_NODE_HEADING:
		inline_text(n, &line);
		kb_buf_squeeze(&line);
		if (line.len > 0) {
			kb_buf_add(b, line.data, line.len);
			kb_buf_puts(b, "\n\n");
		}
		break;
	case CMARK_NODE_LIST:
		for (c = cmark_node_first_child(n); c; c = cmark_node_next(c)) {
			kb_buf_reset(&line);
			inline_text(c, &line);
			kb_buf_squeeze(&line);
			kb_buf_puts(b, "- ");
			kb_buf_add(b, line.data ? line.data : "", line.len);
			kb_buf_putc(b, '\n');
		}
		kb_buf_putc(b, '\n');
		break;
	case CMARK_NODE_BLOCK_QUOTE:
		for (c = cmark_node_first_child(n); c; c = cmark_node_next(c))
			block_text(c, b);
		break;
	default:
		if (is_type(n, "table")) {
			for (c = cmark_node_first_child(n); c; c = cmark_node_next(c)) {
				cmark_node *cell;
				int first = 1;

				for (cell = cmark_node_first_child(c); cell;
				    cell = cmark_node_next(cell)) {
					kb_buf_reset(&line);
					inline_text(cell, &line);
					kb_buf_squeeze(&line);
					if (!first)
						kb_buf_puts(b, " | ");
					kb_buf_add(b, line.data ? line.data : "", line.len);
					first = 0;
				}
				kb_buf_putc(b, '\n');
			}
			kb_buf_putc(b, '\n');
		}
		break;
	}
	if (line.failed)
		b->failed = 1;
	kb_buf_free(&line);
}

/* --- the walk -------------------------------------------------------- */

struct walk {
	struct kb_doc		*doc;
	struct kb_diag		*diag;
	struct kb_strmap	 anchors;
	struct kb_topic		*topic;		/* current, or NULL */
	struct kb_buf		 text;		/* text of the current part */
	int			 failed;
};

static void *
grow_array(void *v, size_t n, size_t size)
{
	/* Grows by doubling at powers of two, so appends stay amortised O(1). */
	if (n != 0 && (n & (n - 1)) != 0)
		return v;
	return realloc(v, (n ? n * 2 : 4) * size);
}

#define APPEND(w, arr, cnt) do {					\
	void *p_ = grow_array((arr), (cnt), sizeof(*(arr)));		\
	if (p_ == NULL) { (w)->failed = 1; return -1; }			\
	(arr) = p_;							\
	memset(&(arr)[(cnt)], 0, sizeof(*(arr)));			\
	(cnt)++;							\
} while (0)

static int
close_part(struct walk *w)
{
	struct kb_topic	*t = w->topic;
	struct kb_part	*p;

	if (t == NULL || t->nparts == 0) {
		kb_buf_reset(&w->text);
		return 0;
	}
	p = &t->parts[t->nparts - 1];
	while (w->text.len > 0 && w->text.data[w->text.len - 1] == '\n')
		w->text.data[--w->text.len] = '\0';
	if (w->text.failed || (p->text = strdup(w->text.data ? w->text.data : "")) == NULL)
		w->failed = 1;
	kb_buf_reset(&w->text);
	return w->failed ? -1 : 0;
}

static int
open_part(struct walk *w, enum kb_part_kind kind, const char *heading)
{
	struct kb_topic *t = w->topic;

	if (close_part(w) == -1)
		return -1;
	APPEND(w, t->parts, t->nparts);
	t->parts[t->nparts - 1].kind = kind;
	if (heading != NULL &&
	    (t->parts[t->nparts - 1].heading = strdup(heading)) == NULL)
		w->failed = 1;
	return w->failed ? -1 : 0;
}

static int
open_topic(struct walk *w, const char *title, const char *anchor, int line)
{
	struct kb_doc	*d = w->doc;

	if (close_part(w) == -1)
		return -1;
	APPEND(w, d->topics, d->ntopics);
	w->topic = &d->topics[d->ntopics - 1];
	w->topic->line = line;
	if ((w->topic->title = strdup(title)) == NULL ||
	    (w->topic->anchor = strdup(anchor)) == NULL)
		w->failed = 1;
	if (w->failed)
		return -1;
	return open_part(w, KB_PART_TEXT, NULL);
}

static int
add_entry(struct walk *w, enum kb_entry_kind kind, char *text)
{
	struct kb_topic	*t = w->topic;
	void		*p;

	if (text == NULL) {
		w->failed = 1;
		return -1;
	}
	if (*text == '\0') {
		free(text);
		return 0;
	}
	if ((p = grow_array(t->entries, t->nentries, sizeof(*t->entries))) == NULL) {
		free(text);
		w->failed = 1;
		return -1;
	}
	t->entries = p;
	t->entries[t->nentries].kind = kind;
	t->entries[t->nentries].text = text;
	t->nentries++;
	return 0;
}

/* Each row of a limits table reads "Quota — Header: value; ...". */
static int
add_table_entries(struct walk *w, cmark_node *table)
{
	cmark_node	*row, *cell, *hcell;
	cmark_node	*header = cmark_node_first_child(table);
	struct kb_buf	 b = KB_BUF_INIT;

	for (row = cmark_node_next(header); row; row = cmark_node_next(row)) {
		int col = 0;

		kb_buf_reset(&b);
		for (cell = cmark_node_first_child(row),
		    hcell = cmark_node_first_child(header); cell;
		    cell = cmark_node_next(cell), col++) {
			char *v = inline_string(cell), *h = NULL;

			if (v == NULL) {
				b.failed = 1;
				break;
			}
			if (col == 0)
				kb_buf_puts(&b, v);
			else if (*v != '\0') {
				h = hcell ? inline_string(hcell) : NULL;
				kb_buf_puts(&b, col == 1 ? " — " : "; ");
				if (h != NULL && *h != '\0')
					kb_buf_printf(&b, "%s: ", h);
				kb_buf_puts(&b, v);
			}
			free(v);
			free(h);
			if (hcell != NULL)
				hcell = cmark_node_next(hcell);
		}
		if (b.failed)
			break;
		if (add_entry(w, KB_ENTRY_LIMIT, strdup(b.data ? b.data : "")) == -1)
			break;
	}
	if (b.failed)
		w->failed = 1;
	kb_buf_free(&b);
	return w->failed ? -1 : 0;
}

static int
add_code(struct walk *w, cmark_node *n, int in_configuration)
{
	struct kb_topic	*t = w->topic;
	struct kb_code	*c;
	const char	*lit = cmark_node_get_literal(n);

	APPEND(w, t->codes, t->ncodes);
	c = &t->codes[t->ncodes - 1];
	kb_code_flavor(cmark_node_get_fence_info(n), lit, &c->flavor, &c->language);
	c->in_configuration = in_configuration;
	if ((c->code = strdup(lit ? lit : "")) == NULL)
		w->failed = 1;
	return w->failed ? -1 : 0;
}

static int
add_heading(struct walk *w, cmark_node *n, char **text, char **anchor)
{
	struct kb_doc		*d = w->doc;
	struct kb_heading	*h;
	char			*slug;

	APPEND(w, d->headings, d->nheadings);
	h = &d->headings[d->nheadings - 1];
	h->level = cmark_node_get_heading_level(n);
	h->line = cmark_node_get_start_line(n);
	if ((h->text = inline_string(n)) == NULL ||
	    (slug = kb_slug(h->text)) == NULL) {
		w->failed = 1;
		return -1;
	}
	h->anchor = kb_slug_unique(&w->anchors, slug);
	if (*slug == '\0' && h->anchor != NULL)
		kb_msg(w->diag, KB_WARNING, d->src->path,
		    d->src->body_line - 1 + h->line,
		    "heading has no letters or digits; its anchor is '%s'",
		    h->anchor);
	free(slug);
	if (h->anchor == NULL) {
		w->failed = 1;
		return -1;
	}
	*text = h->text;
	*anchor = h->anchor;
	return 0;
}

static int
walk_block(struct walk *w, cmark_node *n)
{
	struct kb_part	*p;
	char		*text, *anchor;
	int		 level;
	cmark_node	*c;

	if (cmark_node_get_type(n) == CMARK_NODE_HEADING) {
		if (add_heading(w, n, &text, &anchor) == -1)
			return -1;
		level = cmark_node_get_heading_level(n);
		if (level == 1 && w->topic->anchor[0] == '\0')
			return 0;	/* the page title, not part of the intro */
		if (level == 2)
			return open_topic(w, text, anchor,
			    w->doc->src->body_line - 1 + cmark_node_get_start_line(n));
		if (level == 3)
			return open_part(w, kb_part_kind_of(text), text);
	}
	p = &w->topic->parts[w->topic->nparts - 1];
	if (cmark_node_get_type(n) == CMARK_NODE_CODE_BLOCK)
		return add_code(w, n, p->kind == KB_PART_CONFIGURATION);
	block_text(n, &w->text);
	if (cmark_node_get_type(n) == CMARK_NODE_LIST &&
	    (p->kind == KB_PART_PITFALLS || p->kind == KB_PART_LIMITS)) {
		for (c = cmark_node_first_child(n); c; c = cmark_node_next(c))
			if (add_entry(w, p->kind == KB_PART_PITFALLS ?
			    KB_ENTRY_PITFALL : KB_ENTRY_LIMIT,
			    inline_string(c)) == -1)
				return -1;
	} else if (is_type(n, "table") && p->kind == KB_PART_LIMITS)
		return add_table_entries(w, n);
	return w->failed ? -1 : 0;
}

static cmark_parser *
new_parser(void)
{
	static const char *const exts[] = {
		"table", "autolink", "strikethrough", "tasklist", "tagfilter"
	};
	cmark_parser	*p;
	size_t		 i;

	cmark_gfm_core_extensions_ensure_registered();
	if ((p = cmark_parser_new(CMARK_OPT_UNSAFE | CMARK_OPT_SOURCEPOS)) == NULL)
		return NULL;
	for (i = 0; i < sizeof(exts) / sizeof(exts[0]); i++) {
		cmark_syntax_extension *e = cmark_find_syntax_extension(exts[i]);

		if (e == NULL || !cmark_parser_attach_syntax_extension(p, e)) {
			cmark_parser_free(p);
			return NULL;
		}
	}
	return p;
}

int
kb_doc_parse(struct kb_doc *d, const struct kb_source *src, struct kb_diag *diag)
{
	struct walk	 w;
	cmark_node	*n;
	int		 rc = -1;

	memset(d, 0, sizeof(*d));
	memset(&w, 0, sizeof(w));
	d->src = src;
	w.doc = d;
	w.diag = diag;
	if ((d->title = kb_doc_title(src)) == NULL ||
	    (d->parser = new_parser()) == NULL)
		goto nomem;
	cmark_parser_feed(d->parser, src->text ? src->text : "", src->len);
	if ((d->root = cmark_parser_finish(d->parser)) == NULL)
		goto nomem;
	if (open_topic(&w, d->title, "", 1) == -1)
		goto nomem;
	for (n = cmark_node_first_child(d->root); n; n = cmark_node_next(n))
		if (walk_block(&w, n) == -1)
			goto nomem;
	if (close_part(&w) == -1)
		goto nomem;
	rc = 0;
	goto out;
nomem:
	kb_msg(diag, KB_ERROR, src->path, 0, "out of memory");
out:
	kb_buf_free(&w.text);
	kb_strmap_free(&w.anchors);
	return rc;
}

static void
topic_free(struct kb_topic *t)
{
	size_t i;

	for (i = 0; i < t->nparts; i++) {
		free(t->parts[i].heading);
		free(t->parts[i].text);
	}
	for (i = 0; i < t->ncodes; i++)
		free(t->codes[i].code);
	for (i = 0; i < t->nentries; i++)
		free(t->entries[i].text);
	free(t->parts);
	free(t->codes);
	free(t->entries);
	free(t->title);
	free(t->anchor);
}

void
kb_doc_free(struct kb_doc *d)
{
	size_t i;

	if (d == NULL)
		return;
	for (i = 0; i < d->ntopics; i++)
		topic_free(&d->topics[i]);
	for (i = 0; i < d->nheadings; i++) {
		free(d->headings[i].text);
		free(d->headings[i].anchor);
	}
	free(d->topics);
	free(d->headings);
	free(d->title);
	if (d->root != NULL)
		cmark_node_free(d->root);
	if (d->parser != NULL)
		cmark_parser_free(d->parser);
	memset(d, 0, sizeof(*d));
}
