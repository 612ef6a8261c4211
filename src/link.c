/* link.c: classifies and rewrites links between documents. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "link.h"
#include "text.h"

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	return (c >= 'a' && c <= 'f') ? c - 'a' + 10 : -1;
}

char *
kb_url_decode(const char *s, size_t n)
{
	struct kb_buf	 b = KB_BUF_INIT;
	size_t		 i;

	for (i = 0; i < n; i++) {
		int hi, lo;

		if (s[i] == '%' && i + 2 < n &&
		    (hi = hexval((unsigned char)s[i + 1])) >= 0 &&
		    (lo = hexval((unsigned char)s[i + 2])) >= 0 &&
		    (hi | lo) != 0) {
			kb_buf_putc(&b, (char)(hi * 16 + lo));
			i += 2;
		} else
			kb_buf_putc(&b, s[i]);
	}
	return kb_buf_take(&b);
}

static int
has_scheme(const char *s)
{
	const char *p = s;

	if (!isalpha((unsigned char)*p))
		return 0;
	while (isalnum((unsigned char)*p) || *p == '+' || *p == '-' || *p == '.')
		p++;
	return *p == ':';
}

/* Joins the folder of from_rel with path and removes "." and ".." steps.
 * Returns NULL when the path climbs above the root. */
static char *
resolve(const char *from_rel, const char *path, int *outside)
{
	struct kb_buf	 b = KB_BUF_INIT;
	const char	*slash = strrchr(from_rel, '/');
	char		*joined, *seg, *save, *out = NULL;
	char		**segs = NULL;
	size_t		 n = 0, i;

	*outside = 0;
	if (slash != NULL)
		kb_buf_add(&b, from_rel, (size_t)(slash - from_rel + 1));
	kb_buf_puts(&b, path);
	if ((joined = kb_buf_take(&b)) == NULL)
		return NULL;
	if ((segs = calloc(strlen(joined) / 2 + 2, sizeof(*segs))) == NULL)
		goto out;
	for (seg = strtok_r(joined, "/", &save); seg; seg = strtok_r(NULL, "/", &save)) {
		if (strcmp(seg, ".") == 0)
			continue;
		if (strcmp(seg, "..") == 0) {
			if (n == 0) {
				*outside = 1;
				goto out;
			}
			n--;
			continue;
		}
		segs[n++] = seg;
	}
	for (i = 0; i < n; i++) {
		if (i > 0)
			kb_buf_putc(&b, '/');
		kb_buf_puts(&b, segs[i]);
	}
	out = kb_buf_take(&b);
out:
	free(segs);
	free(joined);
	return out;
}

int
kb_link_parse(const char *from_rel, const char *href, struct kb_link *l)
{
	const char	*hash, *query, *end;
	char		*path = NULL;
	struct kb_buf	 b = KB_BUF_INIT;
	int		 outside;

	memset(l, 0, sizeof(*l));
	if (has_scheme(href) || strncmp(href, "//", 2) == 0) {
		l->kind = KB_LINK_EXTERNAL;
		return (l->href = strdup(href)) == NULL ? -1 : 0;
	}
	if (href[0] == '/') {
		l->kind = KB_LINK_ABSOLUTE;
		return (l->href = strdup(href)) == NULL ? -1 : 0;
	}
	hash = strchr(href, '#');
	query = strchr(href, '?');
	if (query != NULL && hash != NULL && query > hash)
		query = NULL;
	end = query ? query : hash ? hash : href + strlen(href);
	if (hash != NULL && (l->anchor = kb_url_decode(hash + 1, strlen(hash + 1))) == NULL)
		goto nomem;
	if (end == href) {
		l->kind = KB_LINK_ANCHOR;
		return (l->href = strdup(href)) == NULL ? -1 : 0;
	}
	if ((path = kb_url_decode(href, (size_t)(end - href))) == NULL)
		goto nomem;
	l->target = resolve(from_rel, path, &outside);
	if (outside) {
		l->kind = KB_LINK_OUTSIDE;
		free(path);
		return (l->href = strdup(href)) == NULL ? -1 : 0;
	}
	if (l->target == NULL)
		goto nomem;
	if (kb_has_suffix(path, ".md")) {
		l->kind = KB_LINK_DOC;
		kb_buf_add(&b, href, (size_t)(end - href) - 3);
		kb_buf_puts(&b, ".html");
		kb_buf_puts(&b, end);
	} else {
		l->kind = KB_LINK_FILE;
		kb_buf_puts(&b, href);
	}
	free(path);
	return (l->href = kb_buf_take(&b)) == NULL ? -1 : 0;
nomem:
	free(path);
	kb_link_free(l);
	return -1;
}

void
kb_link_free(struct kb_link *l)
{
	free(l->target);
	free(l->anchor);
	free(l->href);
	memset(l, 0, sizeof(*l));
}
