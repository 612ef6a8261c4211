/* beside.c: files that come with the running binary: the builder, the theme, the index. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

char *
kb_find_beside(const char *const rel[], size_t n, int mode)
{
	char	 exe[PATH_MAX], path[PATH_MAX + 128], *slash;
	ssize_t	 len;
	size_t	 i;

	if ((len = readlink("/proc/self/exe", exe, sizeof(exe) - 1)) <= 0)
		return NULL;
	exe[len] = '\0';
	if ((slash = strrchr(exe, '/')) != NULL)
		slash[1] = '\0';
	for (i = 0; i < n; i++) {
		if ((size_t)snprintf(path, sizeof(path), "%s%s", exe, rel[i]) >= sizeof(path))
			continue;
		if (access(path, mode) == 0)
			return strdup(path);
	}
	return NULL;
}
