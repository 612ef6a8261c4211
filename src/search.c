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

/* How many of bm25's best topics and entries the features are computed for. */
#define TOPIC_CANDIDATES	50
#define ENTRY_CANDIDATES	60
/* Counting matches stops here: past it a word is common, whatever the count. */
#define DF_CAP			2000

static const char *const iac_names[] = { "cdk", "sam", "cloudformation", "terraform" };

int
kb_iac_index(const char *s)
{
	size_t i;

	for (i = 0; s != NULL && i < sizeof(iac_names) / sizeof(iac_names[0]); i++)
		if (strcmp(s, iac_names[i]) == 0)
			return (int)i;
	return -1;
}

const char *
kb_iac_name(const char *s)
{
	int i = kb_iac_index(s);

	return i >= 0 ? iac_names[i] : NULL;
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

/* The fitted weights the build wrote into the index. */
static int
load_model(struct kb_db *d)
{
	sqlite3_stmt	*st;
	int		 rc = 0;

	memset(&d->model, 0, sizeof(d->model));
	if (kb_prepare(d, "SELECT section, name, value FROM model", &st) != SQLITE_OK)
		return -1;
	while (rc == 0 && sqlite3_step(st) == SQLITE_ROW)
		rc = kb_model_set(&d->model, (const char *)sqlite3_column_text(st, 0),
		    (const char *)sqlite3_column_text(st, 1),
		    sqlite3_column_double(st, 2));
	kb_release(st);
	return rc == 0 && d->model.loaded ? 0 : -1;
}

int
kb_db_use_model(struct kb_db *d, const char *path, char *err, size_t errsz)
{
	struct kb_model m;

	if (kb_model_read(&m, path, err, errsz) == -1)
		return -1;
	d->model = m;
	return 0;
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
	kb_release(st);
	st = NULL;
	if (kb_prepare(d, "SELECT (SELECT ifnull(max(id), 0) FROM topics),"
	    " (SELECT ifnull(max(id), 0) FROM entries)", &st) != SQLITE_OK ||
	    sqlite3_step(st) != SQLITE_ROW) {
		snprintf(err, errsz, "the index %s is damaged; run apigw-kb build", path);
		goto out;
	}
	d->max_topic = sqlite3_column_int64(st, 0);
	d->max_entry = sqlite3_column_int64(st, 1);
	if ((d->topic_rows = calloc((size_t)d->max_topic + 1, sizeof(*d->topic_rows))) == NULL ||
	    (d->entry_rows = calloc((size_t)d->max_entry + 1, sizeof(*d->entry_rows))) == NULL) {
		snprintf(err, errsz, "out of memory");
		goto out;
	}
	if (kb_register_features(d->db) == -1) {
		snprintf(err, errsz, "SQLite was built without FTS5");
		goto out;
	}
	if (load_model(d) == -1) {
		snprintf(err, errsz, "the index %s has no ranking model; run "
		    "apigw-kb build", path);
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
	for (i = 0; d->topic_rows != NULL && i <= (size_t)d->max_topic; i++)
		free(d->topic_rows[i].title);
	for (i = 0; d->entry_rows != NULL && i <= (size_t)d->max_entry; i++)
		free(d->entry_rows[i].name);
	free(d->topic_rows);
	free(d->entry_rows);
	sqlite3_close(d->db);
	free(d);
}

/* --- rows the features read ------------------------------------------- */

const struct kb_topic_row *
kb_topic_row(struct kb_db *d, sqlite3_int64 id)
{
	struct kb_topic_row	*r;
	sqlite3_stmt		*st;
	const char		*kind;

	if (id < 0 || id > d->max_topic)
		return NULL;
	r = &d->topic_rows[id];
	if (r->loaded)
		return r->title != NULL ? r : NULL;
	if (kb_prepare(d, "SELECT t.title, t.anchor = '', t.recommendation <> '',"
	    " t.symptoms <> '', d.api, d.kind, t.doc_id,"
	    " EXISTS(SELECT 1 FROM code WHERE topic_id = t.id AND configuration = 1),"
	    /* bit i for iac_names[i], in their order */
	    " (SELECT total(DISTINCT CASE flavor WHEN 'cdk' THEN 1 WHEN 'sam' THEN 2"
	    " WHEN 'cloudformation' THEN 4 WHEN 'terraform' THEN 8 END)"
	    " FROM code WHERE topic_id = t.id)"
	    " FROM topics t JOIN documents d ON d.id = t.doc_id"
	    " WHERE t.id = ?1", &st) != SQLITE_OK)
		return NULL;
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) == SQLITE_ROW) {
		const unsigned char *t = sqlite3_column_text(st, 0);

		r->title = strdup(t ? (const char *)t : "");
		r->intro = sqlite3_column_int(st, 1) != 0;
		r->has_rec = sqlite3_column_int(st, 2) != 0;
		r->has_sym = sqlite3_column_int(st, 3) != 0;
		r->api = (unsigned)sqlite3_column_int(st, 4);
		kind = (const char *)sqlite3_column_text(st, 5);
		r->kind = kind == NULL ? 0 : strcmp(kind, "limits") == 0 ? 1 :
		    strcmp(kind, "errors") == 0 ? 2 : 0;
		r->doc = sqlite3_column_int64(st, 6);
		r->has_config = sqlite3_column_int(st, 7) != 0;
		r->flavors = (unsigned char)sqlite3_column_int(st, 8);
		r->loaded = r->title != NULL;	/* out of memory: try again next time */
	} else
		r->loaded = 1;			/* no such topic */
	kb_release(st);
	return r->title != NULL ? r : NULL;
}

