/* msg.c: one function prints every diagnostic, so they all look alike. */
#include <stdarg.h>
#include <stdio.h>

#include "msg.h"

static const char *const level_names[] = { "note", "warning", "error" };

void
kb_diag_init(struct kb_diag *d)
{
	d->out = stderr;
	d->strict = 0;
	d->quiet = 0;
	d->warnings = 0;
	d->errors = 0;
}

void
kb_msg(struct kb_diag *d, enum kb_level level, const char *file, int line,
    const char *fmt, ...)
{
	va_list	 ap;

	if (level == KB_WARNING && d->strict)
		level = KB_ERROR;
	if (level == KB_WARNING)
		d->warnings++;
	else if (level == KB_ERROR)
		d->errors++;
	if (d->out == NULL || (d->quiet && level != KB_ERROR))
		return;
	fputs("apigw-kb: ", d->out);
	if (file != NULL && line > 0)
		fprintf(d->out, "%s:%d: ", file, line);
	else if (file != NULL)
		fprintf(d->out, "%s: ", file);
	fprintf(d->out, "%s: ", level_names[level]);
	va_start(ap, fmt);
	vfprintf(d->out, fmt, ap);
	va_end(ap);
	fputc('\n', d->out);
}

int
kb_diag_failed(const struct kb_diag *d)
{
	return d->errors > 0;
}
