/* build.c: the build pipeline: load, model, site and index, then swap into place. */
#define _GNU_SOURCE		/* renameat2 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "build.h"
#include "check.h"
#include "fs.h"
#include "index.h"
#include "load.h"
#include "model.h"
#include "site.h"
#include "text.h"

struct docinfo {
	struct kb_source	 src;		/* metadata only, between passes */
	char			*title;
	char			*url;
	long			 order;
};

static int
cmp_doc(const void *a, const void *b)
{
	const struct docinfo *x = a, *y = b;
	int c;

	if (x->order != y->order)
		return x->order < y->order ? -1 : 1;
	if ((c = strcmp(x->title, y->title)) != 0)
		return c;
	return strcmp(x->src.rel, y->src.rel);
}

/* FNV-1a over eight bytes at a time: tells one content from another, no more. */
static uint64_t
content_hash(uint64_t h, const char *p, size_t n)
{
	uint64_t w;

	for (; n >= sizeof(w); p += sizeof(w), n -= sizeof(w)) {
		memcpy(&w, p, sizeof(w));
		h = (h ^ w) * 1099511628211ULL;
	}
	for (; n > 0; p++, n--)
		h = (h ^ (unsigned char)*p) * 1099511628211ULL;
	return h;
}

/* Pass one: front matter and titles of every document, for navigation. */
static int
read_metadata(const struct kb_build_opts *o, const struct kb_list *md,
    struct docinfo *docs, uint64_t *hash, struct kb_diag *d)
{
	size_t	 i;
	int	 rc = 0;

	for (i = 0; i < md->n; i++) {
		struct docinfo *di = &docs[i];
		struct kb_buf url = KB_BUF_INIT;

		if (kb_source_read(&di->src, o->content, md->v[i], d) == -1) {
			rc = -1;	/* keep going: report every bad file at once */
			continue;
		}
		*hash = content_hash(*hash, di->src.text, di->src.len);
		kb_buf_printf(&url, "%s.html", di->src.slug);
		di->url = kb_buf_take(&url);
		di->title = kb_doc_title(&di->src);
		di->order = di->src.meta.has_order ? di->src.meta.order : INT32_MAX;
		kb_source_drop_text(&di->src);
		if (di->url == NULL || di->title == NULL) {
			kb_msg(d, KB_ERROR, di->src.path, 0, "out of memory");
			return -1;
		}
	}
	return rc;
}

/*
 * For `apigw-kb check`: a topic of a document written to the conventions
 * (it has front matter) should give a whole answer.
 */
static void
lint_parts(const struct kb_doc *doc, struct kb_diag *d)
{
	size_t	 i, k;

	if (doc->src->meta.title == NULL)
		return;
	for (i = 0; i < doc->ntopics; i++) {
		const struct kb_topic *t = &doc->topics[i];
		int rec = 0;

		if (t->anchor[0] == '\0')
			continue;
		for (k = 0; k < t->nparts; k++)
			rec |= t->parts[k].kind == KB_PART_RECOMMENDATION &&
			    t->parts[k].text != NULL && t->parts[k].text[0] != '\0';
		if (!rec)
			kb_msg(d, KB_NOTE, doc->src->path, t->line,
			    "topic '%s' has no Recommendation; answers will show "
			    "its text instead", t->title);
	}
}

/* Pass two: parse each document once, write its page and index rows. */
static int
write_documents(const struct kb_build_opts *o, struct docinfo *docs, size_t n,
    struct kb_site *site, struct kb_index *idx, struct kb_check *check,
    struct kb_build_stats *stats, struct kb_diag *d)
{
	size_t i;

	for (i = 0; i < n; i++) {
		struct kb_source src;
		struct kb_doc doc;
		int rc;

		if (kb_source_read(&src, o->content, docs[i].src.rel, d) == -1)
			return -1;
		rc = kb_doc_parse(&doc, &src, d);
		if (rc == 0 && o->lint)
			lint_parts(&doc, d);
		if (rc == 0)
			rc = kb_site_page(site, &doc, i, check);
		if (rc == 0)
			rc = kb_index_add_doc(idx, &doc, docs[i].url, docs[i].order);
		stats->topics += doc.ntopics;
		kb_doc_free(&doc);
		kb_source_free(&src);
		if (rc == -1)
			return -1;
	}
	return 0;
}

