/* query.c: normalisation of queries: codes, identifiers, noise and stop words. */
#define _GNU_SOURCE		/* memmem */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "query.h"
#include "text.h"

#define QUERY_MAX_BYTES 4096	/* a pasted log line is long; an essay is not a query */

/*
 * Words that carry no subject: English function words, the grammar of a
 * question and of a support request ("I tried", "it seems"), contractions
 * split at the apostrophe ("isn't" -> "isn").  In a corpus this small many
 * of them are rare, so without this list they would weigh like error codes.
 */
static const char *const stop_words[] = {
	"a", "able", "about", "above", "actually", "after", "again", "against",
	"all", "almost", "along", "already", "also", "although", "always", "am",
	"among", "an", "and", "another", "any", "anymore", "anyone", "anything",
	"anyway", "anywhere", "are", "aren", "around", "as", "ask", "asked",
	"asking", "at", "away", "back", "be", "became", "because", "become",
	"becomes", "been", "before", "being", "below", "besides", "best",
	"better", "between", "both", "but", "by", "came", "can", "cannot", "come",
	"comes", "correct", "could", "couldn", "currently", "did", "didn", "do",
	"does", "doesn", "doing", "don", "done", "down", "during", "each",
	"either", "else", "elsewhere", "enough", "especially", "even", "ever",
	"every", "everyone", "everything", "exactly", "few", "for", "from",
	"further", "get", "gets", "getting", "give", "given", "gives", "go",
	"goes", "going", "gone", "got", "gotten", "had", "hadn", "happen",
	"happened", "happens", "has", "hasn", "have", "haven", "having", "he",
	"hello", "help", "her", "here", "hers", "herself", "hi", "him", "himself",
	"his", "hope", "how", "however", "i", "idea", "if", "in", "indeed",
	"instead", "into", "is", "isn", "issue", "issues", "it", "its", "itself",
	"just", "keep", "keeps", "kept", "kind", "know", "known", "last", "least",
	"less", "let", "like", "likely", "ll", "look", "looked", "looking",
	"looks", "lot", "lots", "made", "make", "makes", "making", "many",
	"maybe", "me", "mean", "means", "message", "might", "mine", "more",
	"most", "mostly", "much", "must", "my", "myself", "need", "needed",
	"needs", "neither", "never", "nevertheless", "next", "nobody", "none",
	"nor", "not", "nothing", "now", "of", "often", "on", "once", "one",
	"only", "onto", "or", "other", "others", "otherwise", "our", "ours",
	"ourselves", "out", "over", "own", "perhaps", "please", "problem",
	"problems", "question", "quite", "rather", "re", "really", "regarding",
	"returning", "returns", "right", "same", "say", "saying", "says", "see",
	"seeing", "seem", "seemed", "seems", "seen", "set", "setup", "several",
	"shall", "she", "should", "shouldn", "show", "shows", "since", "so",
	"some", "somehow", "someone", "something", "sometimes", "somewhat",
	"soon", "still", "such", "sure", "than", "thank", "thanks", "that", "the",
	"their", "theirs", "them", "themselves", "then", "there", "therefore",
	"these", "they", "thing", "things", "think", "this", "those", "though",
	"thought", "through", "thus", "to", "together", "too", "toward",
	"towards", "tried", "tries", "try", "trying", "unable", "under", "unless",
	"until", "up", "upon", "us", "use", "used", "uses", "using", "ve",
	"versus", "very", "via", "vs", "want", "wanted", "wants", "was", "wasn",
	"way", "we", "well", "went", "were", "weren", "what", "whatever", "when",
	"whenever", "where", "whether", "which", "while", "who", "whole", "whom",
	"whose", "why", "will", "wish", "with", "within", "without", "won",
	"wonder", "work", "worked", "working", "works", "would", "wouldn", "yet",
	"you", "your", "yours", "yourself",
};

