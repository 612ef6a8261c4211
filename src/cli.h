/* cli.h: command entry points of the apigw-kb program. */
#ifndef KB_CLI_H
#define KB_CLI_H

#ifndef KB_VERSION
#define KB_VERSION "0.1.0"
#endif

extern const char kb_usage[];	/* the synopsis for --help and usage errors */

int	 kb_cmd_search(int argc, char *argv[]);

#endif
