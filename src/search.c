/* search.c: expands a query with synonyms and spelling fixes, then ranks topics. */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "load.h"
#include "index.h"
#include "search_int.h"
#include "text.h"

/* Column weights for bm25: title, keywords, symptoms, body, code. */
#define W_TITLE		"10.0"
#define W_KEYWORDS	"4.0"
#define W_SYMPTOMS	"6.0"
#define W_BODY		"1.0"
#define W_CODE		"0.5"

/* Below this weighted coverage the best topic does not answer the query. */
#define MIN_COVERAGE	0.55
/* How many of bm25's best topics and entries the ranking looks at. */
#define TOPIC_CANDIDATES	100
#define ENTRY_CANDIDATES	60
/* Counting matches stops here: past it a word is common, whatever the count. */
#define DF_CAP			2000

/* Without a domain term, the best topics must show this much evidence. */
#define MIN_EVIDENCE	0.5
/* Answers after the first must reach this share of the first's score. */
#define MIN_RELATIVE	0.2

static const char *const iac_names[] = { "cdk", "sam", "cloudformation", "terraform" };

const char *
kb_iac_name(const char *s)
{
	size_t i;

	for (i = 0; i < sizeof(iac_names) / sizeof(iac_names[0]); i++)
		if (strcmp(s, iac_names[i]) == 0)
			return iac_names[i];
	return NULL;
}

/*
 * kb_match(fts): an FTS5 auxiliary function saying which phrases of the
 * query matched this row, in one int64 of three 16-bit masks: phrases
 * anywhere (bits 0-15), in the first column (16-31: the title, or an
 * entry's text) and in the third (32-47: symptoms).
 */
static void
fts_match_fn(const Fts5ExtensionApi *api, Fts5Context *ctx,
    sqlite3_context *out, int nval, sqlite3_value **vals)
{
	sqlite3_int64	 mask = 0;
	int		 n, k, ninst, phrase, col, off;

	(void)nval;
	(void)vals;
	n = api->xPhraseCount(ctx);
	if (n > KB_MAX_PHRASES)
		n = KB_MAX_PHRASES;
	if (api->xInstCount(ctx, &ninst) != SQLITE_OK) {
		sqlite3_result_error(out, "kb_match", -1);
		return;
	}
	for (k = 0; k < ninst; k++) {
		if (api->xInst(ctx, k, &phrase, &col, &off) != SQLITE_OK)
			break;
		if (phrase >= n)
			continue;
		mask |= (sqlite3_int64)1 << phrase;
		if (col == 0)
			mask |= (sqlite3_int64)1 << (16 + phrase);
		else if (col == 2)
			mask |= (sqlite3_int64)1 << (32 + phrase);
	}
	sqlite3_result_int64(out, mask);
}

static int
register_match(sqlite3 *db)
{
	fts5_api	*api = NULL;
	sqlite3_stmt	*st;

	if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_pointer(st, 1, (void *)&api, "fts5_api_ptr", NULL);
	sqlite3_step(st);
	sqlite3_finalize(st);
	if (api == NULL || api->iVersion < 2)
		return -1;
	return api->xCreateFunction(api, "kb_match", NULL, fts_match_fn, NULL) ==
	    SQLITE_OK ? 0 : -1;
}

/* "file:" URI of a path, with what a URI reserves percent-encoded. */
static char *
file_uri(const char *path)
{
	static const char hex[] = "0123456789ABCDEF";
	struct kb_buf	 b = KB_BUF_INIT;
	const unsigned char *p;
	char		*s, *out;

	kb_buf_puts(&b, "file:");
	for (p = (const unsigned char *)path; *p; p++) {
		if (isalnum(*p) || strchr("/-._~", *p) != NULL)
			kb_buf_putc(&b, (char)*p);
		else {
			kb_buf_putc(&b, '%');
			kb_buf_putc(&b, hex[*p >> 4]);
			kb_buf_putc(&b, hex[*p & 15]);
		}
	}
	kb_buf_puts(&b, "?immutable=1");
	if ((s = kb_buf_take(&b)) == NULL)
		return NULL;
	out = sqlite3_mprintf("%s", s);	/* freed with sqlite3_free below */
	free(s);
	return out;
}

