/* search.h: the one search core shared by the CLI and the web front ends. */
#ifndef KB_SEARCH_H
#define KB_SEARCH_H

#include <stddef.h>

struct kb_db;

struct kb_search_opts {
	const char	*query;
	const char	*iac;		/* "cdk", "sam", "cloudformation", "terraform" or NULL */
	unsigned	 api;		/* KB_API_* bits to keep, 0 for all */
	size_t		 limit;		/* most answers wanted (1..50) */
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

struct kb_result {
	char			*query;		/* as understood, for display */
	const char		*iac;		/* the flavour used */
	struct kb_answer	*answers;
	size_t			 nanswers;
	char			**suggestions;
	size_t			 nsuggestions;
	char			*corrected;	/* the query with spelling fixes, or NULL */
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
