/* fs.c: folders and files for the build, with errors that name the path. */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "fs.h"

int
kb_is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

int
kb_mkdirs(const char *path, struct kb_diag *d)
{
	char	*p, *s;
	int	 rc = 0;

	if ((p = strdup(path)) == NULL) {
		kb_msg(d, KB_ERROR, path, 0, "out of memory");
		return -1;
	}
	for (s = p + 1; ; s++) {
		if (*s != '/' && *s != '\0')
			continue;
		{
			char saved = *s;

			*s = '\0';
			if (mkdir(p, 0755) == -1 && errno != EEXIST) {
				kb_msg(d, KB_ERROR, p, 0, "cannot create folder: %s",
				    strerror(errno));
				rc = -1;
			}
			*s = saved;
		}
		if (rc == -1 || *s == '\0')
			break;
	}
	free(p);
	return rc;
}

int
kb_mkparents(const char *path, struct kb_diag *d)
{
	char	*p, *slash;
	int	 rc = 0;

	if ((p = strdup(path)) == NULL)
		return -1;
	if ((slash = strrchr(p, '/')) != NULL && slash != p) {
		*slash = '\0';
		rc = kb_mkdirs(p, d);
	}
	free(p);
	return rc;
}

int
kb_write_file(const char *path, const char *data, size_t len, struct kb_diag *d)
{
	FILE	*f;
	int	 bad;

	if ((f = fopen(path, "wb")) == NULL) {
		kb_msg(d, KB_ERROR, path, 0, "cannot write: %s", strerror(errno));
		return -1;
	}
	bad = len > 0 && fwrite(data, 1, len, f) != len;
	bad |= fflush(f) != 0;
	if (fclose(f) != 0)
		bad = 1;
	if (bad) {
		kb_msg(d, KB_ERROR, path, 0, "cannot write: %s",
		    errno ? strerror(errno) : "write failed");
		return -1;
	}
	return 0;
}

int
kb_copy_file(const char *from, const char *to, struct kb_diag *d)
{
	FILE	*in = NULL, *out = NULL;
	char	 chunk[65536];
	size_t	 n;
	int	 rc = -1;

	if ((in = fopen(from, "rb")) == NULL) {
		kb_msg(d, KB_ERROR, from, 0, "cannot read: %s", strerror(errno));
		goto out;
	}
	if ((out = fopen(to, "wb")) == NULL)
		goto bad_write;
	while ((n = fread(chunk, 1, sizeof(chunk), in)) > 0)
		if (fwrite(chunk, 1, n, out) != n)
			goto bad_write;
	if (ferror(in)) {
		kb_msg(d, KB_ERROR, from, 0, "cannot read: %s", strerror(errno));
		goto out;
	}
	if (fclose(out) != 0) {
		out = NULL;
		goto bad_write;
	}
	out = NULL;
	rc = 0;
	goto out;
bad_write:
	kb_msg(d, KB_ERROR, to, 0, "cannot write: %s", strerror(errno));
out:
	if (in != NULL)
		fclose(in);
	if (out != NULL)
		fclose(out);
	return rc;
}

int
kb_copy_tree(const char *from, const char *to, struct kb_diag *d)
{
	DIR		*dir;
	struct dirent	*e;
	struct kb_buf	 src = KB_BUF_INIT, dst = KB_BUF_INIT;
	struct stat	 st;
	int		 rc = 0;

	if ((dir = opendir(from)) == NULL)
		return errno == ENOENT ? 0 : (kb_msg(d, KB_ERROR, from, 0,
		    "cannot read folder: %s", strerror(errno)), -1);
	if (kb_mkdirs(to, d) == -1) {
		closedir(dir);
		return -1;
	}
	while (rc == 0 && (e = readdir(dir)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		kb_buf_reset(&src);
		kb_buf_reset(&dst);
		kb_buf_printf(&src, "%s/%s", from, e->d_name);
		kb_buf_printf(&dst, "%s/%s", to, e->d_name);
		if (src.failed || dst.failed || stat(src.data, &st) == -1) {
			kb_msg(d, KB_ERROR, from, 0, "cannot copy %s", e->d_name);
			rc = -1;
		} else if (S_ISDIR(st.st_mode))
			rc = kb_copy_tree(src.data, dst.data, d);
		else if (S_ISREG(st.st_mode))
			rc = kb_copy_file(src.data, dst.data, d);
	}
	closedir(dir);
	kb_buf_free(&src);
	kb_buf_free(&dst);
	return rc;
}

int
kb_remove_tree(const char *path)
{
	DIR		*dir;
	struct dirent	*e;
	struct kb_buf	 sub = KB_BUF_INIT;
	struct stat	 st;
	int		 rc = 0;

	if (lstat(path, &st) == -1)
		return errno == ENOENT ? 0 : -1;
	if (!S_ISDIR(st.st_mode))
		return unlink(path);
	if ((dir = opendir(path)) == NULL)
		return -1;
	while ((e = readdir(dir)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		kb_buf_reset(&sub);
		kb_buf_printf(&sub, "%s/%s", path, e->d_name);
		if (sub.failed || kb_remove_tree(sub.data) == -1)
			rc = -1;
	}
	closedir(dir);
	kb_buf_free(&sub);
	if (rmdir(path) == -1)
		rc = -1;
	return rc;
}