struct kb_db *
kb_db_open(const char *path, char *err, size_t errsz)
{
	struct kb_db	*d;
	sqlite3_stmt	*st = NULL;
	char		*uri;
	int		 ok = 0;

	if ((d = calloc(1, sizeof(*d))) == NULL) {
		snprintf(err, errsz, "out of memory");
		return NULL;
	}
	/* The build never changes a published index in place, so it is immutable. */
	uri = file_uri(path);
	if (uri == NULL || sqlite3_open_v2(uri, &d->db, SQLITE_OPEN_READONLY |
	    SQLITE_OPEN_URI, NULL) != SQLITE_OK) {
		snprintf(err, errsz, "cannot open the index %s; run apigw-kb build", path);
		goto out;
	}
	if (kb_prepare(d, "SELECT value FROM meta WHERE key = "
	    "'schema_version'", &st) != SQLITE_OK ||
	    sqlite3_step(st) != SQLITE_ROW) {
		snprintf(err, errsz, "%s is not an apigw-kb index; run apigw-kb build",
		    path);
		goto out;
	}
	if (strcmp((const char *)sqlite3_column_text(st, 0), KB_SCHEMA_VERSION) != 0) {
		snprintf(err, errsz, "the index %s is from another version of "
		    "apigw-kb; run apigw-kb build", path);
		goto out;
	}
	kb_release(st);
	st = NULL;
	if (kb_prepare(d, "SELECT count(*) FROM topics", &st) != SQLITE_OK || sqlite3_step(st) != SQLITE_ROW) {
		snprintf(err, errsz, "the index %s is damaged; run apigw-kb build", path);
		goto out;
	}
	d->ntopics = (long)sqlite3_column_int64(st, 0);
	if (register_match(d->db) == -1) {
		snprintf(err, errsz, "SQLite was built without FTS5");
		goto out;
	}
	ok = 1;
out:
	kb_release(st);
	sqlite3_free(uri);
	if (!ok) {
		kb_db_close(d);
		return NULL;
	}
	return d;
}

int
kb_prepare(struct kb_db *d, const char *sql, sqlite3_stmt **st)
{
	size_t	 i;
	int	 rc;

	for (i = 0; i < KB_STMT_CACHE && d->sql[i] != NULL; i++)
		if (strcmp(d->sql[i], sql) == 0) {
			*st = d->stmt[i];
			return SQLITE_OK;
		}
	if (i == KB_STMT_CACHE)
		return SQLITE_ERROR;	/* more statements than the cache holds: a bug */
	rc = sqlite3_prepare_v3(d->db, sql, -1, SQLITE_PREPARE_PERSISTENT, st, NULL);
	if (rc != SQLITE_OK)
		return rc;
	if ((d->sql[i] = strdup(sql)) == NULL) {
		sqlite3_finalize(*st);
		*st = NULL;
		return SQLITE_NOMEM;
	}
	d->stmt[i] = *st;
	return SQLITE_OK;
}

void
kb_release(sqlite3_stmt *st)
{
	if (st == NULL)
		return;
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
}

void
kb_db_close(struct kb_db *d)
{
	size_t i;

	if (d == NULL)
		return;
	for (i = 0; i < KB_STMT_CACHE && d->sql[i] != NULL; i++) {
		sqlite3_finalize(d->stmt[i]);
		free((char *)d->sql[i]);
	}
	sqlite3_close(d->db);
	free(d);
}

/* --- expansion --------------------------------------------------------- */

/*
 * How many topics match a phrase, or with prefix set a word starting with
 * it: 0 means the knowledge base does not know it.  -1 on an error.
 */
static long
match_count(struct kb_db *d, const char *words, int prefix)
{
	sqlite3_stmt	*st;
	struct kb_buf	 e = KB_BUF_INIT;
	long		 n = -1;
	const char	*p;

	kb_buf_putc(&e, '"');
	for (p = words; *p; p++) {
		if (*p == '"')
			kb_buf_putc(&e, '"');
		kb_buf_putc(&e, *p);
	}
	kb_buf_puts(&e, prefix ? "\"*" : "\"");
	if (!e.failed && kb_prepare(d, "SELECT count(*) FROM (SELECT 1 FROM "
	    "topic_fts WHERE topic_fts MATCH ?1 LIMIT ?2)", &st) == SQLITE_OK) {
		sqlite3_bind_text(st, 1, e.data, -1, SQLITE_STATIC);
		sqlite3_bind_int(st, 2, DF_CAP);
		if (sqlite3_step(st) == SQLITE_ROW)
			n = (long)sqlite3_column_int64(st, 0);
		kb_release(st);
	}
	kb_buf_free(&e);
	return n;
}


/* Is " term " in " words "? */
static int
has_phrase(const char *words, const char *term)
{
	size_t		 n = strlen(term);
	const char	*p = words;

	while ((p = strstr(p, term)) != NULL) {
		if ((p == words || p[-1] == ' ') && (p[n] == '\0' || p[n] == ' '))
			return 1;
		p++;
	}
	return 0;
}

static void
remove_group(struct kb_query *q, size_t i)
{
	size_t k;

	for (k = 0; k < q->groups[i].nalts; k++)
		free(q->groups[i].alts[k]);
	free(q->groups[i].corrected_from);
	memmove(&q->groups[i], &q->groups[i + 1],
	    (q->ngroups - i - 1) * sizeof(q->groups[0]));
	q->ngroups--;
}

static long
find_group(const struct kb_query *q, const char *word)
{
	size_t i;

	for (i = 0; i < q->ngroups; i++)
		if (strcmp(q->groups[i].alts[0], word) == 0)
			return (long)i;
	return -1;
}

/*
 * Applies the synonym rules whose term appears in the query's words.  A
 * rule of several words merges their groups into one concept.
 */
