/* bench_search.c: the search as a library call in a warm process, as a server runs it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "search.h"

static double
now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/*
 * Usage: bench-search DB RUNS QUERY...  For each query, after one warm-up
 * call, RUNS calls of kb_search on one open index; prints the median in
 * microseconds and the query, one line each.  Exit 2 when it cannot run.
 */
int
main(int argc, char *argv[])
{
	struct kb_db	*db;
	struct kb_result res;
	char		 err[512];
	double		*t;
	long		 runs;
	int		 i, r, rc = 0;

	if (argc < 4 || (runs = strtol(argv[2], NULL, 10)) < 1) {
		fputs("usage: bench-search DB RUNS QUERY...\n", stderr);
		return 2;
	}
	if ((db = kb_db_open(argv[1], err, sizeof(err))) == NULL) {
		fprintf(stderr, "bench-search: %s\n", err);
		return 2;
	}
	if ((t = calloc((size_t)runs, sizeof(*t))) == NULL) {
		kb_db_close(db);
		return 2;
	}
	for (i = 3; i < argc && rc == 0; i++) {
		struct kb_search_opts o = { argv[i], NULL, 0, 3, 0 };

		for (r = -1; r < runs && rc == 0; r++) {
			double t0 = now_us();

			if (kb_search(db, &o, &res, err, sizeof(err)) != KB_SEARCH_OK) {
				fprintf(stderr, "bench-search: %s: %s\n", argv[i], err);
				rc = 2;
			}
			if (r >= 0)
				t[r] = now_us() - t0;
			kb_result_free(&res);
		}
		if (rc == 0) {
			qsort(t, (size_t)runs, sizeof(*t), cmp_double);
			printf("%.1f\t%s\n", t[runs / 2], argv[i]);
		}
	}
	free(t);
	kb_db_close(db);
	return rc;
}
