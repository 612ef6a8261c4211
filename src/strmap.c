/* strmap.c: open-addressing hash map from strings to longs. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "strmap.h"

static uint64_t
hash(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ULL;	/* FNV-1a */

	while (n-- > 0) {
		h ^= (unsigned char)*s++;
		h *= 1099511628211ULL;
	}
	return h;
}

static struct kb_strmap_slot *
find(const struct kb_strmap *m, const char *key, size_t n, uint64_t h)
{
	size_t i;

	if (m->cap == 0)
		return NULL;
	/* The stored hash spares most probes a visit to the key's memory. */
	for (i = h & (m->cap - 1); m->slots[i].key != NULL; i = (i + 1) & (m->cap - 1))
		if (m->slots[i].hash == h && memcmp(m->slots[i].key, key, n) == 0 &&
		    m->slots[i].key[n] == '\0')
			return &m->slots[i];
	return &m->slots[i];
}

static int
grow(struct kb_strmap *m)
{
	struct kb_strmap	 bigger;
	size_t			 i;

	bigger.cap = m->cap ? m->cap * 2 : 64;
	bigger.count = m->count;
	if ((bigger.slots = calloc(bigger.cap, sizeof(*bigger.slots))) == NULL)
		return -1;
	for (i = 0; i < m->cap; i++) {
		struct kb_strmap_slot *s = &m->slots[i];
		if (s->key != NULL)
			*find(&bigger, s->key, strlen(s->key), s->hash) = *s;
	}
	free(m->slots);
	*m = bigger;
	return 0;
}

struct kb_strmap_slot *
kb_strmap_putn(struct kb_strmap *m, const char *key, size_t n)
{
	struct kb_strmap_slot	*s;
	uint64_t		 h = hash(key, n);

	if ((m->count + 1) * 4 > m->cap * 3 && grow(m) == -1)
		return NULL;
	s = find(m, key, n, h);
	if (s->key != NULL)
		return s;
	if ((s->key = malloc(n + 1)) == NULL)
		return NULL;
	memcpy(s->key, key, n);
	s->key[n] = '\0';
	s->hash = h;
	s->value = 0;
	m->count++;
	return s;
}

struct kb_strmap_slot *
kb_strmap_put(struct kb_strmap *m, const char *key)
{
	return kb_strmap_putn(m, key, strlen(key));
}

struct kb_strmap_slot *
kb_strmap_get(const struct kb_strmap *m, const char *key)
{
	size_t			 n = strlen(key);
	struct kb_strmap_slot	*s = find(m, key, n, hash(key, n));

	return (s != NULL && s->key != NULL) ? s : NULL;
}

void
kb_strmap_free(struct kb_strmap *m)
{
	size_t i;

	for (i = 0; i < m->cap; i++)
		free(m->slots[i].key);
	free(m->slots);
	m->slots = NULL;
	m->cap = m->count = 0;
}