static int
expand_synonyms(struct kb_db *d, struct kb_query *q, const char *words)
{
	sqlite3_stmt	*st;
	int		 rc = 0;

	if (kb_prepare(d, "SELECT term, expansion FROM synonyms", &st) != SQLITE_OK)
		return -1;
	while (rc == 0 && sqlite3_step(st) == SQLITE_ROW) {
		/* The build stored both sides as kb_query_words() gives them. */
		char *t = strdup((const char *)sqlite3_column_text(st, 0));
		char *x = strdup((const char *)sqlite3_column_text(st, 1));
		char *save, *w, *copy = NULL;
		long first = -1, g;

		if (t == NULL || x == NULL || (copy = strdup(t)) == NULL) {
			rc = -1;
		} else if (*t != '\0' && *x != '\0' && has_phrase(words, t)) {
			/* Merge the term's words into the first one's group. */
			for (w = strtok_r(copy, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
				if ((g = find_group(q, w)) == -1)
					continue;
				if (first == -1) {
					first = g;
					continue;
				}
				if (g == first)
					continue;
				remove_group(q, (size_t)g);
				if (g < first)
					first--;
			}
			if (first >= 0) {
				struct kb_group *grp = &q->groups[first];

				if (strcmp(grp->alts[0], t) != 0 && strchr(t, ' ')) {
					free(grp->alts[0]);
					if ((grp->alts[0] = strdup(t)) == NULL)
						rc = -1;
					grp->prefix = 0;
				}
				if (rc == 0 && kb_group_add(grp, x) == -1)
					rc = -1;
			}
		}
		free(t);
		free(x);
		free(copy);
	}
	kb_release(st);
	return rc;
}

/* Optimal string alignment distance, giving up above max. */
static int
edit_distance(const char *a, const char *b, int max)
{
	int	 la = (int)strlen(a), lb = (int)strlen(b), i, j;
	int	 d[3][65];
	int	*prev2 = d[0], *prev = d[1], *cur = d[2], *t;

	if (la > 64 || lb > 64 || abs(la - lb) > max)
		return max + 1;
	for (j = 0; j <= lb; j++)
		prev[j] = j;
	for (i = 1; i <= la; i++) {
		int best;

		cur[0] = best = i;
		for (j = 1; j <= lb; j++) {
			int cost = a[i - 1] != b[j - 1];
			int v = prev[j] + 1;

			if (cur[j - 1] + 1 < v)
				v = cur[j - 1] + 1;
			if (prev[j - 1] + cost < v)
				v = prev[j - 1] + cost;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && prev2[j - 2] + 1 < v)
				v = prev2[j - 2] + 1;
			cur[j] = v;
			if (v < best)
				best = v;
		}
		if (best > max)
			return max + 1;
		t = prev2; prev2 = prev; prev = cur; cur = t;
	}
	return prev[lb];
}

/* The closest word of the knowledge base's own vocabulary, or NULL. */
static char *
correct_word(struct kb_db *d, const char *word)
{
	sqlite3_stmt	*st;
	int		 len = (int)strlen(word), max = len <= 8 ? 1 : 2;
	int		 best_d = max + 1;
	long		 best_n = 0;
	char		*best = NULL;

	if (kb_prepare(d, "SELECT word, n FROM vocab WHERE "
	    "length(word) BETWEEN ? AND ?", &st) != SQLITE_OK)
		return NULL;
	sqlite3_bind_int(st, 1, len - max);
	sqlite3_bind_int(st, 2, len + max);
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *w = (const char *)sqlite3_column_text(st, 0);
		long n = (long)sqlite3_column_int64(st, 1);
		int dist = edit_distance(word, w, max);

		/* Typos seldom hit the first letter; short words are often stop words. */
		if (dist > max || dist == 0 || w[0] != word[0] || strlen(w) < 4)
			continue;
		if (dist < best_d || (dist == best_d && n > best_n)) {
			free(best);
			best = strdup(w);
			best_d = dist;
			best_n = n;
		}
	}
	kb_release(st);
	return best;
}

static int
is_alpha_word(const char *w)
{
	for (; *w; w++)
		if (!((*w >= 'a' && *w <= 'z') || (unsigned char)*w >= 0x80))
			return 0;
	return 1;
}

/*
 * Adjacent words that the documents use as a phrase are one concept:
 * "usage plan" is not "usage" and "plan" scattered over a topic.  A pair is
 * a phrase when at least a third of the topics holding the rarer word hold
 * the pair, and at least two do.
 */
static int
merge_phrases(struct kb_db *d, struct kb_query *q)
{
	struct kb_buf	 pair = KB_BUF_INIT;
	size_t		 i;
	int		 rc = 0;

	for (i = 0; i + 1 < q->ngroups && rc == 0; i++) {
		struct kb_group *a = &q->groups[i], *b = &q->groups[i + 1];
		long fa, fb, fp;

		if (a->nalts != 1 || b->nalts != 1 || a->code || b->code ||
		    strchr(a->alts[0], ' ') || strchr(b->alts[0], ' '))
			continue;
		kb_buf_reset(&pair);
		kb_buf_printf(&pair, "%s %s", a->alts[0], b->alts[0]);
		if (pair.failed) {
			rc = -1;
			break;
		}
		fp = match_count(d, pair.data, 0);
		fa = match_count(d, a->alts[0], 0);
		fb = match_count(d, b->alts[0], 0);
		if (fp < 2 || fp * 3 < (fa < fb ? fa : fb))
			continue;
		free(a->alts[0]);
		if ((a->alts[0] = strdup(pair.data)) == NULL)
			rc = -1;
		a->prefix = 0;
		a->merged = 1;
		remove_group(q, i + 1);
	}
	kb_buf_free(&pair);
	return rc;
}

