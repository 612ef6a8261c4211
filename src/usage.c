/* usage.c: the synopsis both apigw-kb programs print. */
#include "cli.h"

const char kb_usage[] =
	"usage: apigw-kb build  [--content DIR] [--theme DIR] [--out DIR] [--strict]\n"
	"                       [--base-url URL] [--synonyms FILE] [--model FILE] [--quiet]\n"
	"       apigw-kb check  [--content DIR] [--theme DIR]\n"
	"       apigw-kb search [--format text|markdown|json] [--iac FLAVOUR]\n"
	"                       [--api rest|http|websocket] [--limit N] [--db FILE]\n"
	"                       [--explain[=N]] QUERY...\n"
	"       apigw-kb --help | --version\n";