const struct kb_entry_row *
kb_entry_row(struct kb_db *d, sqlite3_int64 id)
{
	struct kb_entry_row	*r;
	sqlite3_stmt		*st;

	if (id < 0 || id > d->max_entry)
		return NULL;
	r = &d->entry_rows[id];
	if (r->loaded)
		return r->name != NULL ? r : NULL;
	if (kb_prepare(d, "SELECT topic_id, text FROM entries WHERE id = ?", &st) != SQLITE_OK)
		return NULL;
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) == SQLITE_ROW) {
		const char *text = (const char *)sqlite3_column_text(st, 1);
		const char *dash;

		text = text ? text : "";
		dash = strstr(text, " \xe2\x80\x94 ");	/* " — " */
		r->topic = sqlite3_column_int64(st, 0);
		r->name = dash ? strndup(text, (size_t)(dash - text)) : strndup(text, 120);
		r->loaded = r->name != NULL;
	} else
		r->loaded = 1;
	kb_release(st);
	return r->name != NULL ? r : NULL;
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
		} else if (*t != '\0' && *x != '\0' && kb_has_phrase(words, t)) {
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

/*
 * An identifier the index does not know as a whole ("lambda-jwt",
 * "my-api-handler") may still name words it knows: its words take its
 * place, each a concept of its own.
 */
static int
split_unknown_idents(struct kb_db *d, struct kb_query *q)
{
	size_t	 i, k, nw;
	char	*copy, *w, *save, *parts[8];
	long	 n;

	for (i = 0; i < q->ngroups; i++) {
		struct kb_group *g = &q->groups[i];

		if (!g->ident || g->nalts != 1 || strchr(g->alts[0], ' ') == NULL)
			continue;
		if ((n = match_count(d, g->alts[0], 0)) != 0) {
			if (n == -1)
				return -1;
			continue;
		}
		if ((copy = strdup(g->alts[0])) == NULL)
			return -1;
		nw = 0;
		for (w = strtok_r(copy, " ", &save); w && nw < 8; w = strtok_r(NULL, " ", &save))
			if (strlen(w) >= 2 && !kb_query_is_stop(w) && find_group(q, w) == -1)
				parts[nw++] = w;
		if (nw == 0 || q->ngroups - 1 + nw > KB_QUERY_MAX_GROUPS) {
			free(copy);
			continue;
		}
		free(g->alts[0]);
		memmove(&q->groups[i + nw], &q->groups[i + 1],
		    (q->ngroups - i - 1) * sizeof(q->groups[0]));
		q->ngroups += nw - 1;
		for (k = 0; k < nw; k++) {
			memset(&q->groups[i + k], 0, sizeof(q->groups[0]));
			if ((q->groups[i + k].alts[0] = strdup(parts[k])) == NULL) {
				q->groups[i + k].nalts = 0;
				free(copy);
				return -1;
			}
			q->groups[i + k].nalts = 1;
		}
		i += nw - 1;
		free(copy);
	}
	return 0;
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
		p->df[i] = df;
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
 * How many domain terms (aliases, tags and synonyms of the knowledge base)
 * the query names: evidence for the "no answer" model that a question is
 * about API Gateway at all.
 */
static int
count_domain_terms(struct kb_db *d, const char *words, int *found)
{
	sqlite3_stmt	*st;
	char		*key = kb_query_lexicon_key(words);

	*found = 0;
	if (key == NULL)
		return -1;
	if (*key != '\0' && kb_prepare(d, "SELECT phrase FROM lexicon", &st) == SQLITE_OK) {
		while (sqlite3_step(st) == SQLITE_ROW)
			*found += kb_has_phrase(key,
			    (const char *)sqlite3_column_text(st, 0));
		kb_release(st);
	}
	free(key);
	return 0;
}

/* --- ranking ----------------------------------------------------------- */

static int
cmp_hit(const void *a, const void *b)
{
	const struct kb_hit *x = a, *y = b;

	if (x->score != y->score)
		return x->score > y->score ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;	/* stable output */
}


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
		if (hits[i].dropped)
			continue;
		sqlite3_bind_int64(st, 1, hits[i].id);
		if (sqlite3_step(st) == SQLITE_ROW)
			rc = add_suggestion(res, (const char *)sqlite3_column_text(st, 0));
		sqlite3_reset(st);
	}
	kb_release(st);
	return rc;
}

