/* text.c: UTF-8 checks, code point classes and slugs. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "text.h"

int
kb_utf8_check(const char *str, size_t n, int *line, int *col)
{
	const unsigned char	*s = (const unsigned char *)str;
	const unsigned char	*bol;
	size_t			 i = 0, k, len;
	uint32_t		 cp, min;

	while (i < n) {
		unsigned char c = s[i];

		/* Eight ASCII bytes without a NUL at a time: most of any text. */
		if (n - i >= 8) {
			uint64_t w;

			memcpy(&w, s + i, sizeof(w));
			if (((w | ((w - 0x0101010101010101ULL) & ~w)) &
			    0x8080808080808080ULL) == 0) {
				i += 8;
				continue;
			}
		}
		if (c == 0)
			goto bad;
		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf) {
			len = 2; cp = c & 0x1f; min = 0x80;
		} else if (c >= 0xe0 && c <= 0xef) {
			len = 3; cp = c & 0x0f; min = 0x800;
		} else if (c >= 0xf0 && c <= 0xf4) {
			len = 4; cp = c & 0x07; min = 0x10000;
		} else
			goto bad;
		if (n - i < len)
			goto bad;
		for (k = 1; k < len; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				goto bad;
			cp = (cp << 6) | (s[i + k] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			goto bad;
		i += len;
	}
	*line = 1;
	return 0;
bad:
	/* Lines are counted only for the message. */
	*line = 1;
	for (bol = s, k = 0; k < i; k++)
		if (s[k] == '\n') {
			(*line)++;
			bol = s + k + 1;
		}
	*col = (int)(s + i - bol) + 1;
	return -1;
}

uint32_t
kb_utf8_next(const char **p)
{
	const unsigned char	*s = (const unsigned char *)*p;
	uint32_t		 cp;
	size_t			 len, k;

	if (s[0] < 0x80) {
		*p += 1;
		return s[0];
	}
	if (s[0] < 0xe0) {
		len = 2; cp = s[0] & 0x1f;
	} else if (s[0] < 0xf0) {
		len = 3; cp = s[0] & 0x0f;
	} else {
		len = 4; cp = s[0] & 0x07;
	}
	for (k = 1; k < len; k++) {
		if ((s[k] & 0xc0) != 0x80) {	/* invalid: take one byte */
			*p += 1;
			return 0xfffd;
		}
		cp = (cp << 6) | (s[k] & 0x3f);
	}
	*p += len;
	return cp;
}

size_t
kb_utf8_put(char *out, uint32_t cp)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xc0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xe0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		out[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | (cp >> 18));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
	out[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

uint32_t
kb_lower(uint32_t c)
{
	if (c >= 'A' && c <= 'Z')
		return c + 32;
	if (c < 0xc0)
		return c;
	if ((c >= 0xc0 && c <= 0xde && c != 0xd7) ||
	    (c >= 0x391 && c <= 0x3ab && c != 0x3a2) ||
	    (c >= 0x410 && c <= 0x42f))
		return c + 32;
	if (c >= 0x400 && c <= 0x40f)
		return c + 80;
	if (c >= 0x100 && c <= 0x17f && c != 0x130 && c != 0x131 &&
	    c != 0x138 && c != 0x149 && c != 0x17f) {
		/* Latin Extended-A pairs upper/lower as even/odd, except one run. */
		if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17e))
			return (c & 1) ? c + 1 : c;
		return (c & 1) ? c : c + 1;
	}
	return c;
}

int
kb_is_wordchar(uint32_t c)
{
	if (c < 0x80)
		return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9');
	if (c <= 0xbf || c == 0xd7 || c == 0xf7)
		return 0;			/* Latin-1 punctuation */
	if (c >= 0x2000 && c <= 0x2bff)
		return 0;			/* punctuation, arrows, math, shapes */
	if (c >= 0x3000 && c <= 0x303f)
		return 0;			/* CJK punctuation */
	if (c >= 0xfe00 && c <= 0xfe0f)
		return 0;			/* variation selectors */
	if (c >= 0xff00 && c <= 0xff0f)
		return 0;			/* full-width punctuation */
	if (c >= 0x1f000 && c <= 0x1faff)
		return 0;			/* emoji and pictographs */
	if (c == 0xfffd || c == 0xfeff)
		return 0;
	return 1;
}

char *
kb_slug(const char *text)
{
	struct kb_buf	 b = KB_BUF_INIT;
	const char	*p = text;
	char		 enc[4];

	while (*p != '\0') {
		uint32_t c = kb_utf8_next(&p);

		if (c == ' ')
			kb_buf_putc(&b, '-');
		else if (c == '-' || c == '_')
			kb_buf_putc(&b, (char)c);
		else if (kb_is_wordchar(c))
			kb_buf_add(&b, enc, kb_utf8_put(enc, kb_lower(c)));
	}
	return kb_buf_take(&b);
}

char *
kb_slug_unique(struct kb_strmap *seen, const char *slug)
{
	struct kb_strmap_slot	*s;
	struct kb_buf		 b = KB_BUF_INIT;
	long			 n;

	if (*slug == '\0')
		slug = "section";
	if ((s = kb_strmap_put(seen, slug)) == NULL)
		return NULL;
	if (s->value++ == 0)
		return strdup(slug);
	/* Find the first free "slug-N"; GitHub counts per base slug. */
	for (n = s->value - 1;; n++) {
		struct kb_strmap_slot *t;

		kb_buf_reset(&b);
		kb_buf_printf(&b, "%s-%ld", slug, n);
		if (b.failed)
			break;
		if (kb_strmap_get(seen, b.data) != NULL)
			continue;
		if ((t = kb_strmap_put(seen, b.data)) == NULL)
			break;
		t->value = 1;
		if ((s = kb_strmap_get(seen, slug)) != NULL)
			s->value = n + 1;
		return kb_buf_take(&b);
	}
	kb_buf_free(&b);
	return NULL;
}

int
kb_has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && strcasecmp(s + n - m, suffix) == 0;
}
