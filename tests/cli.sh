#!/bin/sh
# cli.sh: the apigw-kb command as a user runs it: options, exit statuses, output formats.
# Usage: tests/cli.sh BIN   (from the repository root; uses the site `make site`
# built beside BIN, or builds content/references into a temporary folder)
set -u

BIN=${1:?usage: tests/cli.sh BIN}
case $BIN in /*) ;; *) BIN=$(pwd)/$BIN ;; esac
DB=$(dirname "$BIN")/site/kb.sqlite
ESC=$(printf '\033')
pass=0
fail=0
TMP=$(mktemp -d /tmp/apigw-kb-cli-XXXXXX) || exit 2
trap 'rm -rf "$TMP"' EXIT HUP INT TERM

ok() {
	pass=$((pass + 1))
}

not_ok() {
	fail=$((fail + 1))
	echo "FAIL: $*" >&2
	if [ -s "$TMP/err" ]; then sed 's/^/  stderr: /' "$TMP/err" | head -5 >&2; fi
}

# run ARGS...: runs the program; sets $status, leaves stdout in $TMP/out, stderr in $TMP/err.
run() {
	"$BIN" "$@" >"$TMP/out" 2>"$TMP/err" </dev/null
	status=$?
	# Under SANITIZE=1 a memory error exits 1, which would pass for "no answer".
	if grep -qE 'Sanitizer|runtime error:' "$TMP/err"; then
		not_ok "sanitizer report for: $(printf '%.60s' "$*" | tr -c '[:print:]' '?')"
	fi
}

# expect_status WANT DESCRIPTION
expect_status() {
	if [ "$status" -eq "$1" ]; then ok; else not_ok "$2: exit $status, want $1"; fi
}

# expect_grep FILE PATTERN DESCRIPTION (fixed string)
expect_grep() {
	if grep -qF -- "$2" "$1"; then ok; else not_ok "$3: no '$2' in $(basename "$1")"; fi
}

expect_no_grep() {
	if grep -qiF -- "$2" "$1"; then not_ok "$3: found '$2' in $(basename "$1")"; else ok; fi
}

# json_check FILE PYTHON-EXPRESSION DESCRIPTION: the expression sees the parsed document as d.
json_check() {
	if python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
sys.exit(0 if eval(sys.argv[2]) else 1)
' "$1" "$2" 2>>"$TMP/err"; then ok; else not_ok "$3"; fi
}

if [ ! -x "$BIN" ]; then
	echo "cli.sh: $BIN is not executable; run make first" >&2
	exit 2
fi
if [ ! -f "$DB" ]; then
	DB=$TMP/site/kb.sqlite
	if ! "$BIN" build --quiet --content content/references --out "$TMP/site" \
	    >/dev/null 2>"$TMP/err"; then
		echo "cli.sh: no index beside $BIN and cannot build one:" >&2
		cat "$TMP/err" >&2
		exit 2
	fi
fi

# --- usage and exit status 2 ---------------------------------------------------

run --help
expect_status 0 "--help"
expect_grep "$TMP/out" "usage: apigw-kb build" "--help shows the build synopsis"
expect_grep "$TMP/out" "apigw-kb search" "--help shows the search synopsis"
expect_grep "$TMP/out" "--format" "--help names the options"

run search --help
expect_status 0 "search --help"
expect_grep "$TMP/out" "Exit status" "search --help lists exit statuses"

run --version
expect_status 0 "--version"
expect_grep "$TMP/out" "apigw-kb " "--version names the program"

run
expect_status 2 "no command"

run frobnicate
expect_status 2 "unknown command"
expect_grep "$TMP/err" "frobnicate" "unknown command is named"

run search
expect_status 2 "search without a query"
expect_grep "$TMP/err" "apigw-kb:" "search without a query says why"

run search --db /nonexistent/kb.sqlite "504 timeout"
expect_status 2 "--db /nonexistent"
expect_grep "$TMP/err" "run apigw-kb build" "--db /nonexistent says what to do"
if [ "$(wc -l <"$TMP/err")" -eq 1 ]; then ok; else not_ok "--db /nonexistent: message is not one line"; fi

run search --db "$DB" --format xml "504 timeout"
expect_status 2 "--format xml"
expect_grep "$TMP/err" "--format" "--format xml names the option"

for bad in 0 51 -1 abc 3x ""; do
	run search --db "$DB" --limit "$bad" "504 timeout"
	expect_status 2 "--limit '$bad'"
done

run search --db "$DB" --iac pulumi "504 timeout"
expect_status 2 "--iac pulumi"

run search --db "$DB" --api grpc "504 timeout"
expect_status 2 "--api grpc"

printf 'not a database\n' >"$TMP/junk.sqlite"
run search --db "$TMP/junk.sqlite" "504 timeout"
expect_status 2 "--db on a file that is not an index"
expect_grep "$TMP/err" "run apigw-kb build" "a file that is not an index says what to do"

# --- answers -------------------------------------------------------------------------

run search --db "$DB" "504 gateway timeout"
expect_status 0 "on-topic query"
expect_grep "$TMP/out" "Recommendation" "on-topic text answer has a recommendation"
expect_no_grep "$TMP/out" "$ESC" "piped text output has no escape bytes"

NO_COLOR=1 TERM=xterm-256color "$BIN" search --db "$DB" "504 gateway timeout" >"$TMP/out" 2>"$TMP/err"
status=$?
expect_status 0 "NO_COLOR query"
expect_no_grep "$TMP/out" "$ESC" "NO_COLOR text output has no escape bytes"

run search --db "$DB" --format json "kubernetes ingress annotations"
expect_status 1 "off-topic query"
json_check "$TMP/out" 'd["answers"] == []' "off-topic JSON has empty answers"
json_check "$TMP/out" 'isinstance(d["suggestions"], list)' "off-topic JSON has suggestions"

run search --db "$DB" --format json "504 gateway timeout"
expect_status 0 "JSON query"
if python3 -m json.tool "$TMP/out" >/dev/null 2>>"$TMP/err"; then ok; else not_ok "JSON output does not validate"; fi
json_check "$TMP/out" 'list(d.keys()) == ["query", "iac", "answers", "suggestions"]' \
    "JSON top-level keys are query/iac/answers/suggestions"
json_check "$TMP/out" 'd["iac"] == "cdk" and len(d["answers"]) >= 1' "JSON default flavour and answers"
json_check "$TMP/out" 'all([k for k in a.keys() if k != "direct"] == ["rank", "score", "doc",
    "anchor", "title", "url", "recommendation", "configuration", "pitfalls", "limits"]
    and list(a.keys())[6] in ("direct", "recommendation") for a in d["answers"])' \
    "JSON answer keys (direct, when present, after url)"
json_check "$TMP/out" 'all(set(a["direct"]) == {"text", "url"} and a["direct"]["text"]
    for a in d["answers"] if "direct" in a)' "JSON direct answer has text and url"
json_check "$TMP/out" 'all(a["rank"] == i + 1 and 0 < a["score"] <= 1 for i, a in enumerate(d["answers"]))' \
    "JSON ranks and scores"
json_check "$TMP/out" 'all(list(c.keys()) == ["flavor", "language", "code"] for a in d["answers"] for c in a["configuration"])' \
    "JSON configuration keys"
json_check "$TMP/out" 'all(list(p.keys()) == ["text", "url"] for a in d["answers"] for p in a["pitfalls"] + a["limits"])' \
    "JSON pitfall and limit keys"
json_check "$TMP/out" 'all(a["url"].startswith(a["doc"] + ".html") for a in d["answers"])' \
    "JSON urls point at the document pages"

run search --db "$DB" --format json --iac sam "504 gateway timeout"
json_check "$TMP/out" 'd["iac"] == "sam"' "--iac sam is reported"
json_check "$TMP/out" '"sam" in [c["flavor"] for c in d["answers"][0]["configuration"]]' \
    "--iac sam gives SAM code"
# CDK stands in only where a topic has no SAM or CloudFormation code.
json_check "$TMP/out" 'not any({"sam", "cloudformation"} & {c["flavor"] for c in a["configuration"]} and
    {"cdk", "terraform"} & {c["flavor"] for c in a["configuration"]} for a in d["answers"])' \
    "--iac sam never mixes SAM with CDK or Terraform code"

run search --db "$DB" --format json --limit 1 "throttling"
json_check "$TMP/out" 'len(d["answers"]) <= 1' "--limit 1 gives at most one answer"

run search --db "$DB" --format markdown "504 gateway timeout"
expect_status 0 "markdown query"
if [ "$(head -c 2 "$TMP/out")" = "# " ]; then ok; else not_ok "markdown does not start with '# '"; fi

# --- finding the index ------------------------------------------------------------------

APIGW_KB_DB=/nonexistent/env.sqlite "$BIN" search "504 gateway timeout" >"$TMP/out" 2>"$TMP/err"
status=$?
expect_status 2 "APIGW_KB_DB pointing nowhere"
expect_grep "$TMP/err" "/nonexistent/env.sqlite" "APIGW_KB_DB is the index used"

mkdir -p "$TMP/copy"
cp "$DB" "$TMP/copy/kb.sqlite"
APIGW_KB_DB="$TMP/copy/kb.sqlite" "$BIN" search "504 gateway timeout" >"$TMP/out" 2>"$TMP/err"
status=$?
expect_status 0 "APIGW_KB_DB on a copy"
expect_grep "$TMP/out" "$TMP/copy/" "links point beside the APIGW_KB_DB index"

APIGW_KB_DB=/nonexistent/env.sqlite "$BIN" search --db "$DB" "504 gateway timeout" >"$TMP/out" 2>"$TMP/err"
status=$?
expect_status 0 "--db wins over APIGW_KB_DB"

# --- hostile queries ------------------------------------------------------------------

big=$(head -c 10240 /dev/zero | tr '\0' a)
# shellcheck disable=SC1003
for q in '"' 'AND OR' 'NEAR(' '*' '^x' '-x' 'col:x' '((((' "$big" "$(printf '\377\376')" \
    "' OR 1=1 --" 'title:timeout NOT cors' '{"message":' "$(printf 'a\033[2Jb')" \
    'stage; DROP TABLE topics;' '%s%n%x' '\\\\'; do
	for fmt in text json; do
		run search --db "$DB" --format "$fmt" -- "$q"
		label=$(printf '%.30s' "$q" | tr -c '[:print:]' '?')
		if [ "$status" -eq 0 ] || [ "$status" -eq 1 ]; then ok; else
			not_ok "hostile query '$label' ($fmt): exit $status"
		fi
		for word in SQL fts5 sqlite; do
			if grep -qiF "$word" "$TMP/err"; then
				not_ok "hostile query '$label' ($fmt): '$word' on stderr"
			else ok; fi
		done
		for word in fts5 "SQL logic error" "syntax error" sqlite; do
			if grep -qiF "$word" "$TMP/out"; then
				not_ok "hostile query '$label' ($fmt): '$word' on stdout"
			else ok; fi
		done
		if [ "$fmt" = json ]; then
			if python3 -m json.tool "$TMP/out" >/dev/null 2>&1; then ok; else
				not_ok "hostile query '$label': JSON does not validate"
			fi
		fi
	done
done

# --- build from another folder -------------------------------------------------

# --explain: the features, weights and the decision, in every format.
run search --db "$DB" --explain "504 gateway timeout"
expect_status 0 "--explain"
expect_grep "$TMP/out" "answer or not: p = " "--explain shows the no-answer decision"
expect_grep "$TMP/out" "title_cov" "--explain lists each feature"
run search --db "$DB" --format json --explain=3 "504 gateway timeout"
expect_status 0 "--explain=3 in JSON"
json_check "$TMP/out" 'len(d["explain"]["candidates"]) <= 3 and all(set(c["features"]) >= {"cov", "bm25", "title_cov"}
    for c in d["explain"]["candidates"])' "--explain JSON lists candidates with their features"
json_check "$TMP/out" 'abs(d["explain"]["candidates"][0]["score"] - d["explain"]["rank_bias"]
    - sum(v * w for v, w in d["explain"]["candidates"][0]["features"].values())) < 1e-3' \
    "--explain: a candidate's score is its features times their weights"
json_check "$TMP/out" '(0 <= d["explain"]["answer"]["probability"] <= 1
    and d["explain"]["answer"]["probability"] >= d["explain"]["answer"]["threshold"])' \
    "--explain: an answered query's probability reaches the threshold"
run search --db "$DB" --format json --explain "how do I center a div with css"
json_check "$TMP/out" '(d["answers"] == [] and d["explain"]["answer"]["probability"]
    < d["explain"]["answer"]["threshold"])' "--explain: a refused query falls below the threshold"
run search --db "$DB" --explain=0 "timeout"
expect_status 2 "--explain=0 is a usage error"
expect_grep "$TMP/err" "--explain=N" "--explain=0 says what it takes"

# APIGW_KB_MODEL: another model file, checked line by line.
printf 'rank\tbias\t0\nrank\tno_such_feature\t1\n' >"$TMP/bad-model.tsv"
APIGW_KB_MODEL="$TMP/bad-model.tsv"; export APIGW_KB_MODEL
run search --db "$DB" "timeout"
expect_status 2 "a model file with an unknown feature"
expect_grep "$TMP/err" "bad-model.tsv:2:" "the bad model line is named"
printf 'rank\tbias\t0\nanswer\tthreshold\t2\n' >"$TMP/never.tsv"
APIGW_KB_MODEL="$TMP/never.tsv"
run search --db "$DB" "504 gateway timeout"
expect_status 1 "a model whose threshold no query reaches answers nothing"
unset APIGW_KB_MODEL

# A quota question is answered directly, first, with its figure.
run search --db "$DB" --format json --limit 1 "how many stages per API"
json_check "$TMP/out" '"direct" in d["answers"][0] and any(ch.isdigit() for ch in d["answers"][0]["direct"]["text"])' \
    "a quota question gets a direct answer with a figure"
run search --db "$DB" --limit 1 "how many stages per API"
if sed -n '3,4p' "$TMP/out" | grep -q "Answer"; then ok; else not_ok "text output leads with the direct answer"; fi

# The theme comes with the program: a build from any folder finds it.
mkdir -p "$TMP/elsewhere/docs"
printf '# Runbook\n\n## Restart\n\nSee [below](#restart).\n' >"$TMP/elsewhere/docs/runbook.md"
(cd "$TMP/elsewhere" && "$BIN" build --quiet --strict --content docs --out out \
    >"$TMP/out" 2>"$TMP/err" </dev/null)
status=$?
expect_status 0 "build from another folder finds the theme"
if [ -f "$TMP/elsewhere/out/runbook.html" ] && [ -f "$TMP/elsewhere/out/assets/style.css" ]; then
	ok
else
	not_ok "build from another folder: no runbook.html or assets/style.css"
fi
(cd "$TMP/elsewhere" && "$BIN" build --quiet --content docs --out out --theme nowhere \
    >"$TMP/out" 2>"$TMP/err" </dev/null)
status=$?
expect_status 1 "a missing --theme fails the build"
expect_grep "$TMP/err" "nowhere/page.html" "a missing --theme is named"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