/* Weighs each group by how rare it is; fixes the spelling of unknown words. */
static int
weigh_and_correct(struct kb_db *d, struct kb_plan *p, struct kb_buf *corrected,
    int *changed)
{
	struct kb_query	*q = &p->q;
	double		 n = (double)(d->ntopics > 0 ? d->ntopics : 1);
	size_t		 i, k;

	p->total_weight = 0;
	for (i = 0; i < q->ngroups; i++) {
		struct kb_group *g = &q->groups[i];
		long df = 0, f;

		for (k = 0; k < g->nalts; k++)
			if ((f = match_count(d, g->alts[k], 0)) > df)
				df = f;
		/*
		 * The last word may be unfinished ("throttl"): match it as a prefix,
		 * but only when it is not a word of the index already, since a
		 * prefix query costs a scan of the vocabulary.
		 */
		if (g->prefix && df > 0)
			g->prefix = 0;
		else if (g->prefix && (df = match_count(d, g->alts[0], 1)) <= 0) {
			g->prefix = 0;
			df = 0;
		}
		if (df == 0 && !g->ident && !g->code && strlen(g->alts[0]) >= 4 &&
		    is_alpha_word(g->alts[0])) {
			char *fix = correct_word(d, g->alts[0]);

			if (fix != NULL) {
				g->corrected_from = g->alts[0];
				g->alts[0] = fix;
				g->prefix = 0;
				*changed = 1;
				df = match_count(d, fix, 0);
			}
		}
		/* An unknown word is as rare as can be: it weighs the most. */
		p->weight[i] = log((n - (double)df + 0.5) / ((double)df + 0.5) + 1.0);
		if (df == 0)
			p->weight[i] = log(n + 1.0) + 1.0;
		p->total_weight += p->weight[i];
		if (i > 0)
			kb_buf_putc(corrected, ' ');
		kb_buf_puts(corrected, g->alts[0]);
	}
	return corrected->failed ? -1 : 0;
}

/*
 * Does the query name a domain term (an alias, a tag or a synonym of the
 * knowledge base)?  Without one, only a topic that matches squarely counts
 * as an answer: general questions about HTTP APIs are not ours to answer.
 */
static int
names_domain_term(struct kb_db *d, const char *words, int *found)
{
	sqlite3_stmt	*st;
	char		*key = kb_query_lexicon_key(words);

	*found = 0;
	if (key == NULL)
		return -1;
	if (*key != '\0' && kb_prepare(d, "SELECT phrase FROM lexicon", &st) == SQLITE_OK) {
		while (!*found && sqlite3_step(st) == SQLITE_ROW)
			*found = has_phrase(key,
			    (const char *)sqlite3_column_text(st, 0));
		kb_release(st);
	}
	free(key);
	return 0;
}

/*
 * How squarely a topic answers: the query in its title, its symptoms, one
 * of its entries, the whole query as a phrase, or identifiers and codes the
 * user typed.  Any one of these is evidence enough.
 */
static double
evidence(const struct kb_plan *p, const struct kb_hit *h)
{
	double	 e = h->title_cov, ident = 0;
	size_t	 g;

	if (h->sym_cov > e)
		e = h->sym_cov;
	if (h->entry > e)
		e = h->entry;
	if (h->whole && e < 0.8)
		e = 0.8;
	for (g = 0; g < p->q.ngroups; g++)
		if ((p->q.groups[g].ident || p->q.groups[g].code) &&
		    (h->groups & (1u << g)))
			ident += p->weight[g];
	if (p->total_weight > 0 && ident / p->total_weight > e)
		e = ident / p->total_weight;
	return e;
}

/* --- matching ---------------------------------------------------------- */

static int
cmp_hit(const void *a, const void *b)
{
	const struct kb_hit *x = a, *y = b;

	if (x->final != y->final)
		return x->final > y->final ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;	/* stable output */
}

