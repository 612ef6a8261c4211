/* json.c: JSON string escaping. */
#include <string.h>

#include "json.h"

void
kb_json_strn(struct kb_buf *b, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	size_t i, start = 0;

	kb_buf_putc(b, '"');
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		const char *esc = NULL;
		char u[7];

		switch (c) {
		case '"':  esc = "\\\""; break;
		case '\\': esc = "\\\\"; break;
		case '\n': esc = "\\n"; break;
		case '\r': esc = "\\r"; break;
		case '\t': esc = "\\t"; break;
		case '<':  esc = "\\u003c"; break;
		case '>':  esc = "\\u003e"; break;
		case '&':  esc = "\\u0026"; break;
		default:
			if (c < 0x20) {
				u[0] = '\\'; u[1] = 'u'; u[2] = '0'; u[3] = '0';
				u[4] = hex[c >> 4]; u[5] = hex[c & 15]; u[6] = '\0';
				esc = u;
			}
			break;
		}
		if (esc == NULL)
			continue;
		kb_buf_add(b, s + start, i - start);
		kb_buf_puts(b, esc);
		start = i + 1;
	}
	kb_buf_add(b, s + start, n - start);
	kb_buf_putc(b, '"');
}

void
kb_json_str(struct kb_buf *b, const char *s)
{
	kb_json_strn(b, s ? s : "", s ? strlen(s) : 0);
}
