/* query.h: turning what a user typed into terms and a safe FTS5 expression. */
#ifndef KB_QUERY_H
#define KB_QUERY_H

#include <stddef.h>

#include "buf.h"

#define KB_QUERY_MAX_GROUPS 32	/* one bit each in the match masks */
#define KB_QUERY_MAX_ALTS 8

/*
 * A group is one concept of the query: a word, an identifier kept whole
 * ("default 4xx" for DEFAULT_4XX) or an error code, with alternatives
 * (synonyms, a spelling correction).  A topic "covers" a group when any
 * alternative matches it.  Every string is lower case, as FTS5 phrases.
 */
struct kb_group {
	char	*alts[KB_QUERY_MAX_ALTS];
	size_t	 nalts;
	int	 code;		/* an HTTP status code (e.g. 504), else 0 */
	int	 prefix;	/* match the first alternative as a prefix too */
	int	 ident;		/* written as an identifier (DEFAULT_4XX, {proxy+}) */
	int	 merged;	/* adjacent words the documents use as one phrase */
	char	*corrected_from; /* the word as typed, when alts[0] is a correction */
};

struct kb_query {
	char		*text;		/* the query, cleaned for display */
	struct kb_group	 groups[KB_QUERY_MAX_GROUPS];
	size_t		 ngroups;
	const char	*iac;		/* flavour the query asked for ("use SAM"), or NULL */
	const char	*iac_word;	/* the word that asked for it (static) */
	int		 errorish;	/* looks like an error: a status code or error words */
	int		 limitish;	/* asks for a quota: "how many", "max", "per", "limit" */
	int		 howish;	/* asks how to do something: "how", "example", "enable" */
	unsigned	 api;		/* API types it names: 1 REST, 2 HTTP, 4 WebSocket */
};

/* Splits text (any bytes) into groups.  Returns -1 on ENOMEM only. */
int	 kb_query_parse(struct kb_query *, const char *text);
void	 kb_query_free(struct kb_query *);
/* Adds an alternative phrase to a group (copied); ignores duplicates. */
int	 kb_group_add(struct kb_group *, const char *alt);
/*
 * Writes the FTS5 MATCH expression: groups joined by OR, every alternative a
 * quoted phrase.  phrase_group[i] receives the group of the i-th phrase, so
 * matches can be counted per group.  Returns the number of phrases.
 */
size_t	 kb_query_fts(const struct kb_query *, struct kb_buf *,
	    unsigned char *phrase_group, size_t max_phrases);
/* Is the phrase term in words, on word boundaries (both as kb_query_words gives them)? */
int	 kb_has_phrase(const char *words, const char *term);
/* Is w (lower case) a word that carries no subject ("how", "the", "use")? */
int	 kb_query_is_stop(const char *w);
/* Is w a word every HTTP API question uses ("api", "request", "design")? */
int	 kb_query_is_generic(const char *w);
/* Do two words share a stem, roughly ("stages"/"stage", "cached"/"caching")? */
int	 kb_query_same_stem(const char *a, const char *b);
/*
 * The lexicon form of a phrase (caller frees): words as kb_query_words gives
 * them, a plural "s" dropped; "" when the phrase is one word too general to
 * say a query is about API Gateway ("api", "error", "resources").
 */
char	*kb_query_lexicon_key(const char *phrase);
/* Lower-cases and keeps only word characters and spaces: "Rate-Limit" -> "rate limit". */
char	*kb_query_words(const char *);

#endif
