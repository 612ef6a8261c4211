/* features.c: candidates from FTS5 and the features the ranking model weighs. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "search_int.h"

/* Column weights for FTS5's own bm25, which only picks the candidates. */
#define W_TITLE		"10.0"
#define W_KEYWORDS	"4.0"
#define W_SYMPTOMS	"6.0"
#define W_BODY		"1.0"
#define W_CODE		"0.5"

/* BM25's usual constants, for the per-column scores. */
#define BM25_K1		1.2
#define BM25_B		0.75
/* Phrases closer than this many tokens are "near" each other. */
#define NEAR_TOKENS	4
/* Instances looked at for nearness: enough for a topic, bounded for a page. */
#define NEAR_MAX_INST	400
/* Candidates whose bm25 counts towards their document's mass. */
#define DOC_MASS_TOP	20

/* What kb_features() returns for one row, as a blob. */
struct row_match {
	double		 bm25[KB_FTS_COLS];
	unsigned char	 cols[KB_MAX_PHRASES];	/* bit c: matched in column c */
	uint64_t	 near[KB_MAX_PHRASES];	/* bit j: phrase j occurs near it */
	uint64_t	 near_sym[KB_MAX_PHRASES];	/* the same, in the title or symptoms */
};

/*
 * kb_features(fts, idf): which phrases of the query matched in which column
 * of this row, which occur near each other, and bm25 per column; one blob.
 * idf is a blob of one double per phrase: the weight of its concept, which
 * the search has counted already (FTS5's own would cost a scan per phrase).
 */
static void
fts_features_fn(const Fts5ExtensionApi *api, Fts5Context *ctx,
    sqlite3_context *out, int nval, sqlite3_value **vals)
{
	struct row_match	 m;
	const double		*idf;
	int			 tf[KB_MAX_PHRASES][KB_FTS_COLS];
	int			 nphrase, ncol, ninst, k, j, c;
	sqlite3_int64		 nrow = 0;

	memset(&m, 0, sizeof(m));
	memset(tf, 0, sizeof(tf));
	nphrase = api->xPhraseCount(ctx);
	if (nphrase > KB_MAX_PHRASES)
		nphrase = KB_MAX_PHRASES;
	ncol = api->xColumnCount(ctx);
	if (ncol > KB_FTS_COLS)
		ncol = KB_FTS_COLS;
	if (nval != 1 || sqlite3_value_bytes(vals[0]) < nphrase * (int)sizeof(double)) {
		sqlite3_result_error(out, "kb_features: one idf per phrase", -1);
		return;
	}
	idf = sqlite3_value_blob(vals[0]);
	if (api->xInstCount(ctx, &ninst) != SQLITE_OK ||
	    api->xRowCount(ctx, &nrow) != SQLITE_OK) {
		sqlite3_result_error_code(out, SQLITE_ERROR);
		return;
	}
	for (k = 0; k < ninst; k++) {
		int ph, col, off;

		if (api->xInst(ctx, k, &ph, &col, &off) != SQLITE_OK)
			break;
		if (ph >= nphrase || col >= ncol)
			continue;
		tf[ph][col]++;
		m.cols[ph] |= (unsigned char)(1u << col);
		if (k >= NEAR_MAX_INST)
			continue;
		for (j = k + 1; j < ninst && j < NEAR_MAX_INST; j++) {
			int ph2, col2, off2;

			if (api->xInst(ctx, j, &ph2, &col2, &off2) != SQLITE_OK)
				break;
			if (ph2 >= nphrase || col2 != col || ph2 == ph ||
			    abs(off2 - off) > NEAR_TOKENS)
				continue;
			m.near[ph] |= (uint64_t)1 << ph2;
			m.near[ph2] |= (uint64_t)1 << ph;
			if (col == 0 || col == 2) {
				m.near_sym[ph] |= (uint64_t)1 << ph2;
				m.near_sym[ph2] |= (uint64_t)1 << ph;
			}
		}
	}
	for (c = 0; c < ncol; c++) {
		sqlite3_int64 total = 0;
		int len = 0;
		double avg;

		if (api->xColumnTotalSize(ctx, c, &total) != SQLITE_OK ||
		    api->xColumnSize(ctx, c, &len) != SQLITE_OK)
			continue;
		avg = nrow > 0 && total > 0 ? (double)total / (double)nrow : 1.0;
		for (k = 0; k < nphrase; k++) {
			double f = tf[k][c];

			if (f > 0)
				m.bm25[c] += idf[k] * f * (BM25_K1 + 1) /
				    (f + BM25_K1 * (1 - BM25_B + BM25_B * len / avg));
		}
	}
	sqlite3_result_blob(out, &m, sizeof(m), SQLITE_TRANSIENT);
}

