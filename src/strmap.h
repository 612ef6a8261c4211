/* strmap.h: a string-keyed hash map of integers (sets, counters, indexes). */
#ifndef KB_STRMAP_H
#define KB_STRMAP_H

#include <stddef.h>
#include <stdint.h>

struct kb_strmap_slot {
	char		*key;		/* owned copy */
	long		 value;
	uint64_t	 hash;		/* the map's own */
};

struct kb_strmap {
	struct kb_strmap_slot	*slots;
	size_t			 cap;	/* power of two */
	size_t			 count;
};

#define KB_STRMAP_INIT { NULL, 0, 0 }

/* Returns the slot of key, adding it with value 0 if absent; NULL on ENOMEM. */
struct kb_strmap_slot	*kb_strmap_put(struct kb_strmap *, const char *);
struct kb_strmap_slot	*kb_strmap_putn(struct kb_strmap *, const char *, size_t);
/* Returns the slot of key or NULL. */
struct kb_strmap_slot	*kb_strmap_get(const struct kb_strmap *, const char *);
void			 kb_strmap_free(struct kb_strmap *);

#endif
