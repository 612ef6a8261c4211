/* unit_text.c: UTF-8 checks, slugs, the string map, the buffer and JSON strings. */
#include "testutil.h"

#include "buf.h"
#include "json.h"
#include "strmap.h"
#include "text.h"

/* --- kb_utf8_check -------------------------------------------------------- */

static int
bad_at(const char *s, size_t n, int *line, int *col)
{
	*line = *col = -1;
	return kb_utf8_check(s, n, line, col);
}

START_TEST(utf8_accepts_valid_text)
{
	static const char s[] = "plain ASCII\nh\xc3\xa9llo \xe2\x82\xac \xf0\x9d\x84\x9e\n"
	    "\xef\xbf\xbf \xf4\x8f\xbf\xbf";	/* U+FFFF and U+10FFFF, the edges */
	int line, col;

	ck_assert_int_eq(bad_at(s, sizeof(s) - 1, &line, &col), 0);
	ck_assert_int_eq(bad_at("", 0, &line, &col), 0);
}
END_TEST

START_TEST(utf8_rejects_overlong_forms)
{
	int line, col;

	ck_assert_int_eq(bad_at("\xc0\xaf", 2, &line, &col), -1);
	ck_assert_int_eq(col, 1);
	ck_assert_int_eq(bad_at("ab\xc1\xbf", 4, &line, &col), -1);
	ck_assert_int_eq(col, 3);
	ck_assert_int_eq(bad_at("\xe0\x80\xaf", 3, &line, &col), -1);
	ck_assert_int_eq(bad_at("\xf0\x80\x80\xaf", 4, &line, &col), -1);
}
END_TEST

START_TEST(utf8_rejects_surrogates_and_beyond_unicode)
{
	int line, col;

	ck_assert_int_eq(bad_at("x\xed\xa0\x80", 4, &line, &col), -1);	/* U+D800 */
	ck_assert_int_eq(col, 2);
	ck_assert_int_eq(bad_at("\xed\xbf\xbf", 3, &line, &col), -1);	/* U+DFFF */
	ck_assert_int_eq(bad_at("\xf4\x90\x80\x80", 4, &line, &col), -1); /* U+110000 */
	ck_assert_int_eq(bad_at("\xf5\x80\x80\x80", 4, &line, &col), -1);
	ck_assert_int_eq(bad_at("\xff", 1, &line, &col), -1);
	/* U+D7FF and U+E000 sit either side of the surrogates and are fine. */
	ck_assert_int_eq(bad_at("\xed\x9f\xbf\xee\x80\x80", 6, &line, &col), 0);
}
END_TEST

START_TEST(utf8_rejects_truncated_sequences)
{
	int line, col;

	ck_assert_int_eq(bad_at("ab\xe2\x82", 4, &line, &col), -1);
	ck_assert_int_eq(line, 1);
	ck_assert_int_eq(col, 3);
	/* A lead byte followed by ASCII instead of a continuation byte. */
	ck_assert_int_eq(bad_at("\xc3(x", 3, &line, &col), -1);
	ck_assert_int_eq(col, 1);
	/* A continuation byte with no lead byte. */
	ck_assert_int_eq(bad_at("ok\x80", 3, &line, &col), -1);
	ck_assert_int_eq(col, 3);
	/* The length given is what counts: a valid sequence cut by n is bad. */
	ck_assert_int_eq(bad_at("\xe2\x82\xac", 2, &line, &col), -1);
}
END_TEST

START_TEST(utf8_rejects_nul)
{
	int line, col;

	ck_assert_int_eq(bad_at("ab\0cd", 5, &line, &col), -1);
	ck_assert_int_eq(line, 1);
	ck_assert_int_eq(col, 3);
}
END_TEST

START_TEST(utf8_reports_line_and_byte_column)
{
	static const char s[] = "first line\nsecond\n\xc3\xa9t\xc3\xa9 \xff rest\n";
	int line, col;

	ck_assert_int_eq(bad_at(s, sizeof(s) - 1, &line, &col), -1);
	ck_assert_int_eq(line, 3);
	ck_assert_int_eq(col, 7);	/* bytes, not characters: "été " is 6 bytes */
}
END_TEST

