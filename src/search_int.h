/* search_int.h: what search.c and answer.c share inside the search core. */
#ifndef KB_SEARCH_INT_H
#define KB_SEARCH_INT_H

#include <sqlite3.h>
#include <stdint.h>

#include "query.h"
#include "rank.h"
#include "search.h"

#define KB_MAX_PHRASES 64	/* one bit each in the nearness masks */
#define KB_FTS_COLS 5		/* topic_fts: title, keywords, symptoms, body, code */

#define KB_STMT_CACHE 24

/*
 * What the features need of a topic or an entry, read from the index the
 * first time a query meets it and kept until kb_db_close: a server answers
 * many queries with one open index, and these look-ups were a quarter of a
 * search.
 */
struct kb_topic_row {
	char		*title;
	sqlite3_int64	 doc;
	unsigned	 api;		/* the document's KB_API_* bits */
	unsigned char	 loaded;
	unsigned char	 intro;		/* a page's introduction */
	unsigned char	 has_rec, has_sym, has_config;
	unsigned char	 kind;		/* 0 guide, 1 limits, 2 errors */
	unsigned char	 flavors;	/* bit i: code of kb_iac flavour i */
};

struct kb_entry_row {
	char		*name;		/* the text up to " — " (a table row), else its start */
	sqlite3_int64	 topic;
	int		 loaded;
};

struct kb_db {
	sqlite3		*db;
	long		 ntopics;
	struct kb_model	 model;
	struct kb_topic_row *topic_rows;	/* by topic id, 0..max_topic */
	sqlite3_int64	 max_topic;
	struct kb_entry_row *entry_rows;	/* by entry id, 0..max_entry */
	sqlite3_int64	 max_entry;
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
	sqlite3_int64	 topic;		/* entries: the topic they belong to */
	sqlite3_int64	 doc;		/* topics: their document */
	double		 bm25;		/* FTS5's, positive: higher is better */
	double		 colbm25[KB_FTS_COLS];
	uint32_t	 groups;	/* the query's groups this row matched */
	uint32_t	 gcol[KB_FTS_COLS];	/* the same, per column */
	int		 whole;		/* the whole query as a phrase: 2 title or symptoms, 1 elsewhere */
	int		 near_pairs;	/* adjacent groups of the query found near each other */
	int		 chain_sym;	/* longest chain of such pairs in the title or symptoms */
	int		 dropped;	/* filtered out (--api), or gone from the index */
	int		 order;		/* position in FTS5's bm25 order, from 0 */
	double		 coverage;	/* 0..1, weighted share of the query's groups */
	double		 tprec;		/* entries: share of the entry's name the query names */
	double		 x[KB_NTOPIC];	/* topics: the ranking model's features */
	double		 score;		/* topics: the model's score; entries: how squarely */
};

/* The compiled query: phrases, their groups and each group's weight. */
struct kb_plan {
	struct kb_query	 q;
	struct kb_buf	 fts;
	unsigned char	 phrase_group[KB_MAX_PHRASES];
	size_t		 nphrases;
	double		 weight[KB_QUERY_MAX_GROUPS];
	long		 df[KB_QUERY_MAX_GROUPS];	/* topics holding the group */
	double		 total_weight;
	int		 whole;		/* phrase index of the whole query, or -1 */
	int		 domain;	/* domain terms (lexicon phrases) the query names */
	/* The words of every alternative, for comparing with titles: word i
	 * belongs to alternative alt_of[i] of group group_of[i]. */
	char		*qwords[KB_QUERY_MAX_GROUPS * KB_QUERY_MAX_ALTS * 4];
	unsigned char	 group_of[KB_QUERY_MAX_GROUPS * KB_QUERY_MAX_ALTS * 4];
	unsigned char	 alt_of[KB_QUERY_MAX_GROUPS * KB_QUERY_MAX_ALTS * 4];
	size_t		 nqwords;
};

/* search.c: the cached rows (NULL when the id is not in the index). */
const struct kb_topic_row *kb_topic_row(struct kb_db *, sqlite3_int64 id);
const struct kb_entry_row *kb_entry_row(struct kb_db *, sqlite3_int64 id);
/* The index of an --iac flavour name in the flavour bits, or -1. */
int	 kb_iac_index(const char *);

/* features.c */
int	 kb_register_features(sqlite3 *);
/* Candidates for the plan's FTS5 expression, best bm25 first, at most max. */
int	 kb_candidates(struct kb_db *, const struct kb_plan *, int entries,
	    struct kb_hit **hits, size_t *nhits, size_t max);
/* Credits topics with the entries (limits, pitfalls) the query names. */
int	 kb_score_entries(struct kb_db *, const struct kb_plan *, struct kb_hit *e,
	    size_t ne, struct kb_hit *topics, size_t nt);
/* Fills each topic's feature vector x. */
int	 kb_topic_features(struct kb_db *, const struct kb_plan *, unsigned api,
	    const char *iac, struct kb_hit *, size_t);
/* Weighted share of the query's groups in mask. */
double	 kb_plan_share(const struct kb_plan *, uint32_t mask);
/* The query against a title (or an entry's name), word by word. */
void	 kb_title_match(const struct kb_plan *, const char *title, double *prec,
	    double *cov, uint32_t *mask);

/*
 * answer.c: the configuration flavour whose code in the topic quotes more
 * of the query than its CDK code does ("aws_api_gateway_domain_name" asks
 * for Terraform), or NULL.
 */
const char *kb_infer_flavour(struct kb_db *, const struct kb_plan *,
	    sqlite3_int64 topic);
/* answer.c: a column's text as a copy ("" for NULL); caller frees. */
char	*kb_column_dup(sqlite3_stmt *, int col);
/* answer.c: fills res->answers from the ranked topics and matching entries. */
int	 kb_compose(struct kb_db *, const struct kb_plan *, const char *iac,
	    const struct kb_hit *topics, size_t ntopics,
	    const struct kb_hit *entries, size_t nentries, struct kb_result *res);

#endif
