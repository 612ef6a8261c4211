/* load.c: reads Markdown sources and parses their front matter with libyaml. */
#include <sys/stat.h>

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <yaml.h>

#include "buf.h"
#include "load.h"
#include "text.h"

int
kb_list_add(struct kb_list *l, const char *s)
{
	char	**v, *copy;

	if ((copy = strdup(s)) == NULL)
		return -1;
	if ((v = realloc(l->v, (l->n + 1) * sizeof(*v))) == NULL) {
		free(copy);
		return -1;
	}
	l->v = v;
	l->v[l->n++] = copy;
	return 0;
}

void
kb_list_free(struct kb_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
scan_dir(const char *root, const char *rel, struct kb_list *md,
    struct kb_list *other, struct kb_diag *d, int depth)
{
	struct kb_buf	 path = KB_BUF_INIT, sub = KB_BUF_INIT;
	DIR		*dir = NULL;
	struct dirent	*e;
	struct stat	 st;
	int		 rc = -1;

	if (depth > 32) {
		kb_msg(d, KB_ERROR, root, 0, "folders nested too deeply at %s", rel);
		return -1;
	}
	kb_buf_printf(&path, "%s%s%s", root, *rel ? "/" : "", rel);
	if (path.failed || (dir = opendir(path.data)) == NULL) {
		kb_msg(d, KB_ERROR, path.data ? path.data : root, 0,
		    "cannot read folder: %s", strerror(errno));
		goto out;
	}
	while ((e = readdir(dir)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		kb_buf_reset(&sub);
		kb_buf_printf(&sub, "%s%s%s", rel, *rel ? "/" : "", e->d_name);
		kb_buf_reset(&path);
		kb_buf_printf(&path, "%s/%s", root, sub.data);
		if (sub.failed || path.failed)
			goto nomem;
		if (stat(path.data, &st) == -1) {
			kb_msg(d, KB_WARNING, path.data, 0, "skipped: %s",
			    strerror(errno));
			continue;
		}
		if (S_ISDIR(st.st_mode)) {
			if (scan_dir(root, sub.data, md, other, d, depth + 1) == -1)
				goto out;
		} else if (S_ISREG(st.st_mode)) {
			struct kb_list *l = kb_has_suffix(e->d_name, ".md") ?
			    md : other;
			if (kb_list_add(l, sub.data) == -1)
				goto nomem;
		}
	}
	rc = 0;
	goto out;
nomem:
	kb_msg(d, KB_ERROR, root, 0, "out of memory");
out:
	if (dir != NULL)
		closedir(dir);
	kb_buf_free(&path);
	kb_buf_free(&sub);
	return rc;
}

int
kb_scan(const char *root, struct kb_list *md, struct kb_list *other,
    struct kb_diag *d)
{
	if (scan_dir(root, "", md, other, d, 0) == -1)
		return -1;
	if (md->n > 1)
		qsort(md->v, md->n, sizeof(*md->v), cmp_str);
	if (other->n > 1)
		qsort(other->v, other->n, sizeof(*other->v), cmp_str);
	return 0;
}

char *
kb_read_file(const char *path, size_t *lenp)
{
	struct stat	 st;
	char		*data = NULL, *bigger;
	size_t		 len = 0, cap = 65536;
	ssize_t		 n;
	int		 fd, err = 0;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return NULL;
	/* Room for the whole file and one byte more, so EOF needs no second buffer. */
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 &&
	    (uintmax_t)st.st_size < SIZE_MAX / 4)
		cap = (size_t)st.st_size + 1;
	if ((data = malloc(cap + 1)) == NULL)
		err = ENOMEM;
	while (err == 0) {
		if (len == cap) {		/* the file grew while it was read */
			if (cap > SIZE_MAX / 4 || (bigger = realloc(data, cap * 2 + 1)) == NULL) {
				err = ENOMEM;
				break;
			}
			data = bigger;
			cap *= 2;
		}
		if ((n = read(fd, data + len, cap - len)) == -1) {
			if (errno != EINTR)
				err = errno;
		} else if (n == 0)
			break;
		else
			len += (size_t)n;
	}
	close(fd);
	if (err) {
		free(data);
		errno = err;
		return NULL;
	}
	data[len] = '\0';
	*lenp = len;
	return data;
}

/* --- front matter ------------------------------------------------------ */

struct fm {
	const char	*path;
	int		 first_line;	/* file line of the YAML's first line */
	struct kb_diag	*diag;
	yaml_document_t	*doc;
};

static int
fm_line(const struct fm *f, const yaml_node_t *n)
{
	return f->first_line + (int)n->start_mark.line;
}

static int
fm_scalar(struct fm *f, const char *key, yaml_node_t *n, char **out)
{
	if (n->type != YAML_SCALAR_NODE) {
		kb_msg(f->diag, KB_ERROR, f->path, fm_line(f, n),
		    "front matter: '%s' must be a single string", key);
		return -1;
	}
	free(*out);
	*out = strdup((const char *)n->data.scalar.value);
	return *out == NULL ? -1 : 0;
}

static int
fm_list(struct fm *f, const char *key, yaml_node_t *n, struct kb_list *out)
{
	yaml_node_item_t *it;

	if (n->type == YAML_SCALAR_NODE)
		return kb_list_add(out, (const char *)n->data.scalar.value);
	if (n->type != YAML_SEQUENCE_NODE) {
		kb_msg(f->diag, KB_ERROR, f->path, fm_line(f, n),
		    "front matter: '%s' must be a list of strings", key);
		return -1;
	}
	for (it = n->data.sequence.items.start;
	    it < n->data.sequence.items.top; it++) {
		yaml_node_t *item = yaml_document_get_node(f->doc, *it);

		if (item == NULL || item->type != YAML_SCALAR_NODE) {
			kb_msg(f->diag, KB_ERROR, f->path,
			    fm_line(f, item ? item : n),
			    "front matter: each '%s' item must be a string", key);
			return -1;
		}
		if (kb_list_add(out, (const char *)item->data.scalar.value) == -1)
			return -1;
	}
	return 0;
}

static int
fm_api(struct fm *f, yaml_node_t *n, unsigned *api)
{
	struct kb_list	 l = { NULL, 0 };
	size_t		 i;
	int		 rc = -1;

	if (fm_list(f, "api", n, &l) == -1)
		goto out;
	for (i = 0; i < l.n; i++) {
		if (strcasecmp(l.v[i], "rest") == 0)
			*api |= KB_API_REST;
		else if (strcasecmp(l.v[i], "http") == 0)
			*api |= KB_API_HTTP;
		else if (strcasecmp(l.v[i], "websocket") == 0)
			*api |= KB_API_WEBSOCKET;
		else {
			kb_msg(f->diag, KB_ERROR, f->path, fm_line(f, n),
			    "front matter: api '%s' is not one of rest, http, "
			    "websocket", l.v[i]);
			goto out;
		}
	}
	rc = 0;
out:
	kb_list_free(&l);
	return rc;
}

static int
fm_order(struct fm *f, yaml_node_t *n, struct kb_meta *m)
{
	const char	*s;
	char		*end;
	long		 v;

	if (n->type != YAML_SCALAR_NODE)
		goto bad;
	s = (const char *)n->data.scalar.value;
	errno = 0;
	v = strtol(s, &end, 10);
	if (*s == '\0' || *end != '\0' || errno != 0 || v < INT_MIN || v > INT_MAX)
		goto bad;
	m->order = v;
	m->has_order = 1;
	return 0;
bad:
	kb_msg(f->diag, KB_ERROR, f->path, fm_line(f, n),
	    "front matter: 'order' must be a whole number");
	return -1;
}

static int
fm_parse(const char *path, int first_line, const char *yaml, size_t len,
    struct kb_meta *m, struct kb_diag *d)
{
	yaml_parser_t	 parser;
	yaml_document_t	 doc;
	yaml_node_t	*root;
	yaml_node_pair_t *p;
	struct fm	 f = { path, first_line, d, &doc };
	int		 rc = -1, have_doc = 0;

	if (!yaml_parser_initialize(&parser))
		return -1;
	yaml_parser_set_input_string(&parser, (const unsigned char *)yaml, len);
	if (!yaml_parser_load(&parser, &doc)) {
		kb_msg(d, KB_ERROR, path,
		    first_line + (int)parser.problem_mark.line,
		    "front matter is not valid YAML: %s",
		    parser.problem ? parser.problem : "parse error");
		goto out;
	}
	have_doc = 1;
	if ((root = yaml_document_get_root_node(&doc)) == NULL) {
		rc = 0;			/* empty front matter */
		goto out;
	}
	if (root->type != YAML_MAPPING_NODE) {
		kb_msg(d, KB_ERROR, path, fm_line(&f, root),
		    "front matter must be a mapping of keys to values");
		goto out;
	}
	for (p = root->data.mapping.pairs.start;
	    p < root->data.mapping.pairs.top; p++) {
		yaml_node_t *k = yaml_document_get_node(&doc, p->key);
		yaml_node_t *v = yaml_document_get_node(&doc, p->value);
		const char *key;
		int r;

		if (k == NULL || v == NULL || k->type != YAML_SCALAR_NODE) {
			kb_msg(d, KB_ERROR, path, k ? fm_line(&f, k) : first_line,
			    "front matter: keys must be plain words");
			goto out;
		}
		key = (const char *)k->data.scalar.value;
		if (strcmp(key, "title") == 0)
			r = fm_scalar(&f, key, v, &m->title);
		else if (strcmp(key, "description") == 0)
			r = fm_scalar(&f, key, v, &m->description);
		else if (strcmp(key, "api") == 0)
			r = fm_api(&f, v, &m->api);
		else if (strcmp(key, "order") == 0)
			r = fm_order(&f, v, m);
		else if (strcmp(key, "aliases") == 0)
			r = fm_list(&f, key, v, &m->aliases);
		else if (strcmp(key, "tags") == 0)
			r = fm_list(&f, key, v, &m->tags);
		else {
			kb_msg(d, KB_WARNING, path, fm_line(&f, k),
			    "front matter: unknown key '%s' ignored", key);
			r = 0;
		}
		if (r == -1)
			goto out;
	}
	rc = 0;
out:
	if (have_doc)
		yaml_document_delete(&doc);
	yaml_parser_delete(&parser);
	return rc;
}

/* Returns the length of the line at s (without its newline). */
static size_t
line_len(const char *s, const char *end)
{
	const char *nl = memchr(s, '\n', (size_t)(end - s));

	return nl ? (size_t)(nl - s) : (size_t)(end - s);
}

static int
is_fence(const char *s, size_t n, const char *mark)
{
	while (n > 0 && (s[n - 1] == '\r' || s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	return n == 3 && memcmp(s, mark, 3) == 0;
}

/*
 * Splits front matter off text: "---" on the first line, YAML, then a
 * "---" or "..." line.  Returns -1 after reporting an error.
 */
static int
split_front_matter(struct kb_source *src, char *text, size_t len,
    struct kb_diag *d)
{
	const char	*end = text + len, *p, *yaml;
	size_t		 n;
	int		 line;

	src->text = text;
	src->len = len;
	src->body_line = 1;
	if (len < 3 || !is_fence(text, line_len(text, end), "---"))
		return 0;
	p = text + line_len(text, end);
	if (p < end)
		p++;
	yaml = p;
	for (line = 2; p < end; line++) {
		n = line_len(p, end);
		if (is_fence(p, n, "---") || is_fence(p, n, "...")) {
			if (fm_parse(src->path, 2, yaml, (size_t)(p - yaml),
			    &src->meta, d) == -1)
				return -1;
			p += n;
			if (p < end)
				p++;
			src->body_line = line + 1;
			src->len = (size_t)(end - p);
			memmove(text, p, src->len);
			text[src->len] = '\0';
			return 0;
		}
		p += n;
		if (p < end)
			p++;
	}
	kb_msg(d, KB_ERROR, src->path, 1,
	    "front matter opened with '---' is never closed; end it with a "
	    "'---' line");
	return -1;
}

int
kb_source_read(struct kb_source *src, const char *root, const char *rel,
    struct kb_diag *d)
{
	struct kb_buf	 path = KB_BUF_INIT;
	char		*text = NULL;
	size_t		 len, n;
	int		 line, col;

	memset(src, 0, sizeof(*src));
	kb_buf_printf(&path, "%s/%s", root, rel);
	if ((src->path = kb_buf_take(&path)) == NULL ||
	    (src->rel = strdup(rel)) == NULL ||
	    (src->slug = strdup(rel)) == NULL) {
		kb_msg(d, KB_ERROR, rel, 0, "out of memory");
		return -1;
	}
	n = strlen(src->slug);
	if (kb_has_suffix(src->slug, ".md"))
		src->slug[n - 3] = '\0';
	if ((text = kb_read_file(src->path, &len)) == NULL) {
		kb_msg(d, KB_ERROR, src->path, 0, "cannot read: %s",
		    strerror(errno));
		return -1;
	}
	/* A byte order mark is legal but means nothing in UTF-8. */
	if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0) {
		len -= 3;
		memmove(text, text + 3, len + 1);
	}
	if (kb_utf8_check(text, len, &line, &col) == -1) {
		kb_msg(d, KB_ERROR, src->path, line,
		    "invalid UTF-8 at column %d; save the file as UTF-8", col);
		free(text);
		return -1;
	}
	if (split_front_matter(src, text, len, d) == -1) {
		free(text);
		src->text = NULL;
		return -1;
	}
	return 0;
}

void
kb_source_drop_text(struct kb_source *src)
{
	free(src->text);
	src->text = NULL;
	src->len = 0;
}

void
kb_source_free(struct kb_source *src)
{
	if (src == NULL)
		return;
	kb_source_drop_text(src);
	free(src->path);
	free(src->rel);
	free(src->slug);
	free(src->meta.title);
	free(src->meta.description);
	kb_list_free(&src->meta.aliases);
	kb_list_free(&src->meta.tags);
	memset(src, 0, sizeof(*src));
}

char *
kb_first_h1(const char *text, size_t len)
{
	const char	*p = text, *end = text + len, *prev = NULL;
	size_t		 n, prevn = 0, fence_len = 0;
	char		 fence = 0;	/* the open fence's character, or 0 */

	for (; p < end; p += n + (p + n < end)) {
		const char *s = p;
		size_t indent = 0;

		n = line_len(p, end);
		while (indent < n && indent < 4 && s[indent] == ' ')
			indent++;
		s += indent;
		if (indent < 4 && (s[0] == '`' || s[0] == '~')) {
			size_t run = 0;

			while (run < n - indent && s[run] == s[0])
				run++;
			/* A fence closes only with its own character, at least as long. */
			if (run >= 3 && fence == 0) {
				fence = s[0];
				fence_len = run;
				prev = NULL;
				continue;
			}
			if (run >= fence_len && s[0] == fence) {
				fence = 0;
				prev = NULL;
				continue;
			}
		}
		if (fence != 0 || indent >= 4) {
			prev = NULL;
			continue;
		}
		if (n - indent >= 2 && s[0] == '#' && (s[1] == ' ' || s[1] == '\t')) {
			const char *t = s + 2, *e = p + n;

			const char *c;

			while (t < e && (*t == ' ' || *t == '\t'))
				t++;
			while (e > t && (e[-1] == ' ' || e[-1] == '\r' || e[-1] == '\t'))
				e--;
			/* A closing run of '#' counts only after white space ("C#" stays). */
			for (c = e; c > t && c[-1] == '#'; c--)
				;
			if (c < e && (c == t || c[-1] == ' ' || c[-1] == '\t')) {
				e = c;
				while (e > t && (e[-1] == ' ' || e[-1] == '\t'))
					e--;
			}
			return strndup(t, (size_t)(e - t));
		}
		if (prev != NULL && s[0] == '=') {
			size_t k = 0;
			while (k < n - indent && (s[k] == '=' || s[k] == ' ' ||
			    s[k] == '\r'))
				k++;
			if (k == n - indent)
				return strndup(prev, prevn);
		}
		if (n - indent > 0 && s[0] != '\r') {
			prev = s;
			prevn = n - indent;
			while (prevn > 0 && (prev[prevn - 1] == '\r' ||
			    prev[prevn - 1] == ' '))
				prevn--;
		} else
			prev = NULL;
	}
	return NULL;
}
