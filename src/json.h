/* json.h: writing JSON strings safely into a buffer. */
#ifndef KB_JSON_H
#define KB_JSON_H

#include "buf.h"

/* Appends s as a quoted JSON string; "<", ">" and "&" are escaped so the
 * result is also safe inside an HTML <script> element. */
void	 kb_json_str(struct kb_buf *, const char *s);
void	 kb_json_strn(struct kb_buf *, const char *s, size_t n);

#endif
