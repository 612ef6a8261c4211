/* answer.c: composes an answer per ranked topic: text, code, pitfalls, limits. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "search_int.h"

#define OWN_ENTRIES_MAX		8	/* per kind, from the topic itself */
#define RELATED_ENTRIES_MAX	3	/* per kind, from anywhere else */
/* Related entries must match this share of what the best topic matched. */
#define RELATED_SHARE		0.6
#define TEXT_FALLBACK_MAX	1500

/* Which code flavours an --iac choice accepts, in order of preference. */
static const struct {
	const char	*iac;
	const char	*flavors[2];
} accepts[] = {
	{ "cdk", { "cdk", NULL } },
	{ "sam", { "sam", "cloudformation" } },
	{ "cloudformation", { "cloudformation", "sam" } },
	{ "terraform", { "terraform", NULL } },
};

static int
wanted(const char *iac, const char *flavor)
{
	size_t i;

	for (i = 0; i < sizeof(accepts) / sizeof(accepts[0]); i++)
		if (strcmp(accepts[i].iac, iac) == 0)
			return (accepts[i].flavors[0] && strcmp(flavor, accepts[i].flavors[0]) == 0) ||
			    (accepts[i].flavors[1] && strcmp(flavor, accepts[i].flavors[1]) == 0);
	return 0;
}

const char *
kb_infer_flavour(struct kb_db *d, const struct kb_plan *p, sqlite3_int64 topic)
{
	sqlite3_stmt	*st;
	const char	*best = NULL;
	double		 best_share = 0, cdk_share = 0;
	size_t		 g, k;
	int		 typed = 0;

	/* Only what the user wrote as code counts: without it, no code to read. */
	for (g = 0; g < p->q.ngroups; g++)
		typed |= p->q.groups[g].ident;
	if (!typed)
		return NULL;
	if (kb_prepare(d, "SELECT flavor, code FROM code WHERE topic_id = ?", &st) != SQLITE_OK)
		return NULL;
	sqlite3_bind_int64(st, 1, topic);
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *fl = kb_iac_name((const char *)sqlite3_column_text(st, 0));
		char *words;
		uint32_t mask = 0;
		double share;

		if (fl == NULL || (words = kb_query_words((const char *)
		    sqlite3_column_text(st, 1))) == NULL)
			continue;
		/* Only what the user wrote as code: identifiers, not prose words. */
		for (g = 0; g < p->q.ngroups; g++)
			for (k = 0; p->q.groups[g].ident && k < p->q.groups[g].nalts; k++)
				if (kb_has_phrase(words, p->q.groups[g].alts[k])) {
					mask |= (uint32_t)1 << g;
					break;
				}
		free(words);
		share = kb_plan_share(p, mask);
		if (strcmp(fl, "cdk") == 0 && share > cdk_share)
			cdk_share = share;
		if (share > best_share) {
			best_share = share;
			best = fl;
		}
	}
	kb_release(st);
	return best != NULL && best_share > cdk_share ? best : NULL;
}

char *
kb_column_dup(sqlite3_stmt *st, int col)
{
	const unsigned char *s = sqlite3_column_text(st, col);

	return strdup(s ? (const char *)s : "");
}

static int
add_code(struct kb_answer *a, sqlite3_stmt *st)
{
	struct kb_code_block	*v, *c;

	v = realloc(a->configuration, (a->nconfiguration + 1) * sizeof(*v));
	if (v == NULL)
		return -1;
	a->configuration = v;
	c = &v[a->nconfiguration++];
	c->flavor = kb_column_dup(st, 0);
	c->language = kb_column_dup(st, 1);
	c->code = kb_column_dup(st, 2);
	return (c->flavor && c->language && c->code) ? 0 : -1;
}

/*
 * The configuration blocks of the wanted flavour, plus CLI and JSON ones.
 * When the topic has no block of that flavour, CDK (the default) stands in,
 * then whatever infrastructure code the topic has.
 */
static int
compose_code(struct kb_db *d, sqlite3_int64 topic, const char *iac,
    struct kb_answer *a)
{
	static const char *const fallbacks[] = { NULL, "cdk", "*" };
	sqlite3_stmt	*st;
	size_t		 f;
	int		 rc = 0, only_config;

	if (kb_prepare(d, "SELECT flavor, language, code, configuration,"
	    " max(configuration) OVER () FROM code WHERE topic_id = ? ORDER BY seq", &st) != SQLITE_OK)
		return -1;
	for (f = 0; f < sizeof(fallbacks) / sizeof(fallbacks[0]) && rc == 0; f++) {
		int found = 0;

		sqlite3_bind_int64(st, 1, topic);
		while (rc == 0 && sqlite3_step(st) == SQLITE_ROW) {
			const char *flavor = (const char *)sqlite3_column_text(st, 0);

			only_config = sqlite3_column_int(st, 4);
			if (only_config && !sqlite3_column_int(st, 3))
				continue;	/* an example elsewhere in the topic */
			if (kb_iac_name(flavor) == NULL) {
				if (f == 0 && (strcmp(flavor, "cli") == 0 ||
				    strcmp(flavor, "json") == 0))
					rc = add_code(a, st);
				continue;
			}
			if (f == 0 ? wanted(iac, flavor) :
			    f == 1 ? strcmp(flavor, "cdk") == 0 : 1) {
				rc = add_code(a, st);
				found = 1;
			}
		}
		sqlite3_reset(st);
		if (found)
			break;
	}
	kb_release(st);
	return rc;
}

