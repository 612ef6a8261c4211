/* search.h: the one search core shared by the CLI and the web front ends. */
#ifndef KB_SEARCH_H
#define KB_SEARCH_H

#include <stddef.h>

#include "rank.h"

struct kb_db;

struct kb_search_opts {
	const char	*query;
	const char	*iac;		/* "cdk", "sam", "cloudformation", "terraform" or NULL */
	unsigned	 api;		/* KB_API_* bits to keep, 0 for all */
	size_t		 limit;		/* most answers wanted (1..50) */
	size_t		 explain;	/* candidates to explain (res->explain), 0: none */
};

struct kb_code_block {
	char	*flavor;
	char	*language;
	char	*code;
};

struct kb_item {
	char	*text;
	char	*url;
};

struct kb_answer {
	int			 rank;
	struct kb_item		 direct;	/* the one sentence or row that answers; text NULL if none */
	double			 score;
	char			*doc;
	char			*anchor;
	char			*title;
	char			*url;
	char			*recommendation;
	struct kb_code_block	*configuration;
	size_t			 nconfiguration;
	struct kb_item		*pitfalls;
	size_t			 npitfalls;
	struct kb_item		*limits;
	size_t			 nlimits;
};

/* --explain: how the ranking saw the query. */
struct kb_explain_group {
	char	*text;
	double	 weight;	/* IDF-like weight of the concept */
	long	 df;		/* topics holding it; 0: unknown to the index */
};

struct kb_candidate {
	char	*doc;
	char	*anchor;
	char	*title;
	double	 x[KB_NTOPIC];
	double	 score;
	int	 order;		/* position in FTS5's bm25 order */
};

struct kb_explain {
	char			*fts;		/* the FTS5 expression */
	struct kb_explain_group	 groups[32];
	size_t			 ngroups;
	struct kb_candidate	*cands;
	size_t			 ncands;
	double			 z[KB_NQUERY];	/* evidence for the "no answer" model */
	double			 p_answer;	/* its probability; answers when >= threshold */
	struct kb_model		 model;		/* the weights used */
};

struct kb_result {
	char			*query;		/* as understood, for display */
	const char		*iac;		/* the flavour used */
	struct kb_answer	*answers;
	size_t			 nanswers;
	char			**suggestions;
	size_t			 nsuggestions;
	char			*corrected;	/* the query with spelling fixes, or NULL */
	struct kb_explain	*explain;	/* with opts.explain, else NULL */
};

enum kb_search_status {
	KB_SEARCH_OK,
	KB_SEARCH_NOMEM,
	KB_SEARCH_NODB,		/* no index, or not ours: the message says what to do */
	KB_SEARCH_DBERR		/* the index is damaged; details for a log only */
};

/*
 * Opens the index read-only.  On failure returns NULL and writes a one-line
 * message for the user into err (size errsz).
 */
struct kb_db	*kb_db_open(const char *path, char *err, size_t errsz);
void		 kb_db_close(struct kb_db *);
/*
 * Ranks with the weights of a model file instead of the index's own (for
 * refitting and cross-validation).  On failure err says file:line and what.
 */
int		 kb_db_use_model(struct kb_db *, const char *path, char *err,
		    size_t errsz);

/*
 * Answers a query.  Fills res (free with kb_result_free) even when nothing
 * answers: then nanswers is 0 and suggestions may help.  On an error, err
 * holds details meant for a log, never for an end user.
 */
enum kb_search_status kb_search(struct kb_db *, const struct kb_search_opts *,
		    struct kb_result *res, char *err, size_t errsz);
void		 kb_result_free(struct kb_result *);

/* Valid flavour names for --iac; returns the canonical name or NULL. */
const char	*kb_iac_name(const char *);

#endif