/* Words that say the query is about an error, for the ranking's prior. */
static const char *const error_words[] = {
	"error", "errors", "exception", "failed", "failure", "fails", "denied",
	"forbidden", "unauthorized", "timeout", "timed", "unavailable", "invalid",
	"malformed", "refused", "cors", "pkix", "throttled", "gone",
};

/*
 * Words every HTTP API question uses: alone they do not make a question one
 * about API Gateway ("how do I design RESTful resource names" is not).
 */
static const char *const generic_words[] = {
	"api", "apis", "rest", "restful", "http", "https", "resource", "resources",
	"request", "requests", "response", "responses", "error", "errors", "name",
	"names", "url", "urls", "json", "design", "server", "client", "status",
	"header", "headers", "method", "methods", "path", "paths", "query", "body",
	"code", "codes", "service", "services", "web", "data", "model", "models",
	"version", "versioning", "cost", "pricing", "decision", "comparison",
	"overview", "planning", "requirements", "checklist", "logging", "queries",
	"release", "deploy", "deployment", "tagging", "consumers", "endpoints",
	"performance", "scaling", "latency", "monitoring", "metrics", "compliance",
	"architecture", "topology", "hardening", "firewall", "login", "security",
};

/* Words that say the query asks for a quota or a size. */
static const char *const limit_words[] = {
	"limit", "limits", "quota", "quotas", "max", "maximum", "minimum", "many",
	"much", "per", "size", "sizes", "long", "raise", "increase", "adjustable",
	"largest", "biggest", "upper",
};

/* Words that say the query asks how to do or configure something. */
static const char *const how_words[] = {
	"how", "example", "examples", "enable", "configure", "add", "create",
	"define", "setup", "set", "implement", "sample", "template",
};

/* "use SAM", "in terraform": the flavour of configuration wanted. */
static const struct {
	const char	*word;
	const char	*iac;
} iac_words[] = {
	{ "sam", "sam" },
	{ "cloudformation", "cloudformation" },
	{ "cfn", "cloudformation" },
	{ "terraform", "terraform" },
	{ "cdk", "cdk" },
};

static int
in_list(const char *w, const char *const *list, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(w, list[i]) == 0)
			return 1;
	return 0;
}

#define IN(w, l) in_list((w), (l), sizeof(l) / sizeof((l)[0]))

