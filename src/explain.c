/* explain.c: --explain: how the ranking and the "no answer" model saw a query. */
#include <math.h>
#include <string.h>

#include "json.h"
#include "render.h"

/* Text from the index or the query, without bytes that drive a terminal. */
static void
put_plain(struct kb_buf *b, const char *s)
{
	for (; *s; s++)
		kb_buf_putc(b, ((unsigned char)*s < 0x20 || *s == 0x7f) ? ' ' : *s);
}

void
kb_explain_text(struct kb_buf *b, const struct kb_explain *e)
{
	const struct kb_model	*m = &e->model;
	size_t			 i, k;

	kb_buf_puts(b, "\nExplain\n\n  concepts (weight, topics holding it):\n");
	for (i = 0; i < e->ngroups; i++) {
		kb_buf_puts(b, "    ");
		put_plain(b, e->groups[i].text);
		kb_buf_printf(b, " (%.2f, %ld%s)\n", e->groups[i].weight,
		    e->groups[i].df, e->groups[i].df == 0 ? ": unknown" : "");
	}
	kb_buf_puts(b, "  fts5: ");
	put_plain(b, e->fts);
	kb_buf_printf(b, "\n\n  answer or not: p = %.3f, threshold %.3f: %s\n",
	    e->p_answer, m->threshold, e->p_answer >= m->threshold && e->ncands ?
	    "answers" : "no answer");
	kb_buf_printf(b, "    %-12s %8s %8s %8s\n", "evidence", "value", "weight",
	    "contrib");
	kb_buf_printf(b, "    %-12s %8s %8s %8.3f\n", "bias", "", "", m->answer_bias);
	for (k = 0; k < KB_NQUERY; k++)
		kb_buf_printf(b, "    %-12s %8.3f %8.3f %8.3f\n",
		    kb_query_feature_names[k], e->z[k], m->answer[k],
		    e->z[k] * m->answer[k]);
	for (i = 0; i < e->ncands; i++) {
		const struct kb_candidate *c = &e->cands[i];

		kb_buf_printf(b, "\n  %zu. score %.3f  ", i + 1, c->score);
		put_plain(b, c->doc);
		kb_buf_putc(b, '#');
		put_plain(b, c->anchor);
		kb_buf_puts(b, "  ");
		put_plain(b, c->title);
		kb_buf_printf(b, "\n    %-12s %8s %8s %8.3f\n", "bias", "", "",
		    m->rank_bias);
		/* Features that are zero contribute nothing: left out. */
		for (k = 0; k < KB_NTOPIC; k++)
			if (c->x[k] != 0)
				kb_buf_printf(b, "    %-12s %8.3f %8.3f %8.3f\n",
				    kb_topic_feature_names[k], c->x[k],
				    m->rank[k], c->x[k] * m->rank[k]);
	}
}

static void
json_num(struct kb_buf *b, double v)
{
	kb_buf_printf(b, "%.6g", isfinite(v) ? v : 0.0);
}

void
kb_explain_json(struct kb_buf *b, const struct kb_explain *e)
{
	const struct kb_model	*m = &e->model;
	size_t			 i, k;

	kb_buf_puts(b, "{\n    \"fts\": ");
	kb_json_str(b, e->fts);
	kb_buf_puts(b, ",\n    \"concepts\": [");
	for (i = 0; i < e->ngroups; i++) {
		kb_buf_puts(b, i ? ", {\"text\": " : "{\"text\": ");
		kb_json_str(b, e->groups[i].text);
		kb_buf_puts(b, ", \"weight\": ");
		json_num(b, e->groups[i].weight);
		kb_buf_printf(b, ", \"topics\": %ld}", e->groups[i].df);
	}
	kb_buf_puts(b, "],\n    \"answer\": {\"probability\": ");
	json_num(b, e->p_answer);
	kb_buf_puts(b, ", \"threshold\": ");
	json_num(b, m->threshold);
	kb_buf_puts(b, ", \"bias\": ");
	json_num(b, m->answer_bias);
	kb_buf_puts(b, ", \"evidence\": {");
	for (k = 0; k < KB_NQUERY; k++) {
		kb_buf_printf(b, "%s\"%s\": {\"value\": ", k ? ", " : "",
		    kb_query_feature_names[k]);
		json_num(b, e->z[k]);
		kb_buf_puts(b, ", \"weight\": ");
		json_num(b, m->answer[k]);
		kb_buf_putc(b, '}');
	}
	kb_buf_puts(b, "}},\n    \"rank_bias\": ");
	json_num(b, m->rank_bias);
	kb_buf_puts(b, ",\n    \"candidates\": [");
	for (i = 0; i < e->ncands; i++) {
		const struct kb_candidate *c = &e->cands[i];

		kb_buf_puts(b, i ? ",\n      {\"doc\": " : "\n      {\"doc\": ");
		kb_json_str(b, c->doc);
		kb_buf_puts(b, ", \"anchor\": ");
		kb_json_str(b, c->anchor);
		kb_buf_puts(b, ", \"title\": ");
		kb_json_str(b, c->title);
		kb_buf_puts(b, ", \"score\": ");
		json_num(b, c->score);
		kb_buf_printf(b, ", \"bm25_order\": %d, \"features\": {", c->order);
		for (k = 0; k < KB_NTOPIC; k++) {
			kb_buf_printf(b, "%s\"%s\": [", k ? ", " : "",
			    kb_topic_feature_names[k]);
			json_num(b, c->x[k]);
			kb_buf_puts(b, ", ");
			json_num(b, m->rank[k]);
			kb_buf_putc(b, ']');
		}
		kb_buf_puts(b, "}}");
	}
	kb_buf_puts(b, e->ncands ? "\n    ]\n  }" : "]\n  }");
}
