/* index.h: writing the SQLite FTS5 index (kb.sqlite) of a build. */
#ifndef KB_INDEX_H
#define KB_INDEX_H

#include "model.h"
#include "msg.h"
#include "rank.h"

#define KB_SCHEMA_VERSION "2"

struct kb_index;

/*
 * Creates a new index at path (which must not be in use) and opens its one
 * transaction.  Returns NULL after reporting an error.
 */
struct kb_index	*kb_index_create(const char *path, struct kb_diag *);
/* Adds a document page at url ("sub/x.html") with its topics, parts and entries. */
int		 kb_index_add_doc(struct kb_index *, const struct kb_doc *,
		    const char *url, long order);
/* Adds one synonym rule: what users type, and a phrase the documents use. */
int		 kb_index_add_synonym(struct kb_index *, const char *term,
		    const char *expansion);
/* Adds a domain term (an alias, a tag, a synonym) to the lexicon that tells
 * on-topic queries from general ones. */
int		 kb_index_add_term(struct kb_index *, const char *phrase);
/* Stores the ranking and "no answer" weights the search will use. */
int		 kb_index_add_model(struct kb_index *, const struct kb_model *);
/* Writes the meta rows and the vocabulary, commits and closes.  Frees. */
int		 kb_index_finish(struct kb_index *, const char *content_hash,
		    const char *build_time);
/* Rolls back, closes and frees (the caller removes the file). */
void		 kb_index_abort(struct kb_index *);

#endif
