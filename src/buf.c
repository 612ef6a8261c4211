/* buf.c: growable byte buffer. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"

static int
buf_reserve(struct kb_buf *b, size_t extra)
{
	size_t	 need, cap;
	char	*p;

	if (b->failed)
		return -1;
	if (extra > (size_t)-1 / 2 - b->len) {
		b->failed = 1;
		return -1;
	}
	need = b->len + extra + 1;
	if (need <= b->cap)
		return 0;
	cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap *= 2;
	if ((p = realloc(b->data, cap)) == NULL) {
		b->failed = 1;
		return -1;
	}
	b->data = p;
	b->cap = cap;
	return 0;
}

void
kb_buf_add(struct kb_buf *b, const char *s, size_t n)
{
	if (buf_reserve(b, n) == -1)
		return;
	if (n > 0)
		memcpy(b->data + b->len, s, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void
kb_buf_puts(struct kb_buf *b, const char *s)
{
	kb_buf_add(b, s, strlen(s));
}

void
kb_buf_putc(struct kb_buf *b, char c)
{
	kb_buf_add(b, &c, 1);
}

void
kb_buf_printf(struct kb_buf *b, const char *fmt, ...)
{
	va_list	 ap;
	size_t	 room;
	int	 n;

	if (b->failed)
		return;
	/* Most strings fit in the room there is: format once, straight in. */
	room = b->cap > b->len ? b->cap - b->len : 0;
	va_start(ap, fmt);
	n = vsnprintf(room ? b->data + b->len : NULL, room, fmt, ap);
	va_end(ap);
	if (n < 0) {
		b->failed = 1;
		return;
	}
	if ((size_t)n >= room) {
		if (buf_reserve(b, (size_t)n) == -1)
			return;
		va_start(ap, fmt);
		vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
		va_end(ap);
	}
	b->len += (size_t)n;
}

void
kb_buf_reset(struct kb_buf *b)
{
	b->len = 0;
	if (b->data != NULL)
		b->data[0] = '\0';
}

void
kb_buf_free(struct kb_buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
	b->failed = 0;
}

char *
kb_buf_take(struct kb_buf *b)
{
	char	*s;

	if (b->failed) {
		kb_buf_free(b);
		return NULL;
	}
	if (b->data == NULL)
		return strdup("");
	s = b->data;
	b->data = NULL;
	b->len = b->cap = 0;
	return s;
}

static int
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

void
kb_buf_squeeze(struct kb_buf *b)
{
	size_t	 i, j;
	int	 space;

	if (b->data == NULL)
		return;
	/* Text already squeezed stays where it is: skip to the first byte that moves. */
	for (i = 0; i < b->len; i++) {
		char c = b->data[i];

		if (is_space(c) && (i == 0 || c != ' ' ||
		    (i + 1 < b->len && is_space(b->data[i + 1]))))
			break;
	}
	space = i == 0;		/* before i stands a word, or nothing */
	for (j = i; i < b->len; i++) {
		char c = b->data[i];

		if (is_space(c)) {
			if (!space)
				b->data[j++] = ' ';
			space = 1;
		} else {
			b->data[j++] = c;
			space = 0;
		}
	}
	if (j > 0 && b->data[j - 1] == ' ')
		j--;	/* a trailing space */
	b->len = j;
	b->data[j] = '\0';
}

void
kb_buf_put_squeezed(struct kb_buf *b, const char *s, size_t max)
{
	char	*out, *end;
	size_t	 room;
	int	 space = 1;	/* a space is owed before the next word */

	if (b->len >= max)
		return;
	/* Room for what is kept, not for all of s: snippets take little of long text. */
	room = max - b->len;
	room = strnlen(s, room < SIZE_MAX - KB_BUF_WORD_MAX ? room + KB_BUF_WORD_MAX :
	    SIZE_MAX - 1) + 1;	/* the space before the first word */
	if (buf_reserve(b, room) == -1)
		return;
	out = b->data + b->len;
	end = out + room;
	for (; *s != '\0' && out < end; s++) {
		if (is_space(*s)) {
			if ((size_t)(out - b->data) >= max)
				break;
			space = 1;
			continue;
		}
		if (space && out > b->data)
			*out++ = ' ';	/* apart from the word before, or what was there */
		space = 0;
		*out++ = *s;
	}
	b->len = (size_t)(out - b->data);
	b->data[b->len] = '\0';
}