_Static_assert(KB_QUERY_MAX_GROUPS <= sizeof(((struct kb_explain *)0)->groups) /
    sizeof(((struct kb_explain *)0)->groups[0]), "explain holds every group");

/* Query-level evidence for the "no answer" model, from the ranked topics. */
static void
query_features(const struct kb_plan *p, const char *words,
    const struct kb_hit *h, size_t n, double *z)
{
	static const char *const gateway_names[] = {
		"api gateway", "apigateway", "apigatewayv2", "apigw", "execute api",
		"api gw",
	};
	double	 known = 0, best = 0;
	size_t	 g, fixes = 0, foreign = 0, generic = 0;
	int	 ident_hit = 0;

	memset(z, 0, KB_NQUERY * sizeof(*z));
	for (g = 0; g < p->q.ngroups; g++) {
		if (p->df[g] > 0)
			known += p->weight[g];
		if (p->df[g] > 0 && (p->q.groups[g].ident || p->q.groups[g].code))
			ident_hit = 1;
		if (kb_query_is_generic(p->q.groups[g].alts[0]))
			generic++;
		if (p->q.groups[g].corrected_from != NULL)
			fixes++;
		else if (p->df[g] == 0 && !p->q.groups[g].ident &&
		    !p->q.groups[g].code && is_alpha_word(p->q.groups[g].alts[0]))
			foreign++;
	}
	for (g = 0; g < n; g++)
		if (h[g].bm25 > best)
			best = h[g].bm25;
	z[KB_Q_best_bm25] = p->total_weight > 0 ? best / p->total_weight : 0;
	z[KB_Q_foreign] = p->q.ngroups ? (double)foreign / (double)p->q.ngroups : 0;
	z[KB_Q_foreign_any] = foreign > 0;
	z[KB_Q_generic] = p->q.ngroups ? (double)generic / (double)p->q.ngroups : 0;
	z[KB_Q_all_generic] = p->q.ngroups > 0 && generic == p->q.ngroups;
	for (g = 0; g < sizeof(gateway_names) / sizeof(gateway_names[0]); g++)
		if (kb_has_phrase(words, gateway_names[g]))
			z[KB_Q_gateway] = 1;
	z[KB_Q_aws] = kb_has_phrase(words, "aws") || kb_has_phrase(words, "amazon");
	z[KB_Q_api_named] = p->q.api != 0;
	z[KB_Q_known] = p->total_weight > 0 ? known / p->total_weight : 0;
	z[KB_Q_domain] = p->domain > 0;
	z[KB_Q_domain_n] = log(1.0 + p->domain);
	z[KB_Q_ident_hit] = ident_hit;
	z[KB_Q_groups] = log(1.0 + (double)p->q.ngroups);
	z[KB_Q_fixes] = p->q.ngroups ? (double)fixes / (double)p->q.ngroups : 0;
	if (n > 0) {
		z[KB_Q_top] = h[0].score;
		z[KB_Q_margin] = n > 1 ? h[0].score - h[1].score : 5.0;
		if (z[KB_Q_margin] > 5.0)
			z[KB_Q_margin] = 5.0;
		z[KB_Q_top_cov] = h[0].x[KB_F_cov];
		z[KB_Q_top_spec] = h[0].x[KB_F_spec_cov];
		z[KB_Q_top_title] = h[0].x[KB_F_title_cov];
		z[KB_Q_top_whole] = h[0].x[KB_F_whole];
		z[KB_Q_top_kw] = h[0].x[KB_F_kw_cov];
		z[KB_Q_top_sym] = h[0].x[KB_F_sym_cov];
	}
}

