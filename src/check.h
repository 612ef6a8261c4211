/* check.h: collects the anchors and links of every page, then reports broken ones. */
#ifndef KB_CHECK_H
#define KB_CHECK_H

#include "link.h"
#include "msg.h"

struct kb_check;

struct kb_check	*kb_check_new(void);
void		 kb_check_free(struct kb_check *);
/* Records that a document or file exists at a content-relative path. */
int		 kb_check_target(struct kb_check *, const char *rel);
/* Records an anchor (an element id) in the document at rel. */
int		 kb_check_anchor(struct kb_check *, const char *rel, const char *id);
/* Records a link found at path:line in the document at from_rel. */
int		 kb_check_link(struct kb_check *, const char *path, int line,
		    const char *from_rel, const struct kb_link *);
/* Reports every broken link as a warning (an error when strict); returns
 * how many were broken. */
size_t		 kb_check_run(struct kb_check *, struct kb_diag *);

#endif
