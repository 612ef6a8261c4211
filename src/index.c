/* index.c: the search index: tables for answers, FTS5 tables for matching. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "buf.h"
#include "index.h"
#include "query.h"
#include "strmap.h"
#include "text.h"

/*
 * The schema is documented in docs/index-schema.md; keep the two in step.
 * FTS5 keeps new terms in memory until its hash reaches 'hashsize', then
 * writes a segment; a hash that holds the whole knowledge base (64 MiB is
 * a few times the bench corpus) writes one segment at the commit instead
 * of many that 'optimize' would merge again.
 */
static const char schema[] =
	"PRAGMA journal_mode=OFF;"
	"PRAGMA synchronous=OFF;"
	"BEGIN;"
	"CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
	"CREATE TABLE documents(id INTEGER PRIMARY KEY, slug TEXT UNIQUE NOT NULL,"
	" title TEXT NOT NULL, description TEXT, api INTEGER NOT NULL,"
	" ord INTEGER, url TEXT NOT NULL, aliases TEXT, tags TEXT,"
	" kind TEXT NOT NULL CHECK(kind IN ('guide','limits','errors')));"
	"CREATE TABLE topics(id INTEGER PRIMARY KEY, doc_id INTEGER NOT NULL"
	" REFERENCES documents(id), seq INTEGER NOT NULL, anchor TEXT NOT NULL,"
	" title TEXT NOT NULL, url TEXT NOT NULL, line INTEGER,"
	" recommendation TEXT, symptoms TEXT, nparts INTEGER);"
	/* Rowid tables: long text in a WITHOUT ROWID table doubles the file. */
	"CREATE TABLE parts(id INTEGER PRIMARY KEY, topic_id INTEGER NOT NULL"
	" REFERENCES topics(id), seq INTEGER NOT NULL, kind TEXT NOT NULL,"
	" heading TEXT, text TEXT);"
	"CREATE TABLE code(id INTEGER PRIMARY KEY, topic_id INTEGER NOT NULL"
	" REFERENCES topics(id), seq INTEGER NOT NULL, flavor TEXT NOT NULL,"
	" language TEXT, configuration INTEGER NOT NULL, code TEXT NOT NULL);"
	"CREATE TABLE entries(id INTEGER PRIMARY KEY, topic_id INTEGER NOT NULL"
	" REFERENCES topics(id), kind TEXT NOT NULL"
	" CHECK(kind IN ('pitfall','limit')), text TEXT NOT NULL);"
	"CREATE TABLE synonyms(term TEXT NOT NULL, expansion TEXT NOT NULL);"
	"CREATE TABLE vocab(word TEXT PRIMARY KEY, n INTEGER NOT NULL) WITHOUT ROWID;"
	"CREATE TABLE lexicon(phrase TEXT PRIMARY KEY) WITHOUT ROWID;"
	"CREATE TABLE model(section TEXT NOT NULL, name TEXT NOT NULL,"
	" value REAL NOT NULL, PRIMARY KEY(section, name)) WITHOUT ROWID;"
	"CREATE VIRTUAL TABLE topic_fts USING fts5(title, keywords, symptoms,"
	" body, code, content='', tokenize='porter unicode61 remove_diacritics 2');"
	"INSERT INTO topic_fts(topic_fts, rank) VALUES('automerge', 0);"
	"INSERT INTO topic_fts(topic_fts, rank) VALUES('hashsize', 67108864);"
	"CREATE VIRTUAL TABLE entry_fts USING fts5(text, context, content='',"
	" tokenize='porter unicode61 remove_diacritics 2');"
	"INSERT INTO entry_fts(entry_fts, rank) VALUES('automerge', 0);"
	"INSERT INTO entry_fts(entry_fts, rank) VALUES('hashsize', 67108864);";

enum stmt {
	S_DOC, S_TOPIC, S_PART, S_CODE, S_ENTRY, S_SYN, S_TOPIC_FTS, S_ENTRY_FTS,
	S_VOCAB, S_META, S_LEXICON, S_MODEL, S__MAX
};