/* The scan takes eight ASCII bytes at a time: a bad byte at any offset is found. */
START_TEST(utf8_finds_a_bad_byte_at_every_offset)
{
	static const char bad[] = { '\xff', '\0', '\x80' };
	char s[48];
	size_t pos, b;
	int line, col, want_line, want_col;

	for (b = 0; b < sizeof(bad); b++)
		for (pos = 0; pos < sizeof(s); pos++) {
			memset(s, 'a', sizeof(s));
			s[10] = s[21] = '\n';
			if (pos == 10 || pos == 21)
				continue;
			s[pos] = bad[b];
			want_line = 1 + (pos > 10) + (pos > 21);
			want_col = (int)pos + 1 - (pos > 21 ? 22 : pos > 10 ? 11 : 0);
			ck_assert_int_eq(bad_at(s, sizeof(s), &line, &col), -1);
			ck_assert_int_eq(line, want_line);
			ck_assert_int_eq(col, want_col);
			s[pos] = 'a';
			ck_assert_int_eq(bad_at(s, sizeof(s), &line, &col), 0);
		}
}
END_TEST

START_TEST(utf8_encode_decode_round_trip)
{
	static const uint32_t cps[] = { 0x41, 0xe9, 0x20ac, 0x1d11e, 0x10ffff };
	char buf[8];
	size_t i, n;

	for (i = 0; i < sizeof(cps) / sizeof(cps[0]); i++) {
		const char *p = buf;
		int line, col;

		n = kb_utf8_put(buf, cps[i]);
		ck_assert_uint_eq(n, i < 1 ? 1 : i < 2 ? 2 : i < 3 ? 3 : 4);
		ck_assert_int_eq(kb_utf8_check(buf, n, &line, &col), 0);
		ck_assert_uint_eq(kb_utf8_next(&p), cps[i]);
		ck_assert_ptr_eq(p, buf + n);
	}
}
END_TEST

START_TEST(lower_maps_latin_greek_cyrillic)
{
	ck_assert_uint_eq(kb_lower('A'), 'a');
	ck_assert_uint_eq(kb_lower('z'), 'z');
	ck_assert_uint_eq(kb_lower(0xdc), 0xfc);	/* Ü -> ü */
	ck_assert_uint_eq(kb_lower(0xd7), 0xd7);	/* × is not a letter */
	ck_assert_uint_eq(kb_lower(0x391), 0x3b1);	/* Α -> α */
	ck_assert_uint_eq(kb_lower(0x410), 0x430);	/* А -> а */
	ck_assert_uint_eq(kb_lower(0x401), 0x451);	/* Ё -> ё */
	ck_assert_uint_eq(kb_lower(0x141), 0x142);	/* Ł -> ł */
	ck_assert_uint_eq(kb_lower(0x160), 0x161);	/* Š -> š */
}
END_TEST

START_TEST(wordchar_classes)
{
	ck_assert(kb_is_wordchar('a'));
	ck_assert(kb_is_wordchar('Z'));
	ck_assert(kb_is_wordchar('7'));
	ck_assert(!kb_is_wordchar('_'));
	ck_assert(!kb_is_wordchar('-'));
	ck_assert(!kb_is_wordchar(' '));
	ck_assert(kb_is_wordchar(0xe9));	/* é */
	ck_assert(!kb_is_wordchar(0xa9));	/* © */
	ck_assert(!kb_is_wordchar(0x2014));	/* em dash */
	ck_assert(!kb_is_wordchar(0x1f680));	/* rocket */
	ck_assert(kb_is_wordchar(0x65e5));	/* 日 */
}
END_TEST

START_TEST(has_suffix_ignores_case)
{
	ck_assert(kb_has_suffix("doc.md", ".md"));
	ck_assert(kb_has_suffix("DOC.MD", ".md"));
	ck_assert(!kb_has_suffix("doc.mdx", ".md"));
	ck_assert(!kb_has_suffix("md", ".md"));
}
END_TEST

/* --- kb_slug ---------------------------------------------------------------- */

static void
slug_is(const char *heading, const char *want)
{
	char *s = kb_slug(heading);

	ck_assert_ptr_nonnull(s);
	ck_assert_msg(strcmp(s, want) == 0, "slug of \"%s\" is \"%s\", want \"%s\"",
	    heading, s, want);
	free(s);
}

START_TEST(slug_follows_github_rules)
{
	slug_is("504 Gateway Timeout", "504-gateway-timeout");
	slug_is("403 Forbidden: Missing Authentication Token",
	    "403-forbidden-missing-authentication-token");
	slug_is("`{proxy+}` routes", "proxy-routes");
	slug_is("A - B", "a---b");
	slug_is("snake_case and-hyphen", "snake_case-and-hyphen");
	slug_is("What's new? (2024)", "whats-new-2024");
	slug_is("x-amzn-ErrorType", "x-amzn-errortype");
	slug_is("$context.integration.latency", "contextintegrationlatency");
}
END_TEST