static int
cmp_word(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The stop words sorted once, for the ranking's many title words. */
static const char *sorted_stops[sizeof(stop_words) / sizeof(stop_words[0])];

char *
kb_query_lexicon_key(const char *phrase)
{
	char		*words = kb_query_words(phrase), *w, *save;
	struct kb_buf	 b = KB_BUF_INIT;
	size_t		 n;

	if (words == NULL)
		return NULL;
	if (strchr(words, ' ') == NULL && IN(words, generic_words)) {
		free(words);
		return strdup("");
	}
	for (w = strtok_r(words, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
		n = strlen(w);
		if (n > 3 && w[n - 1] == 's' && w[n - 2] != 's')
			w[--n] = '\0';
		if (b.len > 0)
			kb_buf_putc(&b, ' ');
		kb_buf_add(&b, w, n);
	}
	free(words);
	return kb_buf_take(&b);
}

int
kb_has_phrase(const char *words, const char *term)
{
	size_t		 n = strlen(term);
	const char	*p = words;

	if (n == 0)
		return 0;
	while ((p = strstr(p, term)) != NULL) {
		if ((p == words || p[-1] == ' ') && (p[n] == '\0' || p[n] == ' '))
			return 1;
		p++;
	}
	return 0;
}

int
kb_query_is_generic(const char *w)
{
	return IN(w, generic_words);
}

int
kb_query_is_stop(const char *w)
{
	const size_t n = sizeof(stop_words) / sizeof(stop_words[0]);

	if (sorted_stops[0] == NULL) {
		memcpy(sorted_stops, stop_words, sizeof(stop_words));
		qsort(sorted_stops, n, sizeof(sorted_stops[0]), cmp_word);
	}
	return bsearch(&w, sorted_stops, n, sizeof(sorted_stops[0]), cmp_word) != NULL;
}

int
kb_query_same_stem(const char *a, const char *b)
{
	size_t la, lb, n = 0, shorter, need;

	/* Both tests below need the same first letter: most pairs end here. */
	if (a[0] != b[0])
		return 0;
	la = strlen(a);
	lb = strlen(b);
	if (la > 0 && a[la - 1] == 's')
		la--;
	if (lb > 0 && b[lb - 1] == 's')
		lb--;
	if (la == lb && strncmp(a, b, la) == 0)
		return 1;
	if (la < 4 || lb < 4)
		return 0;
	while (n < la && n < lb && a[n] == b[n])
		n++;
	shorter = la < lb ? la : lb;
	need = shorter > 6 ? shorter - 2 : 4;
	return n >= need;
}

int
kb_group_add(struct kb_group *g, const char *alt)
{
	size_t i;

	if (*alt == '\0' || g->nalts == KB_QUERY_MAX_ALTS)
		return 0;
	for (i = 0; i < g->nalts; i++)
		if (strcmp(g->alts[i], alt) == 0)
			return 0;
	if ((g->alts[g->nalts] = strdup(alt)) == NULL)
		return -1;
	g->nalts++;
	return 0;
}

char *
kb_query_words(const char *s)
{
	struct kb_buf	 b = KB_BUF_INIT;
	const char	*p = s;
	char		 enc[4];
	int		 space = 1;

	while (*p != '\0') {
		uint32_t c = kb_utf8_next(&p);

		if (kb_is_wordchar(c)) {
			kb_buf_add(&b, enc, kb_utf8_put(enc, kb_lower(c)));
			space = 0;
		} else if (!space) {
			kb_buf_putc(&b, ' ');
			space = 1;
		}
	}
	if (b.len > 0 && b.data[b.len - 1] == ' ')
		b.data[--b.len] = '\0';
	return kb_buf_take(&b);
}

/* A token of the raw query: word characters plus the joiners of identifiers. */
static int
is_joiner(uint32_t c)
{
	return c == '_' || c == '-' || c == '.' || c == '$' || c == '{' ||
	    c == '}' || c == '+' || c == '@' || c == '/' || c == ':';
}

static int
all_digits(const char *s)
{
	if (*s == '\0')
		return 0;
	for (; *s; s++)
		if (!isdigit((unsigned char)*s))
			return 0;
	return 1;
}

static int
is_hexish(const char *s)
{
	size_t n = 0, digits = 0;

	for (; *s; s++, n++) {
		if (isdigit((unsigned char)*s))
			digits++;
		else if (!(*s >= 'a' && *s <= 'f') && *s != ' ')
			return 0;
	}
	return n >= 8 && digits > 0;
}

/*
 * A generated id: letters and digits mixed in three runs or more
 * ("i01t0vftre", "d32unri5k0ytzs", "ge96dr"), where names have at most two
 * ("http2", "base64", "route53").
 */
static int
is_random_id(const char *w)
{
	size_t	 n = 0, runs = 0;
	int	 prev = -1, digits = 0;

	for (; *w; w++, n++) {
		int d = isdigit((unsigned char)*w) != 0;

		if (*w == ' ')
			return 0;
		digits |= d;
		if (d != prev)
			runs++;
		prev = d;
	}
	return n >= 6 && digits && runs >= 3;
}

/*
 * Noise from pasted log lines and JSON: request ids, long numbers, dates,
 * addresses.  Status codes and small figures (29, 300) stay.
 */
static int
is_noise(const char *words)
{
	const char	*p;
	size_t		 digits = 0, n = strlen(words);

	if (is_hexish(words) || is_random_id(words))
		return 1;
	for (p = words; *p; p++)
		if (isdigit((unsigned char)*p))
			digits++;
	if (all_digits(words))
		return n > 5;
	/* Mostly digits with separators: 2024 11 25, 10 0 1 23, 12 34 56. */
	return n > 6 && digits * 10 >= n * 6;
}

static int
status_code(const char *w)
{
	int v;

	if (strlen(w) != 3 || !all_digits(w))
		return 0;
	v = atoi(w);
	return (v >= 100 && v <= 599) ? v : 0;
}

static int
add_group(struct kb_query *q, const char *words, int ident)
{
	struct kb_group	*g;
	size_t		 i;

	for (i = 0; i < q->ngroups; i++)
		if (strcmp(q->groups[i].alts[0], words) == 0)
			return 0;	/* said twice */
	if (q->ngroups == KB_QUERY_MAX_GROUPS)
		return 0;
	g = &q->groups[q->ngroups];
	memset(g, 0, sizeof(*g));
	if (kb_group_add(g, words) == -1)
		return -1;
	g->ident = ident;
	g->code = status_code(words);
	q->ngroups++;
	return 0;
}

/* "5xx" and "status 504" are codes too; "http" before a code adds nothing. */
/* "MethodSettings", "fromRestApiAttributes": a lower-case letter, then a capital. */
static int
is_camel(const char *raw)
{
	for (; raw[0] != '\0' && raw[1] != '\0'; raw++)
		if (islower((unsigned char)raw[0]) && isupper((unsigned char)raw[1]))
			return 1;
	return 0;
}

static int
add_token(struct kb_query *q, const char *raw, int last_prefix)
{
	char	*words = kb_query_words(raw);
	int	 rc = 0, ident;
	size_t	 i;

	if (words == NULL)
		return -1;
	/*
	 * DEFAULT_4XX, {proxy+}, $context.x, MethodSettings: written as
	 * identifiers, kept whole.
	 */
	ident = strchr(words, ' ') != NULL || strpbrk(raw, "_{}$@") != NULL ||
	    is_camel(raw);
	if (*words == '\0' || is_noise(words))
		goto out;
	if (strchr(words, ' ') != NULL) {
		/* An identifier with an id or a date inside: "prod/i01t0vftre". */
		struct kb_buf	 kept = KB_BUF_INIT;
		char		*w, *save;

		for (w = strtok_r(words, " ", &save); w; w = strtok_r(NULL, " ", &save))
			if (!is_noise(w) && !(all_digits(w) && strlen(w) > 3)) {
				if (kept.len)
					kb_buf_putc(&kept, ' ');
				kb_buf_puts(&kept, w);
			}
		free(words);
		if ((words = kb_buf_take(&kept)) == NULL)
			return -1;
	}
	if (*words == '\0' || is_noise(words))
		goto out;
	/* A time zone of a pasted log line: +0000, -0700. */
	if ((raw[0] == '+' || raw[0] == '-') && all_digits(words))
		goto out;
	if (!ident) {
		if (IN(words, limit_words))
			q->limitish = 1;
		if (IN(words, how_words))
			q->howish = 1;
		if (strcmp(words, "websocket") == 0 || strcmp(words, "websockets") == 0 ||
		    strcmp(words, "wss") == 0)
			q->api |= 4;
		if (strcmp(words, "httpapi") == 0 || strcmp(words, "apigatewayv2") == 0)
			q->api |= 2;
		if (strcmp(words, "restapi") == 0)
			q->api |= 1;
		if (IN(words, stop_words))
			goto out;
		for (i = 0; i < sizeof(iac_words) / sizeof(iac_words[0]); i++)
			if (strcmp(words, iac_words[i].word) == 0) {
				/* "use SAM" chooses the code, not the subject. */
				q->iac = iac_words[i].iac;
				q->iac_word = iac_words[i].word;
				goto out;
			}
		if (IN(words, error_words) || status_code(words) >= 400 ||
		    (strlen(words) == 3 && words[1] == 'x' && words[2] == 'x'))
			q->errorish = 1;
		if (strcmp(words, "status") == 0 || strcmp(words, "code") == 0)
			goto out;
		/* One-letter words say nothing except in identifiers. */
		if (strlen(words) < 2)
			goto out;
	}
	rc = add_group(q, words, ident);
	if (rc == 0 && last_prefix && q->ngroups > 0 && !ident &&
	    strlen(words) >= 3 && !all_digits(words))
		q->groups[q->ngroups - 1].prefix = 1;
out:
	free(words);
	return rc;
}

/* Adds the n bytes at s as a token of their own. */
static int
add_piece(struct kb_query *q, const char *s, size_t n)
{
	char	*t = strndup(s, n);
	int	 rc;

	if (t == NULL)
		return -1;
	rc = *t ? add_token(q, t, 0) : 0;
	free(t);
	return rc;
}

/* A host name, by its ending: what a pasted URL or log line carries. */
static int
is_host(const char *s, size_t n)
{
	static const char *const ends[] = { ".com", ".net", ".org", ".io", ".dev", ".cn" };
	size_t	 i, k;

	if (memchr(s, '$', n) != NULL)
		return 0;	/* $context.domainName.com is a variable */
	for (i = 0; i < sizeof(ends) / sizeof(ends[0]); i++) {
		k = strlen(ends[i]);
		if (n > k && strncmp(s + n - k, ends[i], k) == 0)
			return 1;
	}
	return 0;
}

/*
 * URLs, host names and ARNs are pasted context, not the question: of a URL
 * the host's kind (an execute-api or CloudFront host) and the path's words
 * count; of an ARN, its service ("arn:aws:execute-api:..." is about
 * execute-api).  Anything else is one token.
 */
static int
add_raw(struct kb_query *q, const char *raw, int last_prefix)
{
	const char	*host, *end, *p;
	size_t		 n;
	int		 rc = 0;

	if (strncmp(raw, "arn:", 4) == 0) {
		const char *svc = strchr(raw + 4, ':');

		if (svc == NULL)
			return 0;
		svc++;
		end = strchr(svc, ':');
		return add_piece(q, svc, end ? (size_t)(end - svc) : strlen(svc));
	}
	host = strstr(raw, "://");
	host = host ? host + 3 : raw;
	end = host + strcspn(host, "/?#");
	n = (size_t)(end - host);
	if (host == raw && !is_host(host, n))
		return add_token(q, raw, last_prefix);
	if (memmem(host, n, "execute-api", 11) != NULL)
		rc = add_token(q, "execute-api", 0);
	if (rc == 0 && memmem(host, n, "cloudfront", 10) != NULL)
		rc = add_token(q, "cloudfront", 0);
	/* The path: each segment a token ("@connections" stays). */
	for (p = end; rc == 0 && *p != '\0'; ) {
		p += strspn(p, "/?#&=");
		n = strcspn(p, "/?#&=");
		if (n > 0)
			rc = add_piece(q, p, n);
		p += n;
	}
	return rc;
}

int
kb_query_parse(struct kb_query *q, const char *text)
{
	struct kb_buf	 clean = KB_BUF_INIT, tok = KB_BUF_INIT;
	const char	*p;
	size_t		 n = strlen(text), i;
	int		 line, col, rc = -1;

	memset(q, 0, sizeof(*q));
	if (n > QUERY_MAX_BYTES)
		n = QUERY_MAX_BYTES;
	/* Replace invalid UTF-8 and control bytes so the rest sees clean text. */
	for (i = 0; i < n; ) {
		unsigned char c = (unsigned char)text[i];
		size_t len = c < 0x80 ? 1 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;

		if (c < 0x20 || c == 0x7f) {
			kb_buf_putc(&clean, ' ');
			i++;
		} else if (i + len <= n && kb_utf8_check(text + i, len, &line, &col) == 0) {
			kb_buf_add(&clean, text + i, len);
			i += len;
		} else {
			kb_buf_putc(&clean, ' ');
			i++;
		}
	}
	kb_buf_squeeze(&clean);
	if (clean.failed)
		goto out;
	p = clean.data ? clean.data : "";
	while (*p != '\0') {
		const char *start = p, *q2;
		uint32_t c = kb_utf8_next(&p);

		if (!kb_is_wordchar(c) && !(is_joiner(c) && (*p != '\0' &&
		    *p != ' ')))
			continue;
		/* Take word characters and joiners between them. */
		kb_buf_reset(&tok);
		p = start;
		while (*p != '\0') {
			q2 = p;
			c = kb_utf8_next(&q2);
			if (!kb_is_wordchar(c) && !is_joiner(c))
				break;
			kb_buf_add(&tok, p, (size_t)(q2 - p));
			p = q2;
		}
		if (tok.failed)
			goto out;
		/* The last word may be unfinished (live search): prefix match. */
		if (add_raw(q, tok.data, *p == '\0' &&
		    (tok.len > 0 && kb_is_wordchar((unsigned char)tok.data[tok.len - 1]))) == -1)
			goto out;
	}
	/* A query of nothing but "terraform" is about Terraform after all. */
	if (q->ngroups == 0 && q->iac_word != NULL && add_group(q, q->iac_word, 0) == -1)
		goto out;
	/* "REST API" and "HTTP API" name an API type. */
	{
		char *w = kb_query_words(clean.data ? clean.data : "");

		if (w == NULL)
			goto out;
		if (strstr(w, "rest api") != NULL)
			q->api |= 1;
		if (strstr(w, "http api") != NULL)
			q->api |= 2;
		free(w);
	}
	/* "HTTP 504" is the code alone; "HTTP API" keeps its HTTP. */
	for (i = 0; i + 1 < q->ngroups; i++) {
		if (strcmp(q->groups[i].alts[0], "http") != 0 || !q->groups[i + 1].code)
			continue;
		free(q->groups[i].alts[0]);
		memmove(&q->groups[i], &q->groups[i + 1],
		    (q->ngroups - i - 1) * sizeof(q->groups[0]));
		q->ngroups--;
	}
	q->text = kb_buf_take(&clean);
	rc = q->text ? 0 : -1;
out:
	kb_buf_free(&clean);
	kb_buf_free(&tok);
	return rc;
}

void
kb_query_free(struct kb_query *q)
{
	size_t i, k;

	for (i = 0; i < q->ngroups; i++) {
		for (k = 0; k < q->groups[i].nalts; k++)
			free(q->groups[i].alts[k]);
		free(q->groups[i].corrected_from);
	}
	free(q->text);
	memset(q, 0, sizeof(*q));
}

static void
phrase(struct kb_buf *b, const char *words, int prefix)
{
	const char *p;

	/* Words hold only word characters and spaces; quote anyway. */
	kb_buf_putc(b, '"');
	for (p = words; *p; p++) {
		if (*p == '"')
			kb_buf_putc(b, '"');
		kb_buf_putc(b, *p);
	}
	kb_buf_putc(b, '"');
	if (prefix)
		kb_buf_putc(b, '*');
}

size_t
kb_query_fts(const struct kb_query *q, struct kb_buf *b,
    unsigned char *phrase_group, size_t max)
{
	size_t i, k, n = 0;

	for (i = 0; i < q->ngroups; i++) {
		const struct kb_group *g = &q->groups[i];

		for (k = 0; k < g->nalts + (size_t)g->prefix && n < max; k++) {
			if (n > 0)
				kb_buf_puts(b, " OR ");
			phrase(b, g->alts[k < g->nalts ? k : 0], k >= g->nalts);
			phrase_group[n++] = (unsigned char)i;
		}
	}
	return n;
}