static int
add_item(struct kb_item **v, size_t *n, const char *text, const char *url)
{
	struct kb_item	*p;
	size_t		 i;

	for (i = 0; i < *n; i++)
		if (strcmp((*v)[i].text, text) == 0)
			return 0;
	if ((p = realloc(*v, (*n + 1) * sizeof(*p))) == NULL)
		return -1;
	*v = p;
	p[*n].text = strdup(text);
	p[*n].url = strdup(url);
	if (p[*n].text == NULL || p[*n].url == NULL)
		return -1;
	(*n)++;
	return 0;
}

static int
add_entry_row(struct kb_answer *a, sqlite3_stmt *st, size_t max)
{
	const char *kind = (const char *)sqlite3_column_text(st, 0);
	const char *text = (const char *)sqlite3_column_text(st, 1);
	const char *url = (const char *)sqlite3_column_text(st, 2);

	if (strcmp(kind, "pitfall") == 0)
		return a->npitfalls < max ?
		    add_item(&a->pitfalls, &a->npitfalls, text, url) : 0;
	return a->nlimits < max ? add_item(&a->limits, &a->nlimits, text, url) : 0;
}

#define ENTRY_SELECT "SELECT e.kind, e.text, t.url, e.topic_id FROM entries e" \
    " JOIN topics t ON t.id = e.topic_id WHERE "
static const char own_entries_sql[] = ENTRY_SELECT "e.topic_id = ? ORDER BY e.id";
static const char one_entry_sql[] = ENTRY_SELECT "e.id = ?";

static int
compose_entries(struct kb_db *d, sqlite3_int64 topic, const struct kb_hit *rel,
    size_t nrel, struct kb_answer *a)
{
	sqlite3_stmt	*own = NULL, *one = NULL;
	size_t		 i, np, nl;
	int		 rc = -1;

	if (kb_prepare(d, own_entries_sql, &own) != SQLITE_OK ||
	    kb_prepare(d, one_entry_sql, &one) != SQLITE_OK)
		goto out;
	sqlite3_bind_int64(own, 1, topic);
	while (sqlite3_step(own) == SQLITE_ROW)
		if (add_entry_row(a, own, OWN_ENTRIES_MAX) == -1)
			goto out;
	np = a->npitfalls + RELATED_ENTRIES_MAX;
	nl = a->nlimits + RELATED_ENTRIES_MAX;
	for (i = 0; i < nrel; i++) {
		sqlite3_bind_int64(one, 1, rel[i].id);
		if (sqlite3_step(one) == SQLITE_ROW &&
		    sqlite3_column_int64(one, 3) != topic) {
			const char *kind = (const char *)sqlite3_column_text(one, 0);

			if (add_entry_row(a, one, strcmp(kind, "pitfall") == 0 ?
			    np : nl) == -1)
				goto out;
		}
		sqlite3_reset(one);
	}
	rc = 0;
out:
	kb_release(own);
	kb_release(one);
	return rc;
}

/*
 * The direct answer (of the first answer only: it is what a reader sees
 * first): of the topic's limit rows, pitfalls and the sentences
 * of its recommendation, the one that carries most of the query.  It must
 * carry at least DIRECT_SHARE of what the whole topic matched, so a
 * sentence that shares one common word with the query is not put first.
 */
#define DIRECT_SHARE	0.6
#define UNIT_MAX	600

struct unit_pick {
	double		 cov;
	size_t		 len;
	const char	*text;
	size_t		 n;
	const char	*url;
};

static void
consider(const struct kb_plan *p, const char *text, size_t n, const char *url,
    struct unit_pick *best)
{
	char	 buf[UNIT_MAX + 1];
	double	 prec, cov;

	while (n > 0 && (*text == ' ' || *text == '-')) {
		text++;
		n--;
	}
	if (n < 12 || n > UNIT_MAX)
		return;
	memcpy(buf, text, n);
	buf[n] = '\0';
	kb_title_match(p, buf, &prec, &cov, NULL);
	/* Ties go to the first: the topic's own rows come before related ones. */
	if (cov > best->cov) {
		best->cov = cov;
		best->text = text;
		best->n = n;
		best->url = url;
	}
}

/* Sentences of a recommendation: ". " before a capital, or a line. */
static void
consider_sentences(const struct kb_plan *p, const char *text, const char *url,
    struct unit_pick *best)
{
	const char	*s = text, *c;