static char *
trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' ||
	    e[-1] == '\n'))
		*--e = '\0';
	return s;
}

/* Reads "typed words: document words, more words" rules into the index. */
static int
read_synonyms(const char *path, struct kb_index *idx, struct kb_site *site,
    struct kb_diag *d)
{
	FILE	*f;
	char	*line = NULL, *colon, *term, *rest, *item, *save;
	size_t	 cap = 0;
	int	 lineno = 0, rc = 0, bad;
	ssize_t	 n;

	if ((f = fopen(path, "r")) == NULL)
		return errno == ENOENT ? 0 :
		    (kb_msg(d, KB_ERROR, path, 0, "cannot read: %s",
		    strerror(errno)), -1);
	while ((n = getline(&line, &cap, f)) != -1) {
		int l2, c2;

		lineno++;
		term = trim(line);
		if (*term == '\0' || *term == '#')
			continue;
		if (kb_utf8_check(term, strlen(term), &l2, &c2) == -1) {
			kb_msg(d, KB_ERROR, path, lineno, "invalid UTF-8");
			rc = -1;
			continue;
		}
		if ((colon = strchr(term, ':')) == NULL) {
			kb_msg(d, KB_ERROR, path, lineno, "a synonym rule needs a "
			    "colon: 'typed words: document words, ...'");
			rc = -1;
			continue;
		}
		*colon = '\0';
		rest = colon + 1;
		term = trim(term);
		bad = *term == '\0';
		for (char *p = term; *p; p++)
			if (*p >= 'A' && *p <= 'Z')
				*p = (char)(*p - 'A' + 'a');
		for (item = strtok_r(rest, ",", &save); !bad && item;
		    item = strtok_r(NULL, ",", &save)) {
			item = trim(item);
			if (*item == '\0')
				continue;
			if (kb_index_add_synonym(idx, term, item) == -1 ||
			    kb_site_synonym(site, term, item) == -1) {
				rc = -1;
				break;
			}
		}
		if (bad) {
			kb_msg(d, KB_ERROR, path, lineno, "a synonym rule needs "
			    "words before the colon");
			rc = -1;
		}
	}
	if (ferror(f)) {
		kb_msg(d, KB_ERROR, path, 0, "cannot read: %s", strerror(errno));
		rc = -1;
	}
	free(line);
	fclose(f);
	return rc;
}

static char *
synonyms_path(const struct kb_build_opts *o)
{
	struct kb_buf	 b = KB_BUF_INIT;

	if (o->synonyms != NULL)
		return strdup(o->synonyms);
	kb_buf_printf(&b, "%s/synonyms.txt", o->content);
	if (!b.failed && access(b.data, F_OK) == 0)
		return kb_buf_take(&b);
	kb_buf_reset(&b);
	kb_buf_printf(&b, "%s/../synonyms.txt", o->content);
	return kb_buf_take(&b);
}

/* The ranking model: --model, else beside the content, else the program's own. */
static char *
model_path(const struct kb_build_opts *o)
{
	struct kb_buf	 b = KB_BUF_INIT;

	if (o->model != NULL)
		return strdup(o->model);
	kb_buf_printf(&b, "%s/ranking.tsv", o->content);
	if (!b.failed && access(b.data, F_OK) == 0)
		return kb_buf_take(&b);
	kb_buf_reset(&b);
	kb_buf_printf(&b, "%s/../ranking.tsv", o->content);
	if (b.failed || access(b.data, F_OK) == 0 || o->default_model == NULL)
		return kb_buf_take(&b);
	kb_buf_free(&b);
	return strdup(o->default_model);
}

