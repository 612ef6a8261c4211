/* rank.h: the fitted ranking and "no answer" models: features, weights, scores. */
#ifndef KB_RANK_H
#define KB_RANK_H

#include <stddef.h>

/*
 * Features of a candidate topic for a query.  Names are the model file's
 * keys (content/ranking.tsv); docs/ranking.md says what each one measures.
 * Every value is 0..1 unless said otherwise.
 */
#define KB_TOPIC_FEATURES(X) \
	X(cov)		/* weighted share of the query's concepts matched anywhere */ \
	X(cov_sq)	/* its square: a topic must cover most of the query */ \
	X(spec_cov)	/* the same, counting only words not every HTTP question uses */ \
	X(title_cov)	/* the same, in the title (stems, any order) */ \
	X(title_prec)	/* share of the title's words the query names */ \
	X(kw_cov)	/* in the document's title, aliases and tags */ \
	X(sym_cov)	/* in the Symptoms part */ \
	X(code_cov)	/* in the topic's code */ \
	X(bm25)		/* FTS5 bm25 over all columns, over the best candidate's */ \
	X(bm25_title)	/* bm25 of each column, over the best candidate's */ \
	X(bm25_kw) \
	X(bm25_sym) \
	X(bm25_body) \
	X(bm25_code) \
	X(ident)	/* share of typed identifiers and status codes matched */ \
	X(code_title)	/* a status code of the query is in the title */ \
	X(whole)	/* the whole query as a phrase: 1 title or symptoms, 0.5 body */ \
	X(prox)		/* share of adjacent query concepts found near each other */ \
	X(chain)	/* longest run of them in the title or symptoms, over the query's */ \
	X(chain_n)	/* its length, log(1 + n) */ \
	X(bm25_rank)	/* 1 / (1 + position in bm25 order) */ \
	X(entry)	/* the best pitfall or limit entry of the topic that the query names */ \
	X(entry_cov)	/* that entry's coverage of the query */ \
	X(doc_mass)	/* share of the candidates' bm25 that the topic's document holds */ \
	X(intro)	/* a page's introduction rather than a topic */ \
	X(no_rec)	/* no Recommendation part */ \
	X(has_sym)	/* has a Symptoms part */ \
	X(has_config)	/* has Configuration code */ \
	X(errors_doc)	/* the document is the error catalogue */ \
	X(limits_doc)	/* the document is the quota reference */ \
	X(err_sym)	/* error-like query x symptoms */ \
	X(err_errors)	/* error-like query x error catalogue */ \
	X(lim_limits)	/* quota-like query x quota reference */ \
	X(plain_sym)	/* a query that is not error-like x symptoms */ \
	X(plain_errors)	/* a query that is not error-like x error catalogue */ \
	X(how_config)	/* how-to query x configuration code */ \
	X(api_match)	/* the query names an API type the document covers */ \
	X(api_other)	/* the query names an API type the document does not cover */ \
	X(iac_code)	/* the query asks for a flavour the topic has code in */ \
	X(fixed)	/* share of the matched weight that came from spelling fixes */

/* Query-level evidence for the "no answer" decision. */
#define KB_QUERY_FEATURES(X) \
	X(known)	/* weighted share of the query's concepts the index knows */ \
	X(domain)	/* names a domain term (alias, tag, synonym) */ \
	X(domain_n)	/* how many, log(1 + n) */ \
	X(top)		/* the best candidate's ranking score */ \
	X(margin)	/* its lead over the second (capped at 5) */ \
	X(top_cov)	/* the best candidate's coverage */ \
	X(top_spec)	/* its coverage of the query's specific words (spec_cov) */ \
	X(top_title)	/* the best candidate's title coverage */ \
	X(top_whole)	/* the best candidate holds the whole query */ \
	X(top_kw)	/* its coverage in the document's title, aliases and tags */ \
	X(top_sym)	/* its coverage in the Symptoms part */ \
	X(best_bm25)	/* the best bm25 of any candidate over the query's weight */ \
	X(ident_hit)	/* a typed identifier or code matched somewhere */ \
	X(groups)	/* how many concepts, log(1 + n) */ \
	X(fixes)	/* share of the concepts that were spelling fixes */ \
	X(foreign)	/* share of plain words the index does not know, even respelt */ \
	X(foreign_any)	/* at least one such word: another product's name, often */ \
	X(generic)	/* share of words every HTTP API question uses ("api", "design") */ \
	X(all_generic)	/* nothing but such words: a general question about APIs */ \
	X(gateway)	/* names API Gateway: "API Gateway", apigateway, execute-api, apigw */ \
	X(aws)		/* names AWS or Amazon */ \
	X(api_named)	/* names an API type: "REST API", "HTTP API", WebSocket */

#define KB_ENUM(name) KB_F_##name,
enum kb_topic_feature { KB_TOPIC_FEATURES(KB_ENUM) KB_NTOPIC };
#define KB_QENUM(name) KB_Q_##name,
enum kb_query_feature { KB_QUERY_FEATURES(KB_QENUM) KB_NQUERY };
#undef KB_ENUM
#undef KB_QENUM

extern const char *const kb_topic_feature_names[KB_NTOPIC];
extern const char *const kb_query_feature_names[KB_NQUERY];

/*
 * The two linear models: rank scores a topic (higher is better); answer is
 * a logistic model whose probability must reach threshold for the search
 * to answer at all.
 */
struct kb_model {
	double	 rank[KB_NTOPIC];
	double	 rank_bias;
	double	 answer[KB_NQUERY];
	double	 answer_bias;
	double	 threshold;
	int	 loaded;
};

/*
 * Sets one weight by its section ("rank" or "answer") and name ("bias",
 * "threshold" or a feature).  Returns -1 for a name this version does not
 * know, so an old binary refuses a newer model instead of misreading it.
 */
int	 kb_model_set(struct kb_model *, const char *section, const char *name,
	    double value);
/*
 * Reads a model file (lines "section<TAB>name<TAB>value", # comments).  On
 * failure writes "file:line: what" into err and returns -1.
 */
int	 kb_model_read(struct kb_model *, const char *path, char *err, size_t errsz);

double	 kb_model_rank(const struct kb_model *, const double *x);
/* The probability that the query is one the knowledge base answers. */
double	 kb_model_answer(const struct kb_model *, const double *z);

#endif