static void
coverage(const struct kb_plan *p, sqlite3_int64 mask, struct kb_hit *h)
{
	unsigned	 any = 0, title = 0, sym = 0;
	size_t		 i;
	double		 c = 0, t = 0, y = 0;

	h->whole = 0;
	for (i = 0; i < p->nphrases; i++) {
		unsigned bit = 1u << p->phrase_group[i];

		if ((int)i == p->whole) {
			if (mask & ((sqlite3_int64)1 << (16 + i)) ||
			    mask & ((sqlite3_int64)1 << (32 + i)))
				h->whole = 2;
			else if (mask & ((sqlite3_int64)1 << i))
				h->whole = 1;
			continue;
		}
		if (mask & ((sqlite3_int64)1 << i))
			any |= bit;
		if (mask & ((sqlite3_int64)1 << (16 + i)))
			title |= bit;
		if (mask & ((sqlite3_int64)1 << (32 + i)))
			sym |= bit;
	}
	for (i = 0; i < p->q.ngroups; i++) {
		if (any & (1u << i))
			c += p->weight[i];
		if (title & (1u << i))
			t += p->weight[i];
		if (sym & (1u << i))
			y += p->weight[i];
	}
	h->groups = any;
	h->coverage = p->total_weight > 0 ? c / p->total_weight : 0;
	h->title_cov = p->total_weight > 0 ? t / p->total_weight : 0;
	h->sym_cov = p->total_weight > 0 ? y / p->total_weight : 0;
}

int
kb_match(struct kb_db *d, const struct kb_plan *p, int entries,
    struct kb_hit **hitsp, size_t *nhits, size_t max)
{
	/*
	 * ORDER BY rank lets FTS5 sort by itself, so kb_match() runs only for
	 * the rows returned, not for every row that matched.
	 */
	static const char topic_sql[] =
	    "SELECT rowid, rank, kb_match(topic_fts) FROM topic_fts"
	    " WHERE topic_fts MATCH ?1 AND rank MATCH 'bm25(" W_TITLE ", "
	    W_KEYWORDS ", " W_SYMPTOMS ", " W_BODY ", " W_CODE ")'"
	    " ORDER BY rank LIMIT ?7";
	static const char entry_sql[] =
	    "SELECT rowid, rank, kb_match(entry_fts) FROM entry_fts"
	    " WHERE entry_fts MATCH ?1 AND rank MATCH 'bm25(1.0, 0.3)'"
	    " ORDER BY rank LIMIT ?7";
	sqlite3_stmt	*st;
	struct kb_hit	*hits = NULL;
	size_t		 n = 0;
	int		 rc;

	*hitsp = NULL;
	*nhits = 0;
	if (kb_prepare(d, entries ? entry_sql : topic_sql, &st) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, p->fts.data, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 7, (sqlite3_int64)max);
	if ((hits = calloc(max ? max : 1, sizeof(*hits))) == NULL) {
		kb_release(st);
		return -1;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && n < max) {
		struct kb_hit *h = &hits[n++];

		h->id = sqlite3_column_int64(st, 0);
		h->bm25 = -sqlite3_column_double(st, 1);
		coverage(p, sqlite3_column_int64(st, 2), h);
		h->final = h->bm25;
	}
	kb_release(st);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
		free(hits);
		return -1;
	}
	*hitsp = hits;
	*nhits = n;
	return 0;
}

#define TITLE_WORDS_MAX 48

/* Splits every alternative into its words, once per query. */
static int
plan_words(struct kb_plan *p)
{
	size_t	 g, k, cap = sizeof(p->qwords) / sizeof(p->qwords[0]);
	char	*copy, *w, *save;

	for (g = 0; g < p->q.ngroups; g++)
		for (k = 0; k < p->q.groups[g].nalts; k++) {
			if ((copy = strdup(p->q.groups[g].alts[k])) == NULL)
				return -1;
			for (w = strtok_r(copy, " ", &save); w && p->nqwords < cap;
			    w = strtok_r(NULL, " ", &save)) {
				if (kb_query_is_stop(w))
					continue;
				if ((p->qwords[p->nqwords] = strdup(w)) == NULL) {
					free(copy);
					return -1;
				}
				p->group_of[p->nqwords] = (unsigned char)g;
				p->alt_of[p->nqwords++] = (unsigned char)k;
			}
			free(copy);
		}
	return 0;
}

static void
plan_free_words(struct kb_plan *p)
{
	size_t i;

	for (i = 0; i < p->nqwords; i++)
		free(p->qwords[i]);
	p->nqwords = 0;
}

/*
 * Compares the query with a title word by word: *prec is the share of the
 * title's words the query names ("Stages per API" for "stages per api"),
 * *cov the weighted share of the query's concepts found in the title in any
 * order ("Payload and message size" for "payload size").
 */