static int
read_model(const struct kb_build_opts *o, struct kb_index *idx, struct kb_diag *d)
{
	struct kb_model	 m;
	char		*path, err[512];
	int		 rc = -1;

	if ((path = model_path(o)) == NULL) {
		kb_msg(d, KB_ERROR, o->content, 0, "out of memory");
		return -1;
	}
	if (kb_model_read(&m, path, err, sizeof(err)) == -1)
		kb_msg(d, KB_ERROR, NULL, 0, "%s (the ranking model: pass --model FILE)", err);
	else
		rc = kb_index_add_model(idx, &m);
	free(path);
	return rc;
}

static void
iso_time(char *out, size_t n)
{
	const char	*sde = getenv("SOURCE_DATE_EPOCH");
	time_t		 t = sde ? (time_t)strtoll(sde, NULL, 10) : time(NULL);
	struct tm	 tm;

	gmtime_r(&t, &tm);
	strftime(out, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* Puts the new site in place: an atomic exchange when one exists already. */
static int
swap_in(const char *tmp, const char *out, struct kb_diag *d)
{
	if (renameat2(AT_FDCWD, tmp, AT_FDCWD, out, RENAME_EXCHANGE) == 0) {
		if (kb_remove_tree(tmp) == -1)
			kb_msg(d, KB_WARNING, tmp, 0, "cannot remove the old site");
		return 0;
	}
	if (errno == ENOENT && rename(tmp, out) == 0)
		return 0;
	if (errno == EINVAL || errno == ENOSYS) {
		/* No exchange on this file system: two renames, a short gap. */
		struct kb_buf old = KB_BUF_INIT;
		int rc = -1;

		kb_buf_printf(&old, "%s.old", tmp);
		if (!old.failed && rename(out, old.data) == 0 &&
		    rename(tmp, out) == 0) {
			kb_remove_tree(old.data);
			rc = 0;
		}
		kb_buf_free(&old);
		if (rc == 0)
			return 0;
	}
	kb_msg(d, KB_ERROR, out, 0, "cannot put the new site in place: %s",
	    strerror(errno));
	return -1;
}

static int
copy_other_files(const struct kb_build_opts *o, const struct kb_list *other,
    const char *tmp, struct kb_check *check, struct kb_diag *d)
{
	struct kb_buf	 from = KB_BUF_INIT, to = KB_BUF_INIT;
	size_t		 i;
	int		 rc = 0;

	for (i = 0; rc == 0 && i < other->n; i++) {
		if (strcmp(other->v[i], "synonyms.txt") == 0 ||
		    strcmp(other->v[i], "ranking.tsv") == 0)
			continue;
		kb_buf_reset(&from);
		kb_buf_reset(&to);
		kb_buf_printf(&from, "%s/%s", o->content, other->v[i]);
		kb_buf_printf(&to, "%s/%s", tmp, other->v[i]);
		if (from.failed || to.failed || kb_check_target(check, other->v[i]) == -1 ||
		    kb_mkparents(to.data, d) == -1 ||
		    kb_copy_file(from.data, to.data, d) == -1)
			rc = -1;
	}
	kb_buf_free(&from);
	kb_buf_free(&to);
	return rc;
}

int
kb_build(const struct kb_build_opts *o, struct kb_diag *d,
    struct kb_build_stats *stats)
{
	struct kb_list	 md = { NULL, 0 }, other = { NULL, 0 };
	struct docinfo	*docs = NULL;
	struct kb_nav	*nav = NULL;
	struct kb_site	*site = NULL;
	struct kb_index	*idx = NULL;
	struct kb_check	*check = NULL;
	struct kb_buf	 tmp = KB_BUF_INIT, dbtmp = KB_BUF_INIT, db = KB_BUF_INIT;
	char		*synpath = NULL, hash[17], when[32];
	uint64_t	 h = 1469598103934665603ULL;
	size_t		 i;
	int		 rc = -1, have_index = 0, made_tmp = 0;

	memset(stats, 0, sizeof(*stats));
	d->strict = o->strict;
	if (!kb_is_dir(o->content)) {
		kb_msg(d, KB_ERROR, o->content, 0, "no such content folder; "
		    "pass --content DIR with your Markdown files");
		return -1;
	}
	if (kb_scan(o->content, &md, &other, d) == -1)
		goto out;
	if (md.n == 0) {
		kb_msg(d, KB_ERROR, o->content, 0, "no Markdown (.md) files found");
		goto out;
	}
	if ((docs = calloc(md.n, sizeof(*docs))) == NULL ||
	    (nav = calloc(md.n, sizeof(*nav))) == NULL ||
	    (check = kb_check_new()) == NULL)
		goto nomem;
	if (read_metadata(o, &md, docs, &h, d) == -1)
		goto out;
	qsort(docs, md.n, sizeof(*docs), cmp_doc);
	for (i = 0; i < md.n; i++) {
		nav[i].url = docs[i].url;
		nav[i].title = docs[i].title;
		have_index |= strcmp(docs[i].src.slug, "index") == 0;
		if (kb_check_target(check, docs[i].src.rel) == -1)
			goto nomem;
	}
	stats->documents = md.n;

	/* Everything is written beside the old site, then swapped in. */
	kb_buf_printf(&tmp, "%s.tmp-%ld", o->out, (long)getpid());
	if (tmp.failed || kb_mkparents(tmp.data, d) == -1)
		goto out;
	kb_remove_tree(tmp.data);
	if (mkdir(tmp.data, 0755) == -1) {
		kb_msg(d, KB_ERROR, tmp.data, 0, "cannot create the output folder: "
		    "%s; check --out", strerror(errno));
		goto out;
	}
	made_tmp = 1;
	kb_buf_printf(&dbtmp, "%s/kb.sqlite.tmp", tmp.data);
	kb_buf_printf(&db, "%s/kb.sqlite", tmp.data);
	if (dbtmp.failed || db.failed || (synpath = synonyms_path(o)) == NULL)
		goto nomem;
	if ((idx = kb_index_create(dbtmp.data, d)) == NULL ||
	    (site = kb_site_open(o->theme, tmp.data, o->base_url, nav, md.n, d)) == NULL)
		goto out;
	if (read_synonyms(synpath, idx, site, d) == -1 ||
	    read_model(o, idx, d) == -1 ||
	    copy_other_files(o, &other, tmp.data, check, d) == -1 ||
	    write_documents(o, docs, md.n, site, idx, check, stats, d) == -1 ||
	    kb_site_finish(site, have_index) == -1)
		goto out;
	stats->broken_links = kb_check_run(check, d);
	if (kb_diag_failed(d))
		goto out;
	snprintf(hash, sizeof(hash), "%016llx", (unsigned long long)h);
	iso_time(when, sizeof(when));
	rc = kb_index_finish(idx, hash, when);
	idx = NULL;
	if (rc == -1)
		goto out;
	rc = -1;
	if (rename(dbtmp.data, db.data) == -1) {
		kb_msg(d, KB_ERROR, db.data, 0, "cannot rename the index: %s",
		    strerror(errno));
		goto out;
	}
	if (o->dry_run) {
		rc = 0;		/* made_tmp stays set: the folder is removed below */
		goto out;
	}
	if (swap_in(tmp.data, o->out, d) == -1)
		goto out;
	made_tmp = 0;
	rc = 0;
	goto out;
nomem:
	kb_msg(d, KB_ERROR, o->content, 0, "out of memory");
out:
	kb_index_abort(idx);
	kb_site_free(site);
	if (made_tmp)
		kb_remove_tree(tmp.data);
	for (i = 0; docs != NULL && i < md.n; i++) {
		kb_source_free(&docs[i].src);
		free(docs[i].title);
		free(docs[i].url);
	}
	free(docs);
	free(nav);
	free(synpath);
	kb_check_free(check);
	kb_list_free(&md);
	kb_list_free(&other);
	kb_buf_free(&tmp);
	kb_buf_free(&dbtmp);
	kb_buf_free(&db);
	return rc;
}
