/* load.h: finding Markdown sources, reading them and their YAML front matter. */
#ifndef KB_LOAD_H
#define KB_LOAD_H

#include <stddef.h>

#include "msg.h"

enum kb_api {
	KB_API_REST = 1 << 0,
	KB_API_HTTP = 1 << 1,
	KB_API_WEBSOCKET = 1 << 2
};
#define KB_API_ALL (KB_API_REST | KB_API_HTTP | KB_API_WEBSOCKET)

struct kb_list {
	char	**v;
	size_t	  n;
};

struct kb_meta {
	char		*title;		/* NULL if not given */
	char		*description;
	unsigned	 api;		/* KB_API_* bits; 0 when not given */
	int		 has_order;
	long		 order;
	struct kb_list	 aliases;
	struct kb_list	 tags;
};

/*
 * One Markdown file.  `path` is for messages, `rel` is relative to the
 * content folder ("sub/x.md") and `slug` is rel without ".md".  `text` is
 * the body after the front matter and `body_line` the line it starts on.
 */
struct kb_source {
	char		*path;
	char		*rel;
	char		*slug;
	char		*text;
	size_t		 len;
	int		 body_line;
	struct kb_meta	 meta;
};

/*
 * Lists the files under root, sorted, as paths relative to it: Markdown
 * files in md, everything else (images, attachments) in other.  Hidden
 * files and folders are skipped.  Returns -1 after reporting an error.
 */
int	 kb_scan(const char *root, struct kb_list *md, struct kb_list *other,
	    struct kb_diag *);

/* Reads root/rel: checks UTF-8, splits and parses the front matter.
 * Returns -1 after reporting an error naming file and line. */
int	 kb_source_read(struct kb_source *, const char *root, const char *rel,
	    struct kb_diag *);
/* Frees the body text but keeps the metadata. */
void	 kb_source_drop_text(struct kb_source *);
void	 kb_source_free(struct kb_source *);

/* Text of the first level-1 heading of Markdown (caller frees), or NULL. */
char	*kb_first_h1(const char *text, size_t len);

/* Reads a whole file (caller frees).  Returns NULL with errno set. */
char	*kb_read_file(const char *path, size_t *len);

int	 kb_list_add(struct kb_list *, const char *);
void	 kb_list_free(struct kb_list *);

#endif