	for (c = text; *c != '\0'; c++) {
		int end = *c == '\n' || ((*c == '.' || *c == '?' || *c == '!') &&
		    c[1] == ' ' && (c[2] >= 'A' && c[2] <= 'Z'));

		if (!end)
			continue;
		consider(p, s, (size_t)(c - s) + (*c != '\n'), url, best);
		s = c + 1;
	}
	consider(p, s, strlen(s), url, best);
}

static int
compose_direct(const struct kb_plan *p, const struct kb_hit *h, struct kb_answer *a)
{
	struct unit_pick best = { 0, 0, NULL, 0, NULL };
	size_t		 i;

	for (i = 0; i < a->nlimits; i++)
		consider(p, a->limits[i].text, strlen(a->limits[i].text),
		    a->limits[i].url, &best);
	for (i = 0; i < a->npitfalls; i++)
		consider(p, a->pitfalls[i].text, strlen(a->pitfalls[i].text),
		    a->pitfalls[i].url, &best);
	consider_sentences(p, a->recommendation, a->url, &best);
	if (best.text == NULL || best.cov <= 0 || best.cov < DIRECT_SHARE * h->coverage)
		return 0;
	a->direct.text = strndup(best.text, best.n);
	a->direct.url = strdup(best.url);
	return a->direct.text && a->direct.url ? 0 : -1;
}

static int
compose_one(struct kb_db *d, sqlite3_stmt *st, const struct kb_hit *h,
    const char *iac, const struct kb_hit *rel, size_t nrel, struct kb_answer *a)
{
	const char *rec;

	sqlite3_bind_int64(st, 1, h->id);
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_reset(st);
		return -1;
	}
	/* The model's score as a probability, for display. */
	a->score = (double)(long)(100.0 / (1.0 + exp(-h->score)) + 0.5) / 100.0;
	a->doc = kb_column_dup(st, 0);
	a->anchor = kb_column_dup(st, 1);
	a->title = kb_column_dup(st, 2);
	a->url = kb_column_dup(st, 3);
	rec = (const char *)sqlite3_column_text(st, 4);
	if (rec != NULL && *rec != '\0')
		a->recommendation = strdup(rec);
	else {
		/* A plain topic: its own text stands in, cut at a paragraph. */
		const char *t = (const char *)sqlite3_column_text(st, 5);
		size_t n = t ? strlen(t) : 0;

		if (n > TEXT_FALLBACK_MAX) {
			const char *cut = t + TEXT_FALLBACK_MAX;

			while (cut > t && !(cut[0] == '\n' && cut[-1] == '\n'))
				cut--;
			n = cut > t ? (size_t)(cut - t - 1) : TEXT_FALLBACK_MAX;
		}
		a->recommendation = strndup(t ? t : "", n);
	}
	sqlite3_reset(st);
	if (!a->doc || !a->anchor || !a->title || !a->url || !a->recommendation)
		return -1;
	if (compose_code(d, h->id, iac, a) == -1 ||
	    compose_entries(d, h->id, rel, nrel, a) == -1)
		return -1;
	return 0;
}

int
kb_compose(struct kb_db *d, const struct kb_plan *p, const char *iac,
    const struct kb_hit *hits, size_t n, const struct kb_hit *entries,
    size_t nentries, struct kb_result *res)
{
	sqlite3_stmt	*st = NULL;
	struct kb_hit	*rel = NULL;
	size_t		 nrel = 0, i;
	int		 rc = -1;

	/* Related pitfalls and limits: entries that match most of the query. */
	if ((rel = calloc(nentries + 1, sizeof(*rel))) == NULL)
		goto out;
	for (i = 0; i < nentries; i++)
		if (n > 0 && entries[i].coverage > 0 &&
		    entries[i].coverage >= RELATED_SHARE * hits[0].coverage)
			rel[nrel++] = entries[i];
	if ((res->answers = calloc(n, sizeof(*res->answers))) == NULL)
		goto out;
	if (kb_prepare(d, "SELECT d.slug, t.anchor, t.title, t.url,"
	    " t.recommendation, (SELECT group_concat(text, char(10, 10)) FROM"
	    " (SELECT text FROM parts WHERE topic_id = t.id AND kind <> 'symptoms'"
	    " AND text <> '' ORDER BY seq))"
	    " FROM topics t JOIN documents d ON d.id = t.doc_id WHERE t.id = ?", &st) != SQLITE_OK)
		goto out;
	for (i = 0; i < n; i++) {
		struct kb_answer *a = &res->answers[res->nanswers++];

		a->rank = (int)(i + 1);
		if (compose_one(d, st, &hits[i], iac, rel, nrel, a) == -1 ||
		    (i == 0 && compose_direct(p, &hits[i], a) == -1))
			goto out;
	}
	rc = 0;
out:
	kb_release(st);
	free(rel);
	return rc;
}