/* What --explain shows: the query as understood, the candidates, the decision. */
static int
explain(struct kb_db *d, const struct kb_plan *p, const struct kb_hit *h,
    size_t n, size_t max, const double *z, double p_answer, struct kb_result *res)
{
	struct kb_explain	*e;
	sqlite3_stmt		*st;
	size_t			 i;
	int			 rc = 0;

	if ((e = calloc(1, sizeof(*e))) == NULL)
		return -1;
	res->explain = e;
	e->model = d->model;
	memcpy(e->z, z, sizeof(e->z));
	e->p_answer = p_answer;
	if ((e->fts = strdup(p->fts.data ? p->fts.data : "")) == NULL)
		return -1;
	for (i = 0; i < p->q.ngroups; i++) {
		struct kb_explain_group *g = &e->groups[e->ngroups++];

		g->weight = p->weight[i];
		g->df = p->df[i];
		if ((g->text = strdup(p->q.groups[i].alts[0])) == NULL)
			return -1;
	}
	/* The bm25 order picks which candidates, so the set does not depend on the weights. */
	if ((e->cands = calloc(n < max ? n + 1 : max + 1, sizeof(*e->cands))) == NULL)
		return -1;
	if (kb_prepare(d, "SELECT d.slug, t.anchor, t.title FROM topics t"
	    " JOIN documents d ON d.id = t.doc_id WHERE t.id = ?", &st) != SQLITE_OK)
		return -1;
	for (i = 0; i < n && e->ncands < max && rc == 0; i++) {
		struct kb_candidate *c = &e->cands[e->ncands];

		if (h[i].dropped || h[i].order >= (int)max)
			continue;
		sqlite3_bind_int64(st, 1, h[i].id);
		if (sqlite3_step(st) == SQLITE_ROW) {
			c->doc = kb_column_dup(st, 0);
			c->anchor = kb_column_dup(st, 1);
			c->title = kb_column_dup(st, 2);
			memcpy(c->x, h[i].x, sizeof(c->x));
			c->score = h[i].score;
			c->order = h[i].order;
			e->ncands++;
			if (!c->doc || !c->anchor || !c->title)
				rc = -1;
		}
		sqlite3_reset(st);
	}
	kb_release(st);
	return rc;
}