START_TEST(slug_lower_cases_unicode_letters)
{
	slug_is("\xc3\x9cn\xc3\xaf" "code T\xc3\xabst", "\xc3\xbcn\xc3\xaf" "code-t\xc3\xabst");
	slug_is("\xd0\x9f\xd1\x80\xd0\xb8\xd0\xbc\xd0\xb5\xd1\x80", /* Пример */
	    "\xd0\xbf\xd1\x80\xd0\xb8\xd0\xbc\xd0\xb5\xd1\x80");
	slug_is("\xf0\x9f\x9a\x80 Launch", "-launch");	/* emoji dropped, space kept */
	slug_is("Limits \xe2\x80\x94 REST", "limits--rest");	/* em dash dropped */
}
END_TEST

START_TEST(slug_of_punctuation_only_is_empty)
{
	slug_is("?!.,:()", "");
	slug_is("", "");
	slug_is("***", "");
}
END_TEST

/* --- kb_slug_unique ----------------------------------------------------------- */

static void
unique_is(struct kb_strmap *seen, const char *slug, const char *want)
{
	char *s = kb_slug_unique(seen, slug);

	ck_assert_ptr_nonnull(s);
	ck_assert_msg(strcmp(s, want) == 0, "unique(\"%s\") is \"%s\", want \"%s\"",
	    slug, s, want);
	free(s);
}

START_TEST(slug_unique_numbers_repeats)
{
	struct kb_strmap seen = KB_STRMAP_INIT;

	unique_is(&seen, "x", "x");
	unique_is(&seen, "x", "x-1");
	unique_is(&seen, "x", "x-2");
	unique_is(&seen, "y", "y");
	kb_strmap_free(&seen);
}
END_TEST

START_TEST(slug_unique_empty_becomes_section)
{
	struct kb_strmap seen = KB_STRMAP_INIT;

	unique_is(&seen, "", "section");
	unique_is(&seen, "", "section-1");
	unique_is(&seen, "section", "section-2");
	kb_strmap_free(&seen);
}
END_TEST

START_TEST(slug_unique_skips_taken_numbers)
{
	struct kb_strmap seen = KB_STRMAP_INIT;

	/* GitHub: "x", "x-1" written out, then "x" again must not reuse x-1. */
	unique_is(&seen, "x", "x");
	unique_is(&seen, "x-1", "x-1");
	unique_is(&seen, "x", "x-2");
	/* And a heading that is literally a generated slug gets its own suffix. */
	unique_is(&seen, "x-2", "x-2-1");
	kb_strmap_free(&seen);
}
END_TEST

/* --- kb_strmap ---------------------------------------------------------------- */

START_TEST(strmap_put_get)
{
	struct kb_strmap	 m = KB_STRMAP_INIT;
	struct kb_strmap_slot	*s, *t;

	ck_assert_ptr_null(kb_strmap_get(&m, "absent"));
	s = kb_strmap_put(&m, "alpha");
	ck_assert_ptr_nonnull(s);
	ck_assert_str_eq(s->key, "alpha");
	ck_assert_int_eq(s->value, 0);
	s->value = 42;
	t = kb_strmap_put(&m, "alpha");
	ck_assert_ptr_eq(t, s);
	ck_assert_int_eq(t->value, 42);
	ck_assert_uint_eq(m.count, 1);
	ck_assert_ptr_null(kb_strmap_get(&m, "alph"));
	ck_assert_ptr_null(kb_strmap_get(&m, "alphabet"));
	ck_assert_ptr_null(kb_strmap_get(&m, ""));
	kb_strmap_free(&m);
	ck_assert_ptr_null(m.slots);
	ck_assert_uint_eq(m.count, 0);
}
END_TEST

START_TEST(strmap_putn_copies_only_n_bytes)
{
	struct kb_strmap	 m = KB_STRMAP_INIT;
	struct kb_strmap_slot	*s;

	s = kb_strmap_putn(&m, "abcdef", 3);
	ck_assert_ptr_nonnull(s);
	ck_assert_str_eq(s->key, "abc");
	ck_assert_ptr_nonnull(kb_strmap_get(&m, "abc"));
	ck_assert_ptr_null(kb_strmap_get(&m, "abcdef"));
	ck_assert_ptr_eq(kb_strmap_putn(&m, "abcxyz", 3), kb_strmap_get(&m, "abc"));
	ck_assert_uint_eq(m.count, 1);
	kb_strmap_free(&m);
}
END_TEST

