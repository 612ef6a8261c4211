/* model.h: the document model: a document's topics, parts, code and entries. */
#ifndef KB_MODEL_H
#define KB_MODEL_H

#include <stddef.h>

#include <cmark-gfm.h>

#include "load.h"
#include "msg.h"

enum kb_part_kind {
	KB_PART_TEXT,		/* introduction or an H3 of free text */
	KB_PART_SYMPTOMS,
	KB_PART_RECOMMENDATION,
	KB_PART_CONFIGURATION,
	KB_PART_PITFALLS,
	KB_PART_LIMITS
};

enum kb_entry_kind {
	KB_ENTRY_PITFALL,
	KB_ENTRY_LIMIT
};

struct kb_part {
	enum kb_part_kind	 kind;
	char			*heading;	/* NULL for the text before any H3 */
	char			*text;		/* plain text, paragraphs split by "\n\n" */
};

struct kb_code {
	const char	*flavor;	/* static: "cdk", "sam", "cloudformation", ... */
	const char	*language;	/* static, or "" */
	char		*code;
	int		 in_configuration;
};

struct kb_entry {
	enum kb_entry_kind	 kind;
	char			*text;
};

struct kb_topic {
	char		*title;
	char		*anchor;	/* "" for the introduction */
	int		 line;		/* line in the source file */
	struct kb_part	*parts;
	size_t		 nparts;
	struct kb_code	*codes;
	size_t		 ncodes;
	struct kb_entry	*entries;
	size_t		 nentries;
};

struct kb_heading {
	int	 level;
	int	 line;		/* line in the body text, as cmark counts */
	char	*text;
	char	*anchor;
};

/*
 * A parsed document.  The cmark tree and its parser stay alive so the site
 * can render the same tree; kb_doc_free releases everything.
 */
struct kb_doc {
	const struct kb_source	*src;		/* borrowed */
	char			*title;
	cmark_parser		*parser;
	cmark_node		*root;
	struct kb_heading	*headings;
	size_t			 nheadings;
	struct kb_topic		*topics;
	size_t			 ntopics;
};

/* Parses src->text.  Returns -1 after reporting an error. */
int		 kb_doc_parse(struct kb_doc *, const struct kb_source *,
		    struct kb_diag *);
void		 kb_doc_free(struct kb_doc *);
/* The reserved part a heading names, or KB_PART_TEXT. */
enum kb_part_kind kb_part_kind_of(const char *heading);
const char	*kb_part_kind_name(enum kb_part_kind);
/* Maps a fence info string to a flavour and a language. */
void		 kb_code_flavor(const char *info, const char *code,
		    const char **flavor, const char **language);
/* The title a document is listed under: front matter, first H1, or slug. */
char		*kb_doc_title(const struct kb_source *);

#endif