static void
title_match(const struct kb_plan *p, const char *title, double *prec, double *cov)
{
	char		 buf[512], *w, *save, *tw[TITLE_WORDS_MAX];
	unsigned char	 alt_hit[KB_QUERY_MAX_GROUPS][KB_QUERY_MAX_ALTS];
	unsigned char	 alt_all[KB_QUERY_MAX_GROUPS][KB_QUERY_MAX_ALTS];
	size_t		 ntw = 0, hit = 0, g, k, i, j;
	double		 c = 0;
	char		*words = kb_query_words(title);

	*prec = *cov = 0;
	if (words == NULL)
		return;
	snprintf(buf, sizeof(buf), "%s", words);
	free(words);
	for (w = strtok_r(buf, " ", &save); w && ntw < TITLE_WORDS_MAX;
	    w = strtok_r(NULL, " ", &save))
		if (!kb_query_is_stop(w))
			tw[ntw++] = w;
	memset(alt_hit, 0, sizeof(alt_hit));
	memset(alt_all, 0, sizeof(alt_all));
	/* An alternative is in the title when each of its words is. */
	for (j = 0; j < p->nqwords; j++) {
		int found = 0;

		for (i = 0; i < ntw && !found; i++)
			found = kb_query_same_stem(tw[i], p->qwords[j]);
		alt_all[p->group_of[j]][p->alt_of[j]]++;
		alt_hit[p->group_of[j]][p->alt_of[j]] += (unsigned char)found;
	}
	for (g = 0; g < p->q.ngroups; g++)
		for (k = 0; k < p->q.groups[g].nalts; k++)
			if (alt_all[g][k] > 0 && alt_hit[g][k] == alt_all[g][k]) {
				c += p->weight[g];
				break;
			}
	/* A title word is named when any word of the query matches it. */
	for (i = 0; i < ntw; i++)
		for (j = 0; j < p->nqwords; j++)
			if (kb_query_same_stem(tw[i], p->qwords[j])) {
				hit++;
				break;
			}
	*prec = ntw ? (double)hit / (double)ntw : 0;
	*cov = p->total_weight > 0 ? c / p->total_weight : 0;
}

/*
 * Scores the entries that matched and credits each one's topic with the best:
 * a limits row named "Stages per API" answers "stages per API" even when its
 * topic's title is "APIs, stages, routes and resources".  An entry's name is
 * its text up to " — " (a table row) or the whole item.
 */
static int
score_entries(struct kb_db *d, const struct kb_plan *p, struct kb_hit *e,
    size_t ne, struct kb_hit *topics, size_t nt)
{
	sqlite3_stmt	*st;
	size_t		 i, k;

	if (kb_prepare(d, "SELECT topic_id, text FROM entries WHERE id = ?", &st) != SQLITE_OK)
		return -1;
	for (i = 0; i < ne; i++) {
		const char *text, *dash;
		char *name;

		sqlite3_bind_int64(st, 1, e[i].id);
		if (sqlite3_step(st) != SQLITE_ROW) {
			sqlite3_reset(st);
			continue;
		}
		e[i].topic = sqlite3_column_int64(st, 0);
		text = (const char *)sqlite3_column_text(st, 1);
		dash = strstr(text, " \xe2\x80\x94 ");	/* " — " */
		name = dash ? strndup(text, (size_t)(dash - text)) :
		    strndup(text, 120);
		if (name == NULL) {
			kb_release(st);
			return -1;
		}
		{
			double unused;

			title_match(p, name, &e[i].tprec, &unused);
		}
		free(name);
		e[i].final = e[i].coverage * e[i].coverage * e[i].tprec;
		sqlite3_reset(st);
		for (k = 0; k < nt; k++)
			if (topics[k].id == e[i].topic && e[i].final > topics[k].entry)
				topics[k].entry = e[i].final;
	}
	kb_release(st);
	return 0;
}

/*
 * The final score of each topic.  Coverage (squared) says how much of the
 * query the topic speaks to; the rest says how squarely: bm25, the query's
 * words in the title and symptoms, and how much of the title is the query.
 * bm25 alone fails here: words in most topics ("stage", "lambda") get an
 * IDF of zero from FTS5, and a focused corpus has many of them.
 */
static int
apply_priors(struct kb_db *d, const struct kb_plan *p, unsigned api,
    struct kb_hit *hits, size_t n)
{
	sqlite3_stmt	*st;
	size_t		 i, g;

	/* A topic's kind: symptoms make it an error; its document may be a quota reference. */
	if (kb_prepare(d, "SELECT t.title, t.anchor, t.recommendation <> '', t.symptoms <> '',"
	    " d.api, d.kind = 'limits', d.kind = 'errors',"
	    " (SELECT count(*) FROM code WHERE topic_id = t.id AND flavor = ?2)"
	    " FROM topics t JOIN documents d ON d.id = t.doc_id"
	    " WHERE t.id = ?1", &st) != SQLITE_OK)
		return -1;
	for (i = 0; i < n; i++) {
		struct kb_hit *h = &hits[i];
		double prior = 1.0, s, rel;
		const char *title, *anchor;

		sqlite3_bind_int64(st, 1, h->id);
		sqlite3_bind_text(st, 2, p->q.iac ? p->q.iac : "", -1, SQLITE_STATIC);
		if (sqlite3_step(st) != SQLITE_ROW) {
			sqlite3_reset(st);
			h->final = 0;
			continue;
		}
		title = (const char *)sqlite3_column_text(st, 0);
		anchor = (const char *)sqlite3_column_text(st, 1);
		if (api && !(sqlite3_column_int(st, 4) & (int)api))
			prior = 0;
		if (!sqlite3_column_int(st, 2))
			prior *= 0.8;		/* not answer-shaped */
		if (*anchor == '\0')
			prior *= 0.85;		/* a page's introduction */
		/* The kind of topic the query asks for: an error, a quota, a how-to. */
		if (p->q.errorish && sqlite3_column_int(st, 3))
			prior *= 1.2;
		if (sqlite3_column_int(st, 6))	/* the error catalogue */
			prior *= p->q.errorish ? 1.15 : 0.85;
		if (sqlite3_column_int(st, 5))
			prior *= p->q.limitish ? 1.4 : 0.85;
		if (p->q.iac != NULL)		/* "use SAM": a topic with SAM code */
			prior *= sqlite3_column_int(st, 7) > 0 ? 1.15 : 0.9;
		if (h->whole)
			prior *= h->whole == 2 ? 1.3 : 1.1;
		for (g = 0; g < p->q.ngroups; g++) {
			char num[8];

			if (!p->q.groups[g].code)
				continue;
			snprintf(num, sizeof(num), "%d", p->q.groups[g].code);
			if (title && strstr(title, num) != NULL)
				prior *= 1.5;	/* the exact error code in the title */
		}
		s = h->bm25 / (h->bm25 + 5.0);
		{
			double wcov;

			title_match(p, title ? title : "", &h->tprec, &wcov);
			if (wcov > h->title_cov)
				h->title_cov = wcov;
		}
		rel = 0.3 * s + 0.35 * h->title_cov + 0.2 * h->tprec +
		    (p->q.errorish ? 0.15 * h->sym_cov : 0) + 0.3 * h->entry;
		h->final = h->coverage * h->coverage * (0.2 + rel) * prior;
		sqlite3_reset(st);
	}
	kb_release(st);
	return 0;
}