START_TEST(strmap_keeps_every_key_through_growth)
{
	struct kb_strmap	 m = KB_STRMAP_INIT;
	char			 key[32];
	long			 i;

	for (i = 0; i < 5000; i++) {
		snprintf(key, sizeof(key), "key-%ld", i);
		kb_strmap_put(&m, key)->value = i * 3;
	}
	ck_assert_uint_eq(m.count, 5000);
	ck_assert(m.cap >= m.count);
	ck_assert_uint_eq(m.cap & (m.cap - 1), 0);	/* a power of two */
	for (i = 0; i < 5000; i++) {
		struct kb_strmap_slot *s;

		snprintf(key, sizeof(key), "key-%ld", i);
		s = kb_strmap_get(&m, key);
		ck_assert_ptr_nonnull(s);
		ck_assert_int_eq(s->value, i * 3);
	}
	ck_assert_ptr_null(kb_strmap_get(&m, "key-5000"));
	kb_strmap_free(&m);
}
END_TEST

/* --- kb_buf --------------------------------------------------------------------- */

START_TEST(buf_appends_and_terminates)
{
	struct kb_buf b = KB_BUF_INIT;

	kb_buf_add(&b, "", 0);
	ck_assert_ptr_nonnull(b.data);
	ck_assert_str_eq(b.data, "");
	kb_buf_puts(&b, "ab");
	kb_buf_putc(&b, 'c');
	kb_buf_add(&b, "defXYZ", 3);
	ck_assert_str_eq(b.data, "abcdef");
	ck_assert_uint_eq(b.len, 6);
	ck_assert_int_eq(b.failed, 0);
	kb_buf_reset(&b);
	ck_assert_uint_eq(b.len, 0);
	ck_assert_str_eq(b.data, "");
	kb_buf_free(&b);
	ck_assert_ptr_null(b.data);
}
END_TEST

START_TEST(buf_printf_appends_and_grows)
{
	struct kb_buf	 b = KB_BUF_INIT;
	char		 want[600];
	int		 i;

	kb_buf_puts(&b, "n=");
	kb_buf_printf(&b, "%d/%s", 42, "x");
	ck_assert_str_eq(b.data, "n=42/x");
	ck_assert_uint_eq(b.len, 6);
	kb_buf_reset(&b);
	for (i = 0; i < 100; i++)
		kb_buf_printf(&b, "%05d", i);
	ck_assert_uint_eq(b.len, 500);
	want[0] = '\0';
	for (i = 0; i < 100; i++)
		snprintf(want + 5 * i, sizeof(want) - 5 * (size_t)i, "%05d", i);
	ck_assert_str_eq(b.data, want);
	ck_assert_uint_eq(strlen(b.data), b.len);
	kb_buf_free(&b);
}
END_TEST

static void
squeezed_is(const char *in, const char *want)
{
	struct kb_buf b = KB_BUF_INIT;

	kb_buf_puts(&b, in);
	kb_buf_squeeze(&b);
	ck_assert_str_eq(b.data, want);
	ck_assert_uint_eq(b.len, strlen(want));
	kb_buf_free(&b);
}

START_TEST(buf_squeeze_collapses_and_trims)
{
	squeezed_is("  a \t b\n\nc  ", "a b c");
	squeezed_is("one", "one");
	squeezed_is(" \r\n\t ", "");
	squeezed_is("a\r\nb", "a b");
	squeezed_is("", "");
	/* Text that needs no change up to a point, then does. */
	squeezed_is("a b c d  e", "a b c d e");
	squeezed_is("a b\tc", "a b c");
	squeezed_is("a b ", "a b");
	squeezed_is("a b \n", "a b");
}
END_TEST

/* The same squeeze, appended a piece at a time. */
START_TEST(buf_put_squeezed_matches_squeeze)
{
	static const char *const parts[] = { "  first\tpart ", "", "\n\nsecond  one\n",
	    " ", "third" };
	struct kb_buf	 one = KB_BUF_INIT, all = KB_BUF_INIT;
	size_t		 i;

	for (i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
		kb_buf_put_squeezed(&one, parts[i], SIZE_MAX);
		kb_buf_puts(&all, parts[i]);
		kb_buf_putc(&all, ' ');
	}
	kb_buf_squeeze(&all);
	ck_assert_str_eq(one.data, "first part second one third");
	ck_assert_str_eq(one.data, all.data);
	/* It stops at max, at the end of a word. */
	kb_buf_reset(&one);
	kb_buf_put_squeezed(&one, "ab cd  ef gh", 4);
	ck_assert_str_eq(one.data, "ab cd");
	kb_buf_put_squeezed(&one, "more", 4);
	ck_assert_str_eq(one.data, "ab cd");
	kb_buf_free(&one);
	kb_buf_free(&all);
}
END_TEST

