/* testutil.h: small helpers shared by the Check tests: temp folders, files, running the program. */
#ifndef KB_TESTUTIL_H
#define KB_TESTUTIL_H

#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The Makefile adds src/ with -iquote, so <check.h> is the test framework
 * and "check.h" would be the link checker. */
#include <check.h>

/* --- strings and paths ----------------------------------------------------- */

/* printf into a new string (caller frees); never NULL. */
static inline char *
tu_fmt(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static inline char *
tu_fmt(const char *fmt, ...)
{
	va_list	 ap;
	char	*s;
	int	 n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	ck_assert_int_ge(n, 0);
	s = malloc((size_t)n + 1);
	ck_assert_ptr_nonnull(s);
	va_start(ap, fmt);
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return s;
}

static inline int
tu_contains(const char *hay, const char *needle)
{
	return hay != NULL && strstr(hay, needle) != NULL;
}

static inline size_t
tu_count(const char *hay, const char *needle)
{
	size_t		 n = 0, len = strlen(needle);
	const char	*p = hay;

	while (p != NULL && (p = strstr(p, needle)) != NULL) {
		n++;
		p += len;
	}
	return n;
}

/* --- files and folders ------------------------------------------------------ */

/* A new empty folder under /tmp (caller frees the path, then tu_rmtree). */
static inline char *
tu_mkdtemp(void)
{
	char tmpl[] = "/tmp/apigw-kb-test-XXXXXX";

	ck_assert_msg(mkdtemp(tmpl) != NULL, "mkdtemp: %s", strerror(errno));
	return strdup(tmpl);
}

static inline void
tu_mkdirs(const char *path)
{
	char	*p = strdup(path), *s;

	ck_assert_ptr_nonnull(p);
	for (s = p + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		mkdir(p, 0755);
		*s = '/';
	}
	ck_assert_msg(mkdir(p, 0755) == 0 || errno == EEXIST, "mkdir %s: %s",
	    p, strerror(errno));
	free(p);
}

/* Writes len bytes to dir/rel, creating folders on the way. */
static inline void
tu_write_n(const char *dir, const char *rel, const char *data, size_t len)
{
	char	*path = tu_fmt("%s/%s", dir, rel), *slash;
	FILE	*f;

	slash = strrchr(path, '/');
	*slash = '\0';
	tu_mkdirs(path);
	*slash = '/';
	f = fopen(path, "wb");
	ck_assert_msg(f != NULL, "cannot write %s: %s", path, strerror(errno));
	ck_assert_uint_eq(fwrite(data, 1, len, f), len);
	ck_assert_int_eq(fclose(f), 0);
	free(path);
}

static inline void
tu_write(const char *dir, const char *rel, const char *text)
{
	tu_write_n(dir, rel, text, strlen(text));
}

/* The whole file, NUL-terminated (caller frees), or NULL if it cannot be read. */
static inline char *
tu_read(const char *path, size_t *lenp)
{
	FILE	*f = fopen(path, "rb");
	char	*buf = NULL;
	size_t	 len = 0, cap = 0, n;

	if (f == NULL)
		return NULL;
	for (;;) {
		if (cap - len < 65536) {
			cap = cap ? cap * 2 : 131072;
			buf = realloc(buf, cap + 1);
			ck_assert_ptr_nonnull(buf);
		}
		if ((n = fread(buf + len, 1, cap - len, f)) == 0)
			break;
		len += n;
	}
	fclose(f);
	buf[len] = '\0';
	if (lenp != NULL)
		*lenp = len;
	return buf;
}

static inline int
tu_exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}

static inline int
tu_is_file(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static inline int
tu_rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	if (flag == FTW_DP || flag == FTW_D || flag == FTW_DNR)
		rmdir(path);
	else
		unlink(path);
	return 0;
}

static inline int
tu_chmod_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)ftw;
	if (flag == FTW_D || flag == FTW_DNR)
		chmod(path, (st->st_mode & 07777) | 0700);
	return 0;
}

