/* fs.h: the file system operations the build needs, each reporting its own errors. */
#ifndef KB_FS_H
#define KB_FS_H

#include <stddef.h>

#include "msg.h"

/* Creates path and its missing parents. */
int	 kb_mkdirs(const char *path, struct kb_diag *);
/* Creates the parent folders of a file path. */
int	 kb_mkparents(const char *path, struct kb_diag *);
/* Writes data to path in full, checking every write and the close. */
int	 kb_write_file(const char *path, const char *data, size_t len,
	    struct kb_diag *);
int	 kb_copy_file(const char *from, const char *to, struct kb_diag *);
/* Copies the files of folder from into to, recursively; a missing from is fine. */
int	 kb_copy_tree(const char *from, const char *to, struct kb_diag *);
/* Removes path and everything under it; a missing path is fine. */
int	 kb_remove_tree(const char *path);
int	 kb_is_dir(const char *path);

#endif