START_TEST(buf_take_hands_over_the_string)
{
	struct kb_buf	 b = KB_BUF_INIT;
	char		*s;

	s = kb_buf_take(&b);		/* nothing appended: an empty string */
	ck_assert_ptr_nonnull(s);
	ck_assert_str_eq(s, "");
	free(s);
	kb_buf_puts(&b, "owned");
	s = kb_buf_take(&b);
	ck_assert_str_eq(s, "owned");
	ck_assert_ptr_null(b.data);
	ck_assert_uint_eq(b.len, 0);
	free(s);
}
END_TEST

START_TEST(buf_failed_is_sticky)
{
	struct kb_buf b = KB_BUF_INIT;

	kb_buf_puts(&b, "x");
	kb_buf_add(&b, "y", (size_t)-1 / 2);	/* cannot be reserved */
	ck_assert_int_eq(b.failed, 1);
	kb_buf_puts(&b, "z");
	ck_assert_uint_eq(b.len, 1);
	ck_assert_ptr_null(kb_buf_take(&b));
	ck_assert_ptr_null(b.data);
}
END_TEST

/* --- kb_json_str ---------------------------------------------------------------- */

START_TEST(json_string_escapes)
{
	struct kb_buf b = KB_BUF_INIT;

	kb_json_str(&b, "a\"b\\c\nd\te\x01</script>&");
	ck_assert_str_eq(b.data,
	    "\"a\\\"b\\\\c\\nd\\te\\u0001\\u003c/script\\u003e\\u0026\"");
	kb_buf_reset(&b);
	kb_json_str(&b, NULL);
	ck_assert_str_eq(b.data, "\"\"");
	kb_buf_reset(&b);
	kb_json_strn(&b, "h\xc3\xa9llo-and-more", 6);	/* UTF-8 passes through */
	ck_assert_str_eq(b.data, "\"h\xc3\xa9llo\"");
	kb_buf_free(&b);
}
END_TEST

static Suite *
text_suite(void)
{
	Suite	*s = suite_create("text");
	TCase	*tc;

	tc = tcase_create("utf8");
	tcase_add_test(tc, utf8_accepts_valid_text);
	tcase_add_test(tc, utf8_rejects_overlong_forms);
	tcase_add_test(tc, utf8_rejects_surrogates_and_beyond_unicode);
	tcase_add_test(tc, utf8_rejects_truncated_sequences);
	tcase_add_test(tc, utf8_rejects_nul);
	tcase_add_test(tc, utf8_reports_line_and_byte_column);
	tcase_add_test(tc, utf8_finds_a_bad_byte_at_every_offset);
	tcase_add_test(tc, utf8_encode_decode_round_trip);
	tcase_add_test(tc, lower_maps_latin_greek_cyrillic);
	tcase_add_test(tc, wordchar_classes);
	tcase_add_test(tc, has_suffix_ignores_case);
	suite_add_tcase(s, tc);

	tc = tcase_create("slug");
	tcase_add_test(tc, slug_follows_github_rules);
	tcase_add_test(tc, slug_lower_cases_unicode_letters);
	tcase_add_test(tc, slug_of_punctuation_only_is_empty);
	tcase_add_test(tc, slug_unique_numbers_repeats);
	tcase_add_test(tc, slug_unique_empty_becomes_section);
	tcase_add_test(tc, slug_unique_skips_taken_numbers);
	suite_add_tcase(s, tc);

	tc = tcase_create("strmap");
	tcase_add_test(tc, strmap_put_get);
	tcase_add_test(tc, strmap_putn_copies_only_n_bytes);
	tcase_add_test(tc, strmap_keeps_every_key_through_growth);
	suite_add_tcase(s, tc);

	tc = tcase_create("buf");
	tcase_add_test(tc, buf_appends_and_terminates);
	tcase_add_test(tc, buf_printf_appends_and_grows);
	tcase_add_test(tc, buf_squeeze_collapses_and_trims);
	tcase_add_test(tc, buf_put_squeezed_matches_squeeze);
	tcase_add_test(tc, buf_take_hands_over_the_string);
	tcase_add_test(tc, buf_failed_is_sticky);
	tcase_add_test(tc, json_string_escapes);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tu_main(text_suite());
}
