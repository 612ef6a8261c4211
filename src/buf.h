/* buf.h: growable byte buffer with a sticky error flag, in the style of stdio's ferror(). */
#ifndef KB_BUF_H
#define KB_BUF_H

#include <stdarg.h>
#include <stddef.h>

/*
 * A buffer is always NUL-terminated once anything was appended.  When an
 * allocation fails the buffer sets `failed` and ignores later appends, so a
 * caller may append many times and check once.
 */
struct kb_buf {
	char	*data;
	size_t	 len;
	size_t	 cap;
	int	 failed;
};

#define KB_BUF_INIT { NULL, 0, 0, 0 }

void	 kb_buf_add(struct kb_buf *, const char *, size_t);
void	 kb_buf_puts(struct kb_buf *, const char *);
void	 kb_buf_putc(struct kb_buf *, char);
void	 kb_buf_printf(struct kb_buf *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
void	 kb_buf_reset(struct kb_buf *);
void	 kb_buf_free(struct kb_buf *);
/* Hands the NUL-terminated string to the caller (caller frees); NULL if failed. */
char	*kb_buf_take(struct kb_buf *);
/* Collapses runs of white space to one space and trims both ends, in place. */
void	 kb_buf_squeeze(struct kb_buf *);
/*
 * Appends s squeezed the same way, apart from what the buffer held by one
 * space; stops once the buffer holds max bytes.  The word that crosses max
 * is kept whole up to KB_BUF_WORD_MAX bytes past it, then cut: a caller
 * that wants whole words cuts at the last space before max.
 */
#define KB_BUF_WORD_MAX 64
void	 kb_buf_put_squeezed(struct kb_buf *, const char *s, size_t max);

#endif
