#!/bin/sh
# content.sh DB: the knowledge base holds the 19 documents, their answer parts,
# enough prose, and every figure and identifier of the seed's tables.
# Run from the repository root after the site was built.
set -u
db=${1:-build/site/kb.sqlite}
refs=content/references
pass=0 fail=0

ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
q() { sqlite3 -readonly "$db" "$1"; }

docs="index requirements-gathering authentication architecture-patterns websocket
service-integrations custom-domains-routing security sam-cloudformation
sam-service-integrations performance-scaling observability-logging
observability-metrics-alarms observability-analytics deployment governance
pitfalls troubleshooting service-limits"

for d in $docs; do
	f=$refs/$d.md
	[ -f "$f" ] && ok || { bad "$f is missing"; continue; }
	for key in title description api order; do
		sed -n '2,/^---$/p' "$f" | grep -q "^$key:" && ok || bad "$f: no '$key' in front matter"
	done
	n=$(q "SELECT count(*) FROM topics t JOIN documents d ON d.id = t.doc_id WHERE d.slug = '$d' AND t.anchor <> ''")
	[ "$n" -ge 5 ] && ok || bad "$d: $n topics, want at least 5"
	# Every topic where a reader acts has the four answer parts; allow one
	# navigation or quota-table topic per document to go without.
	whole=$(q "SELECT count(*) FROM topics t JOIN documents d ON d.id = t.doc_id
	    WHERE d.slug = '$d' AND t.anchor <> '' AND
	    (SELECT count(DISTINCT kind) FROM parts p WHERE p.topic_id = t.id AND
	     p.kind IN ('recommendation','configuration','pitfalls','limits')) = 4")
	[ $((n - whole)) -le 1 ] && ok || bad "$d: only $whole of $n topics have Recommendation, Configuration, Pitfalls and Limits"
done

# Troubleshooting topics carry the exact messages users paste.
nosym=$(q "SELECT t.title FROM topics t JOIN documents d ON d.id = t.doc_id
    WHERE d.slug = 'troubleshooting' AND t.anchor <> '' AND t.symptoms = ''")
[ -z "$nosym" ] && ok || bad "troubleshooting topics without Symptoms: $nosym"
for msg in 'Endpoint request timed out' 'Malformed Lambda proxy response' \
    'Missing Authentication Token' 'Service Unavailable' 'PKIX path building failed' \
    "Access-Control-Allow-Origin" 'Too Many Requests'; do
	n=$(q "SELECT count(*) FROM topics t JOIN documents d ON d.id = t.doc_id
	    WHERE d.slug = 'troubleshooting' AND t.symptoms LIKE '%$msg%'")
	[ "$n" -ge 1 ] && ok || bad "no troubleshooting symptom says '$msg'"
done

# One topic per error of the troubleshooting table.
for code in 400 401 403 413 429 500 502 504; do
	n=$(q "SELECT count(*) FROM topics t JOIN documents d ON d.id = t.doc_id
	    WHERE d.slug = 'troubleshooting' AND t.title LIKE '$code %'")
	[ "$n" -ge 1 ] && ok || bad "troubleshooting has no topic for $code"
done

# At least 20,000 words of prose, code blocks and front matter not counted.
words=$(for f in $refs/*.md; do
	awk 'NR == 1 && /^---$/ { fm = 1; next } fm && /^---$/ { fm = 0; next } fm { next }
	    /^[ \t]*(```|~~~)/ { code = !code; next } !code' "$f"
done | wc -w)
[ "$words" -ge 20000 ] && ok || bad "only $words words of prose, want 20000"

# Every figure and identifier of the seed's tables, in the document a
# search for it lands on.
check_fact() {	# doc text...
	doc=$1; shift
	grep -qiF -- "$*" "$refs/$doc.md" && ok || bad "$doc.md does not mention '$*'"
}
check_fact index "70%"
check_fact index "JSON Schema draft 4"
check_fact index "237 GB"
check_fact index "128 KB"
check_fact index "32 KB"
check_fact service-limits "10 MB"
check_fact service-limits "128 KB"
check_fact service-limits "32 KB"
check_fact service-limits "29 seconds"
check_fact service-limits "30 seconds"
check_fact service-limits "300 seconds"
check_fact service-limits "600"
check_fact service-limits "120"
check_fact service-limits "10,000"
check_fact service-limits "5,000"
check_fact service-limits "0.5 GB"
check_fact service-limits "237 GB"
check_fact performance-scaling "3600"
check_fact performance-scaling "300 seconds"
check_fact troubleshooting "DEFAULT_4XX"
check_fact troubleshooting "DEFAULT_5XX"
check_fact troubleshooting "insecureSkipVerification"
check_fact troubleshooting "SHA-256"
check_fact troubleshooting "truststore"
check_fact troubleshooting "statusCode"
check_fact pitfalls "/ping"
check_fact pitfalls "/sping"
check_fact pitfalls "REQUEST_TOO_LARGE"
check_fact pitfalls "maxItems"
check_fact pitfalls "1,024"
check_fact pitfalls "2 hours"
check_fact authentication "2 hours"
check_fact websocket '$connect'
check_fact websocket '@connections'
check_fact security "CloudFront"

# Corrected claims stay corrected (tests/content-fixes.tsv: file, phrase, source).
while IFS="$(printf '\t')" read -r file phrase source; do
	case $file in ''|'#'*|file) continue ;; esac
	grep -qF -- "$phrase" "$refs/$file" && ok || bad "$file: lost the correction '$phrase' ($source)"
done < tests/content-fixes.tsv

echo "content: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