int
kb_register_features(sqlite3 *db)
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
	return api->xCreateFunction(api, "kb_features", NULL, fts_features_fn,
	    NULL) == SQLITE_OK ? 0 : -1;
}

/* The row's match blob as group masks, nearness and bm25 per column. */
static void
read_match(const struct kb_plan *p, const void *blob, int size, struct kb_hit *h)
{
	struct row_match	 m;
	size_t			 i, j, c;
	uint32_t		 nearg[KB_QUERY_MAX_GROUPS];
	uint32_t		 nears[KB_QUERY_MAX_GROUPS];
	int			 run, runs;

	memset(&m, 0, sizeof(m));
	if (blob != NULL && size == (int)sizeof(m))
		memcpy(&m, blob, sizeof(m));
	memset(nearg, 0, sizeof(nearg));
	memset(nears, 0, sizeof(nears));
	for (c = 0; c < KB_FTS_COLS; c++)
		h->colbm25[c] = m.bm25[c];
	h->whole = 0;
	for (i = 0; i < p->nphrases; i++) {
		uint32_t bit = (uint32_t)1 << p->phrase_group[i];

		if ((int)i == p->whole) {
			/* title or symptoms (topics), the entry's text (entries) */
			if (m.cols[i] & ((1u << 0) | (1u << 2)))
				h->whole = 2;
			else if (m.cols[i])
				h->whole = 1;
			continue;
		}
		for (c = 0; c < KB_FTS_COLS; c++)
			if (m.cols[i] & (1u << c))
				h->gcol[c] |= bit;
		if (m.cols[i])
			h->groups |= bit;
		for (j = 0; j < p->nphrases; j++) {
			if ((int)j == p->whole)
				continue;
			if (m.near[i] >> j & 1)
				nearg[p->phrase_group[i]] |= (uint32_t)1 << p->phrase_group[j];
			if (m.near_sym[i] >> j & 1)
				nears[p->phrase_group[i]] |= (uint32_t)1 << p->phrase_group[j];
		}
	}
	/*
	 * Adjacent concepts of the query found near each other, and the longest
	 * chain of them in the title or symptoms: a pasted message that matches
	 * part of a documented one.
	 */
	h->near_pairs = 0;
	h->chain_sym = 0;
	for (i = 0, run = runs = 0; i + 1 < p->q.ngroups; i++) {
		if (nearg[i] >> (i + 1) & 1)
			h->near_pairs++;
		run = (nears[i] >> (i + 1) & 1) ? run + 1 : 0;
		if (run > runs)
			runs = run;
	}
	h->chain_sym = runs;
}

/* Weighted share of the query's groups in mask. */
double
kb_plan_share(const struct kb_plan *p, uint32_t mask)
{
	double	 c = 0;
	size_t	 i;

	for (i = 0; i < p->q.ngroups; i++)
		if (mask >> i & 1)
			c += p->weight[i];
	return p->total_weight > 0 ? c / p->total_weight : 0;
}

int
kb_candidates(struct kb_db *d, const struct kb_plan *p, int entries,
    struct kb_hit **hitsp, size_t *nhits, size_t max)
{
	/*
	 * ORDER BY rank lets FTS5 sort by itself, so kb_features() runs only
	 * for the rows returned, not for every row that matched.
	 */
	static const char topic_sql[] =
	    "SELECT rowid, rank, kb_features(topic_fts, ?3) FROM topic_fts"
	    " WHERE topic_fts MATCH ?1 AND rank MATCH 'bm25(" W_TITLE ", "
	    W_KEYWORDS ", " W_SYMPTOMS ", " W_BODY ", " W_CODE ")'"
	    " ORDER BY rank LIMIT ?2";
	static const char entry_sql[] =
	    "SELECT rowid, rank, kb_features(entry_fts, ?3) FROM entry_fts"
	    " WHERE entry_fts MATCH ?1 AND rank MATCH 'bm25(1.0, 0.3)'"
	    " ORDER BY rank LIMIT ?2";
	sqlite3_stmt	*st;
	struct kb_hit	*hits = NULL;
	double		 idf[KB_MAX_PHRASES + 1];
	size_t		 n = 0, i;
	int		 rc;