static const char *const stmt_sql[S__MAX] = {
	"INSERT INTO documents(slug, title, description, api, ord, url, aliases,"
	" tags, kind) VALUES(?,?,?,?,?,?,?,?,?)",
	"INSERT INTO topics(doc_id, seq, anchor, title, url, line, recommendation,"
	" symptoms, nparts) VALUES(?,?,?,?,?,?,?,?,?)",
	"INSERT INTO parts(topic_id, seq, kind, heading, text) VALUES(?,?,?,?,?)",
	"INSERT INTO code(topic_id, seq, flavor, language, configuration, code)"
	" VALUES(?,?,?,?,?,?)",
	"INSERT INTO entries(topic_id, kind, text) VALUES(?,?,?)",
	"INSERT INTO synonyms(term, expansion) VALUES(?,?)",
	"INSERT INTO topic_fts(rowid, title, keywords, symptoms, body, code)"
	" VALUES(?,?,?,?,?,?)",
	"INSERT INTO entry_fts(rowid, text, context) VALUES(?,?,?)",
	"INSERT INTO vocab(word, n) VALUES(?,?)",
	"INSERT INTO meta(key, value) VALUES(?,?)",
	"INSERT OR IGNORE INTO lexicon(phrase) VALUES(?)",
	"INSERT INTO model(section, name, value) VALUES(?,?,?)",
};

struct kb_index {
	sqlite3			*db;
	sqlite3_stmt		*st[S__MAX];
	struct kb_diag		*diag;
	char			*path;
	struct kb_strmap	 vocab;
	long			 ndocs, ntopics, nentries;
};

static int
fail(struct kb_index *x, const char *what)
{
	kb_msg(x->diag, KB_ERROR, x->path, 0, "cannot write the index (%s): %s",
	    what, x->db ? sqlite3_errmsg(x->db) : "no database");
	return -1;
}