static int
add_suggestion(struct kb_result *res, const char *s)
{
	char	**v;
	size_t	  i;

	for (i = 0; i < res->nsuggestions; i++)
		if (strcmp(res->suggestions[i], s) == 0)
			return 0;
	if ((v = realloc(res->suggestions, (res->nsuggestions + 1) * sizeof(*v))) == NULL)
		return -1;
	res->suggestions = v;
	if ((v[res->nsuggestions] = strdup(s)) == NULL)
		return -1;
	res->nsuggestions++;
	return 0;
}

/* Near topics for a query nothing answered: titles of the best partial matches. */
static int
suggest_topics(struct kb_db *d, const struct kb_hit *hits, size_t n,
    struct kb_result *res)
{
	sqlite3_stmt	*st;
	size_t		 i;
	int		 rc = 0;

	if (kb_prepare(d, "SELECT title FROM topics WHERE id = ?", &st) != SQLITE_OK)
		return -1;
	for (i = 0; i < n && res->nsuggestions < 3 && rc == 0; i++) {
		if (hits[i].coverage < 0.3)
			continue;
		sqlite3_bind_int64(st, 1, hits[i].id);
		if (sqlite3_step(st) == SQLITE_ROW)
			rc = add_suggestion(res, (const char *)sqlite3_column_text(st, 0));
		sqlite3_reset(st);
	}
	kb_release(st);
	return rc;
}

/* APIGW_KB_DEBUG=1 shows how the ranking saw the query, on stderr. */
static void
debug_hits(struct kb_db *d, const struct kb_plan *p, const struct kb_hit *h,
    size_t n)
{
	sqlite3_stmt	*st;
	size_t		 i;

	fprintf(stderr, "fts: %s\ndomain term: %s\n", p->fts.data,
	    p->domain ? "yes" : "no");
	for (i = 0; i < p->q.ngroups; i++)
		fprintf(stderr, "group %zu: %s (weight %.2f)\n", i,
		    p->q.groups[i].alts[0], p->weight[i]);
	if (kb_prepare(d, "SELECT title FROM topics WHERE id = ?", &st) != SQLITE_OK)
		return;
	for (i = 0; i < n && i < 8; i++) {
		sqlite3_bind_int64(st, 1, h[i].id);
		sqlite3_step(st);
		fprintf(stderr, "%5.3f cov %.2f title %.2f prec %.2f sym %.2f "
		    "entry %.2f evid %.2f bm25 %5.2f  %s\n", h[i].final, h[i].coverage,
		    h[i].title_cov, h[i].tprec, h[i].sym_cov, h[i].entry,
		    evidence(p, &h[i]), h[i].bm25,
		    (const char *)sqlite3_column_text(st, 0));
		sqlite3_reset(st);
	}
	kb_release(st);
}

