/* search_int.h: what search.c and answer.c share inside the search core. */
#ifndef KB_SEARCH_INT_H
#define KB_SEARCH_INT_H

#include <sqlite3.h>

#include "query.h"
#include "search.h"

#define KB_MAX_PHRASES 16	/* three 16-bit masks fit the match function's int64 */

#define KB_STMT_CACHE 24

struct kb_db {
	sqlite3		*db;
	long		 ntopics;
	/* Statements prepared once per process: SQL text and statement. */
	const char	*sql[KB_STMT_CACHE];
	sqlite3_stmt	*stmt[KB_STMT_CACHE];
};

/* A prepared statement for sql, from the cache (borrowed until kb_db_close). */
int	 kb_prepare(struct kb_db *, const char *sql, sqlite3_stmt **);
/* Gives a statement from kb_prepare back: resets it and clears bindings. */
void	 kb_release(sqlite3_stmt *);

/* A topic or entry that matched, with what it covered of the query. */
struct kb_hit {
	sqlite3_int64	 id;
	double		 bm25;		/* positive: higher is better */
	double		 coverage;	/* 0..1, weighted share of the query's groups */
	double		 title_cov;	/* the same, counting the title only */
	double		 sym_cov;	/* the same, counting the symptoms only */
	double		 tprec;		/* share of the title's words the query names */
	double		 entry;		/* topics: how squarely one of its entries matches */
	unsigned	 groups;	/* the query's groups this row matched */
	int		 whole;		/* the whole query as a phrase: 2 title or symptoms, 1 elsewhere */
	sqlite3_int64	 topic;		/* entries: the topic they belong to */	/* the same, counting the symptoms only */
	double		 final;
	unsigned	 kind_bits;
};

/* The compiled query: phrases, their groups and each group's weight. */
struct kb_plan {
	struct kb_query	 q;
	struct kb_buf	 fts;
	unsigned char	 phrase_group[KB_MAX_PHRASES];
	size_t		 nphrases;
	double		 weight[KB_QUERY_MAX_GROUPS];
	double		 total_weight;
	int		 whole;		/* phrase index of the whole query, or -1 */
	int		 domain;	/* the query names something of the lexicon */
	/* The words of every alternative, for comparing with titles: word i
	 * belongs to alternative alt_of[i] of group group_of[i]. */
	char		*qwords[KB_QUERY_MAX_GROUPS * KB_QUERY_MAX_ALTS * 4];
	unsigned char	 group_of[KB_QUERY_MAX_GROUPS * KB_QUERY_MAX_ALTS * 4];
	unsigned char	 alt_of[KB_QUERY_MAX_GROUPS * KB_QUERY_MAX_ALTS * 4];
	size_t		 nqwords;
};

/* Matches expr against the given FTS table; hits sorted best first. */
int	 kb_match(struct kb_db *, const struct kb_plan *, int entries,
	    struct kb_hit **hits, size_t *nhits, size_t max);
/* Fills res->answers from the ranked topic hits and the matching entries. */
int	 kb_compose(struct kb_db *, const char *iac, const struct kb_hit *topics,
	    size_t ntopics, const struct kb_hit *entries, size_t nentries,
	    struct kb_result *res);

#endif
