/* rank.c: the fitted models: weights by name, read from the index or a file. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rank.h"

#define KB_NAME(name) #name,
const char *const kb_topic_feature_names[KB_NTOPIC] = { KB_TOPIC_FEATURES(KB_NAME) };
const char *const kb_query_feature_names[KB_NQUERY] = { KB_QUERY_FEATURES(KB_NAME) };
#undef KB_NAME

static int
lookup(const char *const *names, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(names[i], name) == 0)
			return (int)i;
	return -1;
}

int
kb_model_set(struct kb_model *m, const char *section, const char *name,
    double value)
{
	int i;

	if (!isfinite(value))
		return -1;
	if (strcmp(section, "rank") == 0) {
		if (strcmp(name, "bias") == 0)
			m->rank_bias = value;
		else if ((i = lookup(kb_topic_feature_names, KB_NTOPIC, name)) >= 0)
			m->rank[i] = value;
		else
			return -1;
	} else if (strcmp(section, "answer") == 0) {
		if (strcmp(name, "bias") == 0)
			m->answer_bias = value;
		else if (strcmp(name, "threshold") == 0)
			m->threshold = value;
		else if ((i = lookup(kb_query_feature_names, KB_NQUERY, name)) >= 0)
			m->answer[i] = value;
		else
			return -1;
	} else
		return -1;
	m->loaded = 1;
	return 0;
}

int
kb_model_read(struct kb_model *m, const char *path, char *err, size_t errsz)
{
	FILE	*f;
	char	 line[256], section[32], name[64], *end;
	int	 lineno = 0, rc = 0;
	double	 v;

	memset(m, 0, sizeof(*m));
	if ((f = fopen(path, "r")) == NULL) {
		snprintf(err, errsz, "%s: cannot read: %s", path, strerror(errno));
		return -1;
	}
	while (rc == 0 && fgets(line, sizeof(line), f) != NULL) {
		char value[64];

		lineno++;
		if (line[0] == '#' || line[0] == '\n')
			continue;
		if (sscanf(line, "%31[^\t]\t%63[^\t]\t%63s", section, name, value) != 3) {
			snprintf(err, errsz, "%s:%d: want 'section<TAB>name<TAB>value'",
			    path, lineno);
			rc = -1;
			break;
		}
		v = strtod(value, &end);
		if (*end != '\0' || kb_model_set(m, section, name, v) == -1) {
			snprintf(err, errsz, "%s:%d: unknown weight '%s %s' or bad "
			    "value '%s'; refit with scripts/fit-ranking", path,
			    lineno, section, name, value);
			rc = -1;
		}
	}
	if (rc == 0 && ferror(f)) {
		snprintf(err, errsz, "%s: cannot read: %s", path, strerror(errno));
		rc = -1;
	}
	if (rc == 0 && !m->loaded) {
		snprintf(err, errsz, "%s: no weights", path);
		rc = -1;
	}
	fclose(f);
	return rc;
}

static double
linear(double bias, const double *w, const double *x, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		bias += w[i] * x[i];
	return bias;
}

double
kb_model_rank(const struct kb_model *m, const double *x)
{
	return linear(m->rank_bias, m->rank, x, KB_NTOPIC);
}

double
kb_model_answer(const struct kb_model *m, const double *z)
{
	return 1.0 / (1.0 + exp(-linear(m->answer_bias, m->answer, z, KB_NQUERY)));
}