enum kb_search_status
kb_search(struct kb_db *d, const struct kb_search_opts *o, struct kb_result *res,
    char *err, size_t errsz)
{
	struct kb_plan	 p;
	struct kb_buf	 corrected = KB_BUF_INIT;
	struct kb_hit	*hits = NULL, *ehits = NULL;
	size_t		 nhits = 0, nehits = 0, keep, i;
	char		*words = NULL;
	int		 changed = 0, confident = 1;
	enum kb_search_status status = KB_SEARCH_NOMEM;

	memset(res, 0, sizeof(*res));
	memset(&p, 0, sizeof(p));
	if (kb_query_parse(&p.q, o->query) == -1)
		goto out;
	res->iac = o->iac ? o->iac : p.q.iac ? p.q.iac : "cdk";
	if ((res->query = strdup(p.q.text)) == NULL ||
	    (words = kb_query_words(p.q.text)) == NULL)
		goto out;
	status = KB_SEARCH_DBERR;
	if (p.q.ngroups == 0) {
		status = KB_SEARCH_OK;	/* nothing to look for */
		goto out;
	}
	if (expand_synonyms(d, &p.q, words) == -1 ||
	    merge_phrases(d, &p.q) == -1 ||
	    weigh_and_correct(d, &p, &corrected, &changed) == -1) {
		snprintf(err, errsz, "query expansion failed: %s", sqlite3_errmsg(d->db));
		goto out;
	}
	if (changed) {
		/* Words of the correction may have synonyms too. */
		char *cw = kb_query_words(corrected.data);

		if (cw == NULL || expand_synonyms(d, &p.q, cw) == -1) {
			free(cw);
			goto out;
		}
		free(cw);
		res->corrected = strdup(corrected.data);
	}
	if (plan_words(&p) == -1)
		goto out;
	p.nphrases = kb_query_fts(&p.q, &p.fts, p.phrase_group, KB_MAX_PHRASES);
	p.whole = -1;
	if (p.q.ngroups >= 2 && p.nphrases < KB_MAX_PHRASES && strchr(words, ' ')) {
		/* A pasted message matches as a whole, stop words and all. */
		const char *w;

		kb_buf_puts(&p.fts, " OR \"");
		for (w = words; *w; w++)
			kb_buf_putc(&p.fts, *w);	/* words: letters, digits, spaces */
		kb_buf_putc(&p.fts, '"');
		p.phrase_group[p.nphrases] = 0;
		p.whole = (int)p.nphrases++;
	}
	if (p.fts.failed)
		goto out;
	if (p.nphrases == 0) {
		status = KB_SEARCH_OK;
		goto out;
	}
	if (kb_match(d, &p, 0, &hits, &nhits, TOPIC_CANDIDATES) == -1 ||
	    kb_match(d, &p, 1, &ehits, &nehits, ENTRY_CANDIDATES) == -1 ||
	    score_entries(d, &p, ehits, nehits, hits, nhits) == -1 ||
	    apply_priors(d, &p, o->api, hits, nhits) == -1) {
		snprintf(err, errsz, "search failed: %s", sqlite3_errmsg(d->db));
		goto out;
	}
	qsort(hits, nhits, sizeof(*hits), cmp_hit);
	if (names_domain_term(d, corrected.len ? corrected.data : words, &p.domain) == -1)
		goto out;
	if (getenv("APIGW_KB_DEBUG") != NULL)
		debug_hits(d, &p, hits, nhits);
	if (!p.domain) {
		double best = 0;

		for (i = 0; i < nhits && i < 3; i++)
			if (evidence(&p, &hits[i]) > best)
				best = evidence(&p, &hits[i]);
		confident = best >= MIN_EVIDENCE;
	}
	for (keep = 0; confident && keep < nhits && keep < o->limit; keep++) {
		if (hits[keep].final <= 0 || hits[keep].coverage < MIN_COVERAGE)
			break;
		if (keep > 0 && hits[keep].final < MIN_RELATIVE * hits[0].final)
			break;
	}
	if (keep == 0) {
		if (suggest_topics(d, hits, nhits, res) == -1)
			goto out;
		status = KB_SEARCH_OK;
		goto out;
	}
	/* The best possible: full coverage, a title match, a strong bm25. */
	for (i = 0; i < keep; i++)
		hits[i].final = hits[i].final > 1.0 ? 1.0 : hits[i].final;
	if (res->corrected != NULL && add_suggestion(res, res->corrected) == -1)
		goto out;
	if (kb_compose(d, res->iac, hits, keep, ehits, nehits, res) == -1) {
		snprintf(err, errsz, "composing answers failed: %s", sqlite3_errmsg(d->db));
		goto out;
	}
	status = KB_SEARCH_OK;
out:
	free(hits);
	free(ehits);
	free(words);
	kb_buf_free(&corrected);
	kb_buf_free(&p.fts);
	plan_free_words(&p);
	kb_query_free(&p.q);
	return status;
}

static void
free_items(struct kb_item *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(v[i].text);
		free(v[i].url);
	}
	free(v);
}

void
kb_result_free(struct kb_result *r)
{
	size_t i, k;

	if (r == NULL)
		return;
	for (i = 0; i < r->nanswers; i++) {
		struct kb_answer *a = &r->answers[i];

		free(a->doc);
		free(a->anchor);
		free(a->title);
		free(a->url);
		free(a->recommendation);
		for (k = 0; k < a->nconfiguration; k++) {
			free(a->configuration[k].flavor);
			free(a->configuration[k].language);
			free(a->configuration[k].code);
		}
		free(a->configuration);
		free_items(a->pitfalls, a->npitfalls);
		free_items(a->limits, a->nlimits);
	}
	free(r->answers);
	for (i = 0; i < r->nsuggestions; i++)
		free(r->suggestions[i]);
	free(r->suggestions);
	free(r->query);
	free(r->corrected);
	memset(r, 0, sizeof(*r));
}