/* Removes a tree, even one a test made read-only.  NULL and missing paths are fine. */
static inline void
tu_rmtree(const char *path)
{
	if (path == NULL || !tu_exists(path))
		return;
	nftw(path, tu_chmod_one, 16, FTW_PHYS);
	nftw(path, tu_rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

/*
 * A digest of a tree: one line "relative-path size fnv64" per file, sorted,
 * so two snapshots compare equal exactly when every file is byte-identical.
 */
static char	**tu_digest_v;
static size_t	  tu_digest_n;
static size_t	  tu_digest_root;

static inline int
tu_digest_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	char		*data, *line;
	size_t		 len = 0, i;
	uint64_t	 h = 1469598103934665603ULL;

	(void)ftw;
	if (flag == FTW_D || flag == FTW_DP)
		line = tu_fmt("%s/", path + tu_digest_root);
	else {
		data = tu_read(path, &len);
		for (i = 0; data != NULL && i < len; i++) {
			h ^= (unsigned char)data[i];
			h *= 1099511628211ULL;
		}
		free(data);
		line = tu_fmt("%s %lld %016llx", path + tu_digest_root,
		    (long long)st->st_size, (unsigned long long)h);
	}
	tu_digest_v = realloc(tu_digest_v, (tu_digest_n + 1) * sizeof(char *));
	ck_assert_ptr_nonnull(tu_digest_v);
	tu_digest_v[tu_digest_n++] = line;
	return 0;
}

static inline int
tu_strcmp_p(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static inline char *
tu_tree_digest(const char *root)
{
	size_t	 i, total = 1;
	char	*out;

	tu_digest_v = NULL;
	tu_digest_n = 0;
	tu_digest_root = strlen(root);
	ck_assert_int_eq(nftw(root, tu_digest_one, 16, FTW_PHYS), 0);
	qsort(tu_digest_v, tu_digest_n, sizeof(char *), tu_strcmp_p);
	for (i = 0; i < tu_digest_n; i++)
		total += strlen(tu_digest_v[i]) + 1;
	out = malloc(total);
	ck_assert_ptr_nonnull(out);
	out[0] = '\0';
	for (i = 0; i < tu_digest_n; i++) {
		strcat(out, tu_digest_v[i]);
		strcat(out, "\n");
		free(tu_digest_v[i]);
	}
	free(tu_digest_v);
	tu_digest_v = NULL;
	return out;
}

/* The repository root: where themes/default/page.html is, found from the
 * working folder or from $APIGW_KB_BIN (caller frees). */
static inline char *
tu_repo_root(void)
{
	const char	*bin = getenv("APIGW_KB_BIN");
	char		*dir, *slash, *probe;
	int		 up;

	if (tu_is_file("themes/default/page.html")) {
		char cwd[4096];

		ck_assert_ptr_nonnull(getcwd(cwd, sizeof(cwd)));
		return strdup(cwd);
	}
	ck_assert_msg(bin != NULL, "run from the repository root or set APIGW_KB_BIN");
	dir = strdup(bin);
	for (up = 0; up < 4 && (slash = strrchr(dir, '/')) != NULL; up++) {
		*slash = '\0';
		probe = tu_fmt("%s/themes/default/page.html", dir);
		if (tu_is_file(probe)) {
			free(probe);
			return dir;
		}
		free(probe);
	}
	ck_abort_msg("cannot find the repository root from %s", bin);
	return NULL;
}

/* --- running the program ---------------------------------------------------- */

struct tu_run {
	int	 status;	/* exit status, or 128 + signal */
	char	*out;		/* stdout, NUL-terminated */
	char	*err;		/* stderr */
};

/*
 * Runs argv (argv[0] is a path) with extra "NAME=value" environment entries
 * (env may be NULL; "NAME=" with nothing after the '=' unsets NAME) and
 * captures its output.  stdin is /dev/null.
 */
static inline struct tu_run
tu_run_env(char *const argv[], char *const env[])
{
	struct tu_run	 r = { -1, NULL, NULL };
	char		 outp[] = "/tmp/apigw-kb-out-XXXXXX";
	char		 errp[] = "/tmp/apigw-kb-err-XXXXXX";
	int		 fo, fe, st;
	pid_t		 pid;

	fo = mkstemp(outp);
	fe = mkstemp(errp);
	ck_assert_int_ge(fo, 0);
	ck_assert_int_ge(fe, 0);
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		int nul = open("/dev/null", O_RDONLY);
		size_t i;

		dup2(nul, 0);
		dup2(fo, 1);
		dup2(fe, 2);
		for (i = 0; env != NULL && env[i] != NULL; i++) {
			const char *eq = strchr(env[i], '=');

			if (eq != NULL && eq[1] == '\0') {
				char name[256];

				snprintf(name, sizeof(name), "%.*s",
				    (int)(eq - env[i]), env[i]);
				unsetenv(name);
			} else
				putenv(env[i]);
		}
		execv(argv[0], argv);
		_exit(127);
	}
	while (waitpid(pid, &st, 0) == -1)
		ck_assert_int_eq(errno, EINTR);
	r.status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	close(fo);
	close(fe);
	r.out = tu_read(outp, NULL);
	r.err = tu_read(errp, NULL);
	unlink(outp);
	unlink(errp);
	ck_assert_ptr_nonnull(r.out);
	ck_assert_ptr_nonnull(r.err);
	return r;
}

static inline struct tu_run
tu_run(char *const argv[])
{
	return tu_run_env(argv, NULL);
}

static inline void
tu_run_free(struct tu_run *r)
{
	free(r->out);
	free(r->err);
	r->out = r->err = NULL;
}

/* Fails when the program crashed or a sanitizer reported something. */
static inline void
tu_assert_no_crash(const struct tu_run *r)
{
	ck_assert_msg(r->status < 128, "the program died of signal %d; stderr:\n%s",
	    r->status - 128, r->err);
	ck_assert_msg(!tu_contains(r->err, "Sanitizer") &&
	    !tu_contains(r->err, "runtime error:"),
	    "a sanitizer reported an error:\n%s", r->err);
}

/* The program under test: $APIGW_KB_BIN, else build/apigw-kb. */
static inline const char *
tu_bin(void)
{
	const char *b = getenv("APIGW_KB_BIN");

	return (b != NULL && *b != '\0') ? b : "build/apigw-kb";
}

/* --- capturing diagnostics ---------------------------------------------------- */

/* A memory stream to point struct kb_diag.out at. */
struct tu_cap {
	FILE	*f;
	char	*buf;
	size_t	 len;
};

static inline void
tu_cap_open(struct tu_cap *c)
{
	c->buf = NULL;
	c->len = 0;
	c->f = open_memstream(&c->buf, &c->len);
	ck_assert_ptr_nonnull(c->f);
}

/* What was written so far (valid until the next write or tu_cap_close). */
static inline const char *
tu_cap_text(struct tu_cap *c)
{
	fflush(c->f);
	return c->buf ? c->buf : "";
}

static inline void
tu_cap_close(struct tu_cap *c)
{
	if (c->f != NULL)
		fclose(c->f);
	free(c->buf);
	c->f = NULL;
	c->buf = NULL;
}

/* Runs a suite with its own name as the log label; returns the exit status. */
static inline int
tu_main(Suite *s)
{
	SRunner	*sr = srunner_create(s);
	int	 failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

#endif