struct kb_index *
kb_index_create(const char *path, struct kb_diag *d)
{
	struct kb_index	*x;
	int		 i;

	if ((x = calloc(1, sizeof(*x))) == NULL || (x->path = strdup(path)) == NULL) {
		kb_msg(d, KB_ERROR, path, 0, "out of memory");
		free(x);
		return NULL;
	}
	x->diag = d;
	/*
	 * The builder is one thread and never reads SQLite's memory counters:
	 * without mutexes and that accounting every allocation is cheaper.
	 * Too late once SQLite is in use (a test opening two indexes); fine.
	 */
	sqlite3_config(SQLITE_CONFIG_SINGLETHREAD);
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
	if (sqlite3_open_v2(path, &x->db, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
		fail(x, "open");
		kb_index_abort(x);
		return NULL;
	}
	if (sqlite3_exec(x->db, schema, NULL, NULL, NULL) != SQLITE_OK) {
		fail(x, "schema");
		kb_index_abort(x);
		return NULL;
	}
	for (i = 0; i < S__MAX; i++)
		if (sqlite3_prepare_v3(x->db, stmt_sql[i], -1,
		    SQLITE_PREPARE_PERSISTENT, &x->st[i], NULL) != SQLITE_OK) {
			fail(x, "prepare");
			kb_index_abort(x);
			return NULL;
		}
	return x;
}

static int
step(struct kb_index *x, enum stmt s)
{
	int rc = sqlite3_step(x->st[s]);

	sqlite3_reset(x->st[s]);
	sqlite3_clear_bindings(x->st[s]);
	return rc == SQLITE_DONE ? 0 : fail(x, "insert");
}

static void
bind_text(struct kb_index *x, enum stmt s, int col, const char *v)
{
	if (v == NULL)
		sqlite3_bind_null(x->st[s], col);
	else
		sqlite3_bind_text(x->st[s], col, v, -1, SQLITE_STATIC);
}

/* Adds one word to the vocabulary, or not: see below. */
static void
add_word(struct kb_index *x, const char *word, size_t n)
{
	struct kb_strmap_slot *s;

	/* Words of three letters or more that do not start with a digit. */
	if (n < 3 || (word[0] >= '0' && word[0] <= '9'))
		return;
	if ((s = kb_strmap_putn(&x->vocab, word, n)) != NULL)
		s->value++;
}

/* ASCII letters and digits, lowered; 0 for every other ASCII byte. */
static char ascii_word[128];

/* Counts the words of text into the vocabulary used for spelling fixes. */
static void
count_words(struct kb_index *x, const char *text)
{
	const char	*p = text;
	char		 word[64];

	if (text == NULL)
		return;
	if (ascii_word['a'] == 0) {
		int c;

		for (c = '0'; c <= '9'; c++)
			ascii_word[c] = (char)c;
		for (c = 'a'; c <= 'z'; c++)
			ascii_word[c] = ascii_word[c - 'a' + 'A'] = (char)c;
	}
	while (*p != '\0') {
		size_t	 n = 0;
		int	 toolong = 0;

		/* One word: ASCII byte by byte, anything else decoded and lowered. */
		for (;;) {
			unsigned char	 b = (unsigned char)*p;
			uint32_t	 c;
			char		 enc[4];
			size_t		 m;

			if (b == '\0')
				break;
			if (b < 0x80) {
				p++;
				if (ascii_word[b] == 0)
					break;
				if (n < sizeof(word))
					word[n++] = ascii_word[b];
				else
					toolong = 1;
				continue;
			}
			c = kb_utf8_next(&p);
			if (!kb_is_wordchar(c))
				break;
			m = kb_utf8_put(enc, kb_lower(c));
			if (n + m <= sizeof(word)) {
				memcpy(word + n, enc, m);
				n += m;
			} else
				toolong = 1;	/* too long to be a word */
		}
		if (!toolong)
			add_word(x, word, n);
	}
}

static char *
join_list(const struct kb_list *l)
{
	struct kb_buf	 b = KB_BUF_INIT;
	size_t		 i;

	for (i = 0; i < l->n; i++) {
		if (i > 0)
			kb_buf_puts(&b, ", ");
		kb_buf_puts(&b, l->v[i]);
	}
	return kb_buf_take(&b);
}

/* Joins the text of the parts of one kind, or of all parts but symptoms when kind < 0. */
static char *
parts_text(const struct kb_topic *t, int kind)
{
	struct kb_buf	 b = KB_BUF_INIT;
	size_t		 i;

	for (i = 0; i < t->nparts; i++) {
		const struct kb_part *p = &t->parts[i];

		if (kind >= 0 ? (int)p->kind != kind : p->kind == KB_PART_SYMPTOMS)
			continue;
		if (p->text == NULL || *p->text == '\0')
			continue;
		if (b.len > 0)
			kb_buf_puts(&b, "\n\n");
		if (kind < 0 && p->heading != NULL && p->kind == KB_PART_TEXT)
			kb_buf_printf(&b, "%s\n\n", p->heading);
		kb_buf_puts(&b, p->text);
	}
	return kb_buf_take(&b);
}

static int
add_topic(struct kb_index *x, const struct kb_doc *d, sqlite3_int64 doc_id,
    const char *url, size_t seq, const char *keywords)
{
	const struct kb_topic	*t = &d->topics[seq];
	struct kb_buf		 turl = KB_BUF_INIT, code = KB_BUF_INIT;
	char			*rec = NULL, *sym = NULL, *body = NULL;
	sqlite3_int64		 id;
	size_t			 i;
	int			 rc = -1;

	kb_buf_puts(&turl, url);
	if (t->anchor[0] != '\0')
		kb_buf_printf(&turl, "#%s", t->anchor);
	rec = parts_text(t, KB_PART_RECOMMENDATION);
	sym = parts_text(t, KB_PART_SYMPTOMS);
	body = parts_text(t, -1);
	for (i = 0; i < t->ncodes; i++) {
		kb_buf_puts(&code, t->codes[i].code);
		kb_buf_putc(&code, '\n');
	}
	if (turl.failed || code.failed || !rec || !sym || !body) {
		kb_msg(x->diag, KB_ERROR, d->src->path, 0, "out of memory");
		goto out;
	}
	/* An introduction with nothing in it is no answer to anything. */
	if (t->anchor[0] == '\0' && *body == '\0' && t->ncodes == 0) {
		rc = 0;
		goto out;
	}
	sqlite3_bind_int64(x->st[S_TOPIC], 1, doc_id);
	sqlite3_bind_int64(x->st[S_TOPIC], 2, (sqlite3_int64)seq);
	bind_text(x, S_TOPIC, 3, t->anchor);
	bind_text(x, S_TOPIC, 4, t->title);
	bind_text(x, S_TOPIC, 5, turl.data);
	sqlite3_bind_int(x->st[S_TOPIC], 6, t->line);
	bind_text(x, S_TOPIC, 7, rec);
	bind_text(x, S_TOPIC, 8, sym);
	sqlite3_bind_int64(x->st[S_TOPIC], 9, (sqlite3_int64)t->nparts);
	if (step(x, S_TOPIC) == -1)
		goto out;
	id = sqlite3_last_insert_rowid(x->db);
	x->ntopics++;

	sqlite3_bind_int64(x->st[S_TOPIC_FTS], 1, id);
	bind_text(x, S_TOPIC_FTS, 2, t->title);
	bind_text(x, S_TOPIC_FTS, 3, keywords);
	bind_text(x, S_TOPIC_FTS, 4, sym);
	bind_text(x, S_TOPIC_FTS, 5, body);
	bind_text(x, S_TOPIC_FTS, 6, code.data ? code.data : "");
	if (step(x, S_TOPIC_FTS) == -1)
		goto out;
	count_words(x, t->title);
	count_words(x, sym);
	count_words(x, body);

	for (i = 0; i < t->nparts; i++) {
		sqlite3_bind_int64(x->st[S_PART], 1, id);
		sqlite3_bind_int64(x->st[S_PART], 2, (sqlite3_int64)i);
		bind_text(x, S_PART, 3, kb_part_kind_name(t->parts[i].kind));
		bind_text(x, S_PART, 4, t->parts[i].heading);
		bind_text(x, S_PART, 5, t->parts[i].text ? t->parts[i].text : "");
		if (step(x, S_PART) == -1)
			goto out;
	}
	for (i = 0; i < t->ncodes; i++) {
		sqlite3_bind_int64(x->st[S_CODE], 1, id);
		sqlite3_bind_int64(x->st[S_CODE], 2, (sqlite3_int64)i);
		bind_text(x, S_CODE, 3, t->codes[i].flavor);
		bind_text(x, S_CODE, 4, t->codes[i].language);
		sqlite3_bind_int(x->st[S_CODE], 5, t->codes[i].in_configuration);
		bind_text(x, S_CODE, 6, t->codes[i].code);
		if (step(x, S_CODE) == -1)
			goto out;
	}
	for (i = 0; i < t->nentries; i++) {
		const struct kb_entry *e = &t->entries[i];
		sqlite3_int64 eid;

		sqlite3_bind_int64(x->st[S_ENTRY], 1, id);
		bind_text(x, S_ENTRY, 2, e->kind == KB_ENTRY_PITFALL ? "pitfall" : "limit");
		bind_text(x, S_ENTRY, 3, e->text);
		if (step(x, S_ENTRY) == -1)
			goto out;
		eid = sqlite3_last_insert_rowid(x->db);
		sqlite3_bind_int64(x->st[S_ENTRY_FTS], 1, eid);
		bind_text(x, S_ENTRY_FTS, 2, e->text);
		bind_text(x, S_ENTRY_FTS, 3, t->title);
		if (step(x, S_ENTRY_FTS) == -1)
			goto out;
		x->nentries++;
	}
	rc = 0;
out:
	kb_buf_free(&turl);
	kb_buf_free(&code);
	free(rec);
	free(sym);
	free(body);
	return rc;
}

/*
 * What kind of document this is, from its shape: a quota reference when
 * limits are a large share of its text, an error catalogue when three
 * topics in four list symptoms, a guide otherwise.  The search uses it as a prior.
 */
static const char *
doc_kind(const struct kb_doc *d)
{
	size_t	 i, k, limits = 0, all = 0, symptoms = 0;

	for (i = 0; i < d->ntopics; i++) {
		const struct kb_topic *t = &d->topics[i];
		int has_symptoms = 0;

		for (k = 0; k < t->nparts; k++) {
			size_t n = t->parts[k].text ? strlen(t->parts[k].text) : 0;

			all += n;
			if (t->parts[k].kind == KB_PART_LIMITS)
				limits += n;
			if (t->parts[k].kind == KB_PART_SYMPTOMS && n > 0)
				has_symptoms = 1;
		}
		symptoms += (size_t)has_symptoms;
	}
	if (all > 0 && limits * 10 >= all * 3)
		return "limits";
	if (d->ntopics > 1 && symptoms * 4 >= d->ntopics * 3)
		return "errors";
	return "guide";
}

int
kb_index_add_doc(struct kb_index *x, const struct kb_doc *d, const char *url,
    long order)
{
	const struct kb_meta	*m = &d->src->meta;
	char			*aliases = join_list(&m->aliases);
	char			*tags = join_list(&m->tags);
	struct kb_buf		 kw = KB_BUF_INIT;
	sqlite3_int64		 id;
	size_t			 i;
	int			 rc = -1;

	/* Every topic is found by its document's title, aliases and tags too. */
	kb_buf_printf(&kw, "%s %s %s", d->title, aliases ? aliases : "",
	    tags ? tags : "");
	if (aliases == NULL || tags == NULL || kw.failed) {
		kb_msg(x->diag, KB_ERROR, d->src->path, 0, "out of memory");
		goto out;
	}
	bind_text(x, S_DOC, 1, d->src->slug);
	bind_text(x, S_DOC, 2, d->title);
	bind_text(x, S_DOC, 3, m->description);
	sqlite3_bind_int(x->st[S_DOC], 4, (int)(m->api ? m->api : KB_API_ALL));
	sqlite3_bind_int64(x->st[S_DOC], 5, order);
	bind_text(x, S_DOC, 6, url);
	bind_text(x, S_DOC, 7, aliases);
	bind_text(x, S_DOC, 8, tags);
	bind_text(x, S_DOC, 9, doc_kind(d));
	if (step(x, S_DOC) == -1)
		goto out;
	id = sqlite3_last_insert_rowid(x->db);
	x->ndocs++;
	/* Aliases and tags are what authors call the subject: domain terms. */
	for (i = 0; i < m->aliases.n; i++)
		if (kb_index_add_term(x, m->aliases.v[i]) == -1)
			goto out;
	for (i = 0; i < m->tags.n; i++)
		if (kb_index_add_term(x, m->tags.v[i]) == -1)
			goto out;
	for (i = 0; i < d->ntopics; i++)
		if (add_topic(x, d, id, url, i, kw.data) == -1)
			goto out;
	rc = 0;
out:
	free(aliases);
	free(tags);
	kb_buf_free(&kw);
	return rc;
}

int
kb_index_add_synonym(struct kb_index *x, const char *term, const char *expansion)
{
	/* Stored as the search compares them, so it need not normalise each row. */
	char	*t = kb_query_words(term), *e = kb_query_words(expansion);
	int	 rc = -1;

	if (t == NULL || e == NULL)
		fail(x, "out of memory");
	else if (*t != '\0' && *e != '\0') {
		bind_text(x, S_SYN, 1, t);
		bind_text(x, S_SYN, 2, e);
		if (step(x, S_SYN) == 0 && kb_index_add_term(x, term) == 0)
			rc = kb_index_add_term(x, expansion);
	} else
		rc = 0;
	free(t);
	free(e);
	return rc;
}

int
kb_index_add_term(struct kb_index *x, const char *phrase)
{
	char	*key = kb_query_lexicon_key(phrase);
	int	 rc;

	if (key == NULL)
		return fail(x, "out of memory");
	if (*key == '\0') {	/* nothing specific to API Gateway in it */
		free(key);
		return 0;
	}
	bind_text(x, S_LEXICON, 1, key);
	rc = step(x, S_LEXICON);
	free(key);
	return rc;
}

static int
add_weight(struct kb_index *x, const char *section, const char *name, double v)
{
	bind_text(x, S_MODEL, 1, section);
	bind_text(x, S_MODEL, 2, name);
	sqlite3_bind_double(x->st[S_MODEL], 3, v);
	return step(x, S_MODEL);
}

int
kb_index_add_model(struct kb_index *x, const struct kb_model *m)
{
	size_t	 i;
	int	 rc;

	rc = add_weight(x, "rank", "bias", m->rank_bias);
	for (i = 0; rc == 0 && i < KB_NTOPIC; i++)
		rc = add_weight(x, "rank", kb_topic_feature_names[i], m->rank[i]);
	if (rc == 0)
		rc = add_weight(x, "answer", "bias", m->answer_bias);
	if (rc == 0)
		rc = add_weight(x, "answer", "threshold", m->threshold);
	for (i = 0; rc == 0 && i < KB_NQUERY; i++)
		rc = add_weight(x, "answer", kb_query_feature_names[i], m->answer[i]);
	return rc;
}

static int
add_meta(struct kb_index *x, const char *key, const char *value)
{
	bind_text(x, S_META, 1, key);
	bind_text(x, S_META, 2, value);
	return step(x, S_META);
}

int
kb_index_finish(struct kb_index *x, const char *content_hash,
    const char *build_time)
{
	char	 num[3][32];
	size_t	 i;
	int	 rc = -1;

	for (i = 0; i < x->vocab.cap; i++) {
		const struct kb_strmap_slot *s = &x->vocab.slots[i];

		if (s->key == NULL)
			continue;
		bind_text(x, S_VOCAB, 1, s->key);
		sqlite3_bind_int64(x->st[S_VOCAB], 2, s->value);
		if (step(x, S_VOCAB) == -1)
			goto out;
	}
	snprintf(num[0], sizeof(num[0]), "%ld", x->ndocs);
	snprintf(num[1], sizeof(num[1]), "%ld", x->ntopics);
	snprintf(num[2], sizeof(num[2]), "%ld", x->nentries);
	if (add_meta(x, "schema_version", KB_SCHEMA_VERSION) == -1 ||
	    add_meta(x, "build_time", build_time) == -1 ||
	    add_meta(x, "content_hash", content_hash) == -1 ||
	    add_meta(x, "documents", num[0]) == -1 ||
	    add_meta(x, "topics", num[1]) == -1 ||
	    add_meta(x, "entries", num[2]) == -1)
		goto out;
	/* One b-tree per FTS table makes every later query cheaper. */
	if (sqlite3_exec(x->db,
	    "CREATE INDEX parts_topic ON parts(topic_id, seq);"
	    "CREATE INDEX code_topic ON code(topic_id, seq);"
	    "CREATE INDEX entries_topic ON entries(topic_id);"
	    "INSERT INTO topic_fts(topic_fts) VALUES('optimize');"
	    "INSERT INTO entry_fts(entry_fts) VALUES('optimize');"
	    "COMMIT;", NULL, NULL, NULL) != SQLITE_OK) {
		fail(x, "commit");
		goto out;
	}
	rc = 0;
out:
	if (rc == -1)
		sqlite3_exec(x->db, "ROLLBACK", NULL, NULL, NULL);
	for (i = 0; i < S__MAX; i++)
		sqlite3_finalize(x->st[i]);
	if (sqlite3_close(x->db) != SQLITE_OK && rc == 0)
		rc = fail(x, "close");
	x->db = NULL;
	kb_strmap_free(&x->vocab);
	free(x->path);
	free(x);
	return rc;
}

void
kb_index_abort(struct kb_index *x)
{
	size_t i;

	if (x == NULL)
		return;
	for (i = 0; i < S__MAX; i++)
		sqlite3_finalize(x->st[i]);
	if (x->db != NULL) {
		sqlite3_exec(x->db, "ROLLBACK", NULL, NULL, NULL);
		sqlite3_close(x->db);
	}
	kb_strmap_free(&x->vocab);
	free(x->path);
	free(x);
}
