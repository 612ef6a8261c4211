/* text.h: UTF-8 checks, GitHub-style slugs and small string helpers. */
#ifndef KB_TEXT_H
#define KB_TEXT_H

#include <stddef.h>
#include <stdint.h>

#include "strmap.h"

/*
 * Returns 0 if s[0..n) is valid UTF-8 without NUL bytes, else -1 with the
 * 1-based line and column (in bytes) of the first bad byte.
 */
int	 kb_utf8_check(const char *s, size_t n, int *line, int *col);
/* Decodes one code point of valid UTF-8 at *s and advances *s. */
uint32_t kb_utf8_next(const char **s);
/* Simple lower-case mapping for ASCII, Latin-1, Latin Extended-A, Greek, Cyrillic. */
uint32_t kb_lower(uint32_t);
/* Letters and digits for slugs and tokens: ASCII alnum, or a non-ASCII code point
 * outside the common punctuation and symbol blocks. */
int	 kb_is_wordchar(uint32_t);
/* Appends the UTF-8 encoding of a code point; returns the byte count (1-4). */
size_t	 kb_utf8_put(char *out, uint32_t);

/*
 * Returns the GitHub-style slug of heading text (caller frees): lower case,
 * letters, digits, '-' and '_' kept, spaces become '-', all else dropped.
 * May return "" for a heading of punctuation only; NULL on ENOMEM.
 */
char	*kb_slug(const char *text);
/*
 * Makes slug unique within seen (the page's anchors so far) the way GitHub
 * does: the second "x" becomes "x-1".  An empty slug becomes "section".
 * Returns a new string (caller frees) and records it in seen.
 */
char	*kb_slug_unique(struct kb_strmap *seen, const char *slug);

int	 kb_has_suffix(const char *s, const char *suffix);	/* case-insensitive */

#endif