	*hitsp = NULL;
	*nhits = 0;
	if (kb_prepare(d, entries ? entry_sql : topic_sql, &st) != SQLITE_OK)
		return -1;
	for (i = 0; i < p->nphrases; i++)
		idf[i] = (int)i == p->whole ? 0 : p->weight[p->phrase_group[i]];
	sqlite3_bind_text(st, 1, p->fts.data, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)max);
	sqlite3_bind_blob(st, 3, idf, (int)(p->nphrases * sizeof(double)), SQLITE_STATIC);
	if ((hits = calloc(max ? max : 1, sizeof(*hits))) == NULL) {
		kb_release(st);
		return -1;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && n < max) {
		struct kb_hit *h = &hits[n++];

		h->order = (int)(n - 1);
		h->id = sqlite3_column_int64(st, 0);
		h->bm25 = -sqlite3_column_double(st, 1);
		read_match(p, sqlite3_column_blob(st, 2), sqlite3_column_bytes(st, 2), h);
		h->coverage = kb_plan_share(p, h->groups);
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

/*
 * Compares the query with a title word by word: *prec is the share of the
 * title's words the query names ("Stages per API" for "stages per api"),
 * *cov the weighted share of the query's concepts found in the title in any
 * order ("Payload and message size" for "payload size"), *mask those groups.
 */
void
kb_title_match(const struct kb_plan *p, const char *title, double *prec,
    double *cov, uint32_t *mask)
{
	char		 buf[1024], *w, *save, *tw[TITLE_WORDS_MAX];
	unsigned char	 alt_hit[KB_QUERY_MAX_GROUPS][KB_QUERY_MAX_ALTS];
	unsigned char	 alt_all[KB_QUERY_MAX_GROUPS][KB_QUERY_MAX_ALTS];
	size_t		 ntw = 0, hit = 0, g, k, i, j;
	uint32_t	 m = 0;
	char		*words = kb_query_words(title);

	*prec = *cov = 0;
	if (mask != NULL)
		*mask = 0;
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
				m |= (uint32_t)1 << g;
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
	*cov = kb_plan_share(p, m);
	if (mask != NULL)
		*mask = m;
}

/*
 * Scores the entries that matched and credits each one's topic with the
 * best: a limits row named "Stages per API" answers "stages per API" even
 * when its topic's title is "APIs, stages, routes and resources".  An
 * entry's name is its text up to " — " (a table row) or the whole item.
 */
int
kb_score_entries(struct kb_db *d, const struct kb_plan *p, struct kb_hit *e,
    size_t ne, struct kb_hit *topics, size_t nt)
{
	size_t	 i, k;

	for (i = 0; i < ne; i++) {
		const struct kb_entry_row *r = kb_entry_row(d, e[i].id);
		double unused;

		if (r == NULL)
			continue;
		e[i].topic = r->topic;
		kb_title_match(p, r->name, &e[i].tprec, &unused, NULL);
		e[i].score = e[i].coverage * e[i].coverage * e[i].tprec;
		for (k = 0; k < nt; k++)
			if (topics[k].id == e[i].topic &&
			    e[i].score > topics[k].x[KB_F_entry]) {
				topics[k].x[KB_F_entry] = e[i].score;
				topics[k].x[KB_F_entry_cov] = e[i].coverage;
			}
	}
	return 0;
}

static int
is_specific(const struct kb_group *g)
{
	return !kb_query_is_generic(g->alts[0]);
}

static int
is_typed(const struct kb_group *g)
{
	return g->ident || g->code;
}

/* The weighted share, among the query's groups that pass keep, of those in mask. */
static double
share_of(const struct kb_plan *p, uint32_t mask, int (*keep)(const struct kb_group *))
{
	double	 all = 0, hit = 0;
	size_t	 g;

	for (g = 0; g < p->q.ngroups; g++)
		if (keep(&p->q.groups[g])) {
			all += p->weight[g];
			if (mask >> g & 1)
				hit += p->weight[g];
		}
	return all > 0 ? hit / all : 0;
}

static double
fixed_share(const struct kb_plan *p, uint32_t mask)
{
	uint32_t	 fixed = 0;
	size_t		 g;

	for (g = 0; g < p->q.ngroups; g++)
		if (p->q.groups[g].corrected_from != NULL)
			fixed |= (uint32_t)1 << g;
	return kb_plan_share(p, mask & fixed);
}

static int
code_in_title(const struct kb_plan *p, const char *title)
{
	size_t	 g;
	char	 num[8];

	for (g = 0; g < p->q.ngroups; g++) {
		if (!p->q.groups[g].code)
			continue;
		snprintf(num, sizeof(num), "%d", p->q.groups[g].code);
		if (strstr(title, num) != NULL)
			return 1;
	}
	return 0;
}

/*
 * Fills every topic's feature vector.  api (KB_API_* bits) drops topics of
 * documents that do not cover it; iac is the flavour asked for, or NULL.
 */
int
kb_topic_features(struct kb_db *d, const struct kb_plan *p, unsigned api,
    const char *iac, struct kb_hit *hits, size_t n)
{
	double		 max_bm25 = 0, max_col[KB_FTS_COLS], mass_all = 0;
	double		*mass = NULL;
	size_t		 i, k, c;
	int		 iacbit;

	memset(max_col, 0, sizeof(max_col));
	for (i = 0; i < n; i++) {
		if (hits[i].bm25 > max_bm25)
			max_bm25 = hits[i].bm25;
		for (c = 0; c < KB_FTS_COLS; c++)
			if (hits[i].colbm25[c] > max_col[c])
				max_col[c] = hits[i].colbm25[c];
	}
	if ((mass = calloc(n + 1, sizeof(*mass))) == NULL)
		return -1;
	iacbit = kb_iac_index(iac);
	for (i = 0; i < n; i++) {
		struct kb_hit *h = &hits[i];
		const struct kb_topic_row *r = kb_topic_row(d, h->id);
		double *x = h->x, tcov;
		const char *title;
		uint32_t tmask;

		if (r == NULL) {
			h->dropped = 1;
			continue;
		}
		title = r->title;
		h->doc = r->doc;
		if (api && r->api && !(r->api & api))
			h->dropped = 1;
		x[KB_F_cov] = h->coverage;
		x[KB_F_cov_sq] = h->coverage * h->coverage;
		x[KB_F_spec_cov] = share_of(p, h->groups, is_specific);
		kb_title_match(p, title, &x[KB_F_title_prec], &tcov, &tmask);
		x[KB_F_title_cov] = kb_plan_share(p, tmask | h->gcol[0]);
		x[KB_F_kw_cov] = kb_plan_share(p, h->gcol[1]);
		x[KB_F_sym_cov] = kb_plan_share(p, h->gcol[2]);
		x[KB_F_code_cov] = kb_plan_share(p, h->gcol[4]);
		x[KB_F_bm25] = max_bm25 > 0 ? h->bm25 / max_bm25 : 0;
		for (c = 0; c < KB_FTS_COLS; c++)
			x[KB_F_bm25_title + c] = max_col[c] > 0 ?
			    h->colbm25[c] / max_col[c] : 0;
		x[KB_F_ident] = share_of(p, h->groups, is_typed);
		x[KB_F_code_title] = code_in_title(p, title);
		x[KB_F_whole] = h->whole == 2 ? 1 : h->whole == 1 ? 0.5 : 0;
		x[KB_F_prox] = p->q.ngroups > 1 ?
		    (double)h->near_pairs / (double)(p->q.ngroups - 1) : 0;
		x[KB_F_chain] = p->q.ngroups > 1 ?
		    (double)h->chain_sym / (double)(p->q.ngroups - 1) : 0;
		x[KB_F_chain_n] = log(1.0 + h->chain_sym);
		x[KB_F_bm25_rank] = 1.0 / (1.0 + h->order);
		x[KB_F_intro] = r->intro;
		x[KB_F_no_rec] = !r->has_rec;
		x[KB_F_has_sym] = r->has_sym;
		x[KB_F_has_config] = r->has_config;
		x[KB_F_errors_doc] = r->kind == 2;
		x[KB_F_limits_doc] = r->kind == 1;
		x[KB_F_err_sym] = p->q.errorish * x[KB_F_has_sym];
		x[KB_F_err_errors] = p->q.errorish * x[KB_F_errors_doc];
		x[KB_F_lim_limits] = p->q.limitish * x[KB_F_limits_doc];
		x[KB_F_plain_sym] = !p->q.errorish * x[KB_F_has_sym];
		x[KB_F_plain_errors] = !p->q.errorish * x[KB_F_errors_doc];
		x[KB_F_how_config] = p->q.howish * x[KB_F_has_config];
		x[KB_F_api_match] = p->q.api && (p->q.api & r->api) != 0;
		x[KB_F_api_other] = p->q.api && (p->q.api & r->api) == 0;
		x[KB_F_iac_code] = iacbit >= 0 && (r->flavors >> iacbit & 1);
		x[KB_F_fixed] = fixed_share(p, h->groups);
	}
	/* A document that many good candidates come from is likelier right. */
	for (i = 0; i < n && i < DOC_MASS_TOP; i++)
		mass_all += hits[i].bm25;
	for (i = 0; i < n; i++) {
		for (k = 0; k < n && k < DOC_MASS_TOP; k++)
			if (hits[k].doc == hits[i].doc)
				mass[i] += hits[k].bm25;
		hits[i].x[KB_F_doc_mass] = mass_all > 0 ? mass[i] / mass_all : 0;
	}
	free(mass);
	return 0;
}