static int
cmp_entry(const void *a, const void *b)
{
	const struct kb_hit *x = a, *y = b;

	if (x->coverage != y->coverage)
		return x->coverage > y->coverage ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

enum kb_search_status
kb_search(struct kb_db *d, const struct kb_search_opts *o, struct kb_result *res,
    char *err, size_t errsz)
{
	struct kb_plan	 p;
	struct kb_buf	 corrected = KB_BUF_INIT;
	struct kb_hit	*hits = NULL, *ehits = NULL;
	size_t		 nhits = 0, nehits = 0, keep = 0, i;
	char		*words = NULL;
	const char	*asked;
	double		 z[KB_NQUERY], p_answer = 0;
	int		 changed = 0;
	enum kb_search_status status = KB_SEARCH_NOMEM;

	memset(res, 0, sizeof(*res));
	memset(&p, 0, sizeof(p));
	memset(z, 0, sizeof(z));
	if (kb_query_parse(&p.q, o->query) == -1)
		goto out;
	asked = o->iac ? o->iac : p.q.iac;
	res->iac = asked ? asked : "cdk";
	if ((res->query = strdup(p.q.text)) == NULL ||
	    (words = kb_query_words(p.q.text)) == NULL)
		goto out;
	status = KB_SEARCH_DBERR;
	if (p.q.ngroups == 0) {
		status = KB_SEARCH_OK;	/* nothing to look for */
		goto out;
	}
	if (split_unknown_idents(d, &p.q) == -1 ||
	    expand_synonyms(d, &p.q, words) == -1 ||
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
	if (kb_candidates(d, &p, 0, &hits, &nhits, TOPIC_CANDIDATES) == -1 ||
	    kb_candidates(d, &p, 1, &ehits, &nehits, ENTRY_CANDIDATES) == -1 ||
	    kb_score_entries(d, &p, ehits, nehits, hits, nhits) == -1 ||
	    kb_topic_features(d, &p, o->api, asked, hits, nhits) == -1) {
		snprintf(err, errsz, "search failed: %s", sqlite3_errmsg(d->db));
		goto out;
	}
	for (i = 0; i < nhits; i++)
		hits[i].score = hits[i].dropped ? -HUGE_VAL :
		    kb_model_rank(&d->model, hits[i].x);
	qsort(hits, nhits, sizeof(*hits), cmp_hit);
	while (nhits > 0 && hits[nhits - 1].dropped)
		nhits--;
	qsort(ehits, nehits, sizeof(*ehits), cmp_entry);
	if (count_domain_terms(d, corrected.len ? corrected.data : words, &p.domain) == -1)
		goto out;
	query_features(&p, words, hits, nhits, z);
	p_answer = nhits > 0 ? kb_model_answer(&d->model, z) : 0;
	if (o->explain > 0 &&
	    explain(d, &p, hits, nhits, o->explain, z, p_answer, res) == -1)
		goto out;
	if (nhits > 0 && p_answer >= d->model.threshold)
		keep = nhits < o->limit ? nhits : o->limit;
	if (keep == 0) {
		if (suggest_topics(d, hits, nhits, res) == -1)
			goto out;
		status = KB_SEARCH_OK;
		goto out;
	}
	if (res->corrected != NULL && add_suggestion(res, res->corrected) == -1)
		goto out;
	/* Nothing asked: the flavour of the code the query quotes, else CDK. */
	if (asked == NULL) {
		const char *fl = kb_infer_flavour(d, &p, hits[0].id);

		if (fl != NULL)
			res->iac = fl;
	}
	if (kb_compose(d, &p, res->iac, hits, keep, ehits, nehits, res) == -1) {
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

		free(a->direct.text);
		free(a->direct.url);
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
	if (r->explain != NULL) {
		for (i = 0; i < r->explain->ngroups; i++)
			free(r->explain->groups[i].text);
		for (i = 0; i < r->explain->ncands; i++) {
			free(r->explain->cands[i].doc);
			free(r->explain->cands[i].anchor);
			free(r->explain->cands[i].title);
		}
		free(r->explain->cands);
		free(r->explain->fts);
		free(r->explain);
	}
	memset(r, 0, sizeof(*r));
}
