/*
 * apigw-kb default theme: client-side search, live suggestions and copy
 * buttons. Plain ES2017, no libraries, no build step.
 *
 * The data comes from assets/search-index.js, which sets window.KB_INDEX
 * (see ../README.md). Loading it with a <script> element rather than fetching
 * it keeps search working when pages are opened straight from disk.
 *
 * Nothing here ever parses data as HTML: every node is made with
 * createElement / createTextNode / textContent.
 *
 * The matching code at the top has no DOM dependency, so it can be loaded in
 * Node for tests (it is exported through module.exports when that exists).
 */
(function (root) {
  'use strict';

  /* ------------------------------------------------------------------ */
  /* Matching and scoring                                               */
  /* ------------------------------------------------------------------ */

  // Weight of a query word found in each field of a topic.
  var FIELDS = [
    { key: 't', weight: 6 }, // topic title
    { key: 'k', weight: 4 }, // keywords: symptoms, aliases, tags
    { key: 'd', weight: 2 }, // document title
    { key: 'x', weight: 1 }  // plain text
  ];

  var PREFIX_FACTOR = 0.7;   // last word matched only as a prefix
  var SYNONYM_FACTOR = 0.8;  // matched through a synonym rule
  var TITLE_PHRASE_BONUS = 3;
  var KEYWORD_PHRASE_BONUS = 2;

  // Words that carry no meaning in a question ("how do I enable cors").
  // They are dropped unless the query has nothing else.
  var STOPWORDS = new Set([
    'a', 'about', 'an', 'and', 'are', 'as', 'at', 'be', 'by', 'can', 'could',
    'do', 'does', 'did', 'for', 'from', 'get', 'gets', 'getting', 'got',
    'has', 'have', 'how', 'i', 'if', 'in', 'into', 'is', 'it', 'its', 'me',
    'my', 'of', 'on', 'or', 'our', 'should', 'so', 'the', 'their', 'then',
    'there', 'this', 'that', 'to', 'was', 'we', 'what', 'when', 'where',
    'which', 'while', 'who', 'why', 'will', 'with', 'would', 'you', 'your'
  ]);

  // Words ending in "s" whose "s"-less form would collide with another word.
  var KEEP_S = new Set(['https', 'cors', 'wss', 'news', 'iops']);

  function isWordChar(ch) {
    var c = ch.charCodeAt(0);
    if ((c >= 48 && c <= 57) || (c >= 97 && c <= 122) || (c >= 65 && c <= 90)) {
      return true;
    }
    // Other scripts: anything that has a case is a letter.
    return c > 127 && ch.toLowerCase() !== ch.toUpperCase();
  }

  // Splits text into words; each word is {w: lower-case word, s: start, e: end}.
  function tokenize(text) {
    var out = [];
    var start = -1;
    var n = text.length;
    for (var i = 0; i <= n; i++) {
      var inWord = i < n && isWordChar(text.charAt(i));
      if (inWord && start < 0) {
        start = i;
      } else if (!inWord && start >= 0) {
        out.push({ w: text.slice(start, i).toLowerCase(), s: start, e: i });
        start = -1;
      }
    }
    return out;
  }

  function words(text) {
    return tokenize(String(text == null ? '' : text)).map(function (t) { return t.w; });
  }

  /*
   * Light folding of English endings. forms(w) is the word with the base
   * forms it may stand for: "timeouts" -> [timeouts, timeout], "caching" ->
   * [caching, cach, cache], "policies" -> [..., policy]. Two words match when
   * their forms share one, so "cache", "caches", "cached" and "caching" all
   * match each other, and "enable" matches "enabling". Wrong guesses such as
   * "cach" are harmless: they only meet other forms of the same word. Only
   * plain alphabetic words are folded: "504", "4xx" and "http2" match only
   * themselves.
   */
  var formsCache = new Map();

  function forms(w) {
    var f = formsCache.get(w);
    if (f) {
      return f;
    }
    f = [w];
    var add = function (x) {
      if (x.length >= 3 && f.indexOf(x) < 0) {
        f.push(x);
      }
    };
    // "mapping" -> "mapp" -> also "map"; "logged" -> "logg" -> also "log".
    var addBase = function (base) {
      add(base);
      add(base + 'e');
      if (/([b-df-hj-np-tv-z])\1$/.test(base) && !/(ss|ll)$/.test(base)) {
        add(base.slice(0, -1));
      }
    };
    if (w.length >= 4 && /^[a-z]+$/.test(w) && !KEEP_S.has(w)) {
      if (/s$/.test(w) && !/(ss|us)$/.test(w)) {
        add(w.slice(0, -1));
        if (/es$/.test(w)) {
          add(w.slice(0, -2));
        }
        if (/ies$/.test(w)) {
          add(w.slice(0, -3) + 'y');
        }
      } else if (/ing$/.test(w) && w.length >= 6) {
        addBase(w.slice(0, -3));
      } else if (/ied$/.test(w)) {
        add(w.slice(0, -3) + 'y');
      } else if (/ed$/.test(w) && !/eed$/.test(w)) {
        addBase(w.slice(0, -2));
      }
    }
    if (formsCache.size > 20000) {
      formsCache.clear();
    }
    formsCache.set(w, f);
    return f;
  }

  function inForms(set, w) {
    var f = forms(w);
    for (var i = 0; i < f.length; i++) {
      if (set.has(f[i])) {
        return true;
      }
    }
    return false;
  }

  function sameWord(a, b) {
    if (a === b) {
      return true;
    }
    var fa = forms(a);
    var fb = forms(b);
    for (var i = 0; i < fa.length; i++) {
      if (fb.indexOf(fa[i]) >= 0) {
        return true;
      }
    }
    return false;
  }

  // Builds the search structures for a list of topics once.
  function prepare(topics) {
    return (topics || []).map(function (topic, index) {
      var fields = FIELDS.map(function (f) {
        var list = words(topic[f.key]);
        var unique = [];
        var seen = new Set();
        var stems = new Set();
        list.forEach(function (w) {
          if (!seen.has(w)) {
            seen.add(w);
            unique.push(w);
            forms(w).forEach(function (x) { stems.add(x); });
          }
        });
        return { weight: f.weight, seq: list, unique: unique, stems: stems };
      });
      return {
        topic: topic,
        index: index,
        title: String(topic.t == null ? '' : topic.t),
        fields: fields
      };
    });
  }

  // Normalises the optional synonym table: {"phrase": ["phrase", ...]}.
  function prepareSynonyms(raw) {
    var map = new Map();
    var longest = 1;
    if (!raw || typeof raw !== 'object') {
      return { map: map, longest: longest };
    }
    Object.keys(raw).forEach(function (key) {
      var keyWords = words(key);
      var values = Array.isArray(raw[key]) ? raw[key] : [raw[key]];
      var alts = values
        .map(function (v) { return words(v).filter(function (w) { return w.length > 1; }); })
        .filter(function (a) { return a.length > 0; });
      if (keyWords.length && alts.length) {
        var k = keyWords.join(' ');
        map.set(k, (map.get(k) || []).concat(alts));
        longest = Math.max(longest, keyWords.length);
      }
    });
    return { map: map, longest: longest };
  }

  /*
   * Turns a query into units. A unit is one query word (or a phrase that has
   * a synonym rule) with its alternatives; every required unit must match a
   * topic for the topic to be a full result.
   *   {alts: [[word, ...], ...], own: 0 or 1, required: bool, prefix: bool}
   * When own is 1, alts[0] is what the user typed; the others come from
   * synonyms.
   */
  function parseQuery(query, synonyms) {
    query = String(query == null ? '' : query);
    var toks = words(query);
    var syn = synonyms || { map: new Map(), longest: 1 };
    // The last word is still being typed unless the query ends in a separator.
    var lastOpen = query.length > 0 && isWordChar(query.charAt(query.length - 1));
    var units = [];
    var i = 0;
    while (i < toks.length) {
      var taken = 0;
      for (var len = Math.min(syn.longest, toks.length - i); len >= 1 && !taken; len--) {
        var phrase = toks.slice(i, i + len);
        var extra = syn.map.get(phrase.join(' '));
        if (extra) {
          var own = phrase.filter(function (w) { return w.length > 1; });
          var alts = (own.length ? [own] : []).concat(extra);
          units.push({ alts: alts, own: own.length ? 1 : 0, end: i + len });
          taken = len;
        }
      }
      if (!taken) {
        if (toks[i].length > 1) {
          units.push({ alts: [[toks[i]]], own: 1, end: i + 1 });
        }
        taken = 1;
      }
      i += taken;
    }
    units.forEach(function (u) {
      var single = u.alts.length === 1 && u.alts[0].length === 1 ? u.alts[0][0] : null;
      u.isLast = u.end === toks.length;
      u.prefix = u.isLast && lastOpen && u.own === 1;
      u.stop = single !== null && STOPWORDS.has(single);
      u.required = true;
    });
    var meaningful = units.filter(function (u) { return !u.stop; });
    if (meaningful.length) {
      units = units.filter(function (u) {
        if (!u.stop) {
          return true;
        }
        // "403 for" may be "403 forbidden" half typed: keep it, optional.
        if (u.prefix) {
          u.required = false;
          return true;
        }
        return false;
      });
    }
    return units;
  }

  // Does word list `alt` match a prepared field? Returns 0, PREFIX_FACTOR or 1.
  function altMatchesField(alt, field, prefixLast) {
    var factor = 1;
    for (var i = 0; i < alt.length; i++) {
      var w = alt[i];
      if (inForms(field.stems, w)) {
        continue;
      }
      if (prefixLast && i === alt.length - 1) {
        var hit = false;
        for (var j = 0; j < field.unique.length; j++) {
          if (field.unique[j].lastIndexOf(w, 0) === 0) {
            hit = true;
            break;
          }
        }
        if (hit) {
          factor = PREFIX_FACTOR;
          continue;
        }
      }
      return 0;
    }
    return factor;
  }

  function unitScore(unit, entry) {
    var best = 0;
    unit.alts.forEach(function (alt, a) {
      var isOwn = a < unit.own;
      var altFactor = isOwn ? 1 : SYNONYM_FACTOR;
      var prefixLast = isOwn && unit.prefix;
      var s = 0;
      entry.fields.forEach(function (field) {
        var m = altMatchesField(alt, field, prefixLast);
        if (m) {
          s += field.weight * m;
        }
      });
      s *= altFactor;
      if (s > best) {
        best = s;
      }
    });
    return best;
  }

  function containsSequence(seq, part) {
    if (part.length < 2 || part.length > seq.length) {
      return false;
    }
    outer: for (var i = 0; i + part.length <= seq.length; i++) {
      for (var j = 0; j < part.length; j++) {
        var a = seq[i + j];
        var b = part[j];
        if (!sameWord(a, b)) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }

  function compareTitles(a, b) {
    var c = a.title.localeCompare(b.title, undefined, { sensitivity: 'base', numeric: true });
    return c || a.index - b.index;
  }

  /*
   * Scores every prepared topic against a query.
   * Returns {results: [{topic, score, matched}], partial, units}.
   * partial is true when no topic matched every word and the results are
   * the topics that matched the most of them.
   */
  function search(prepared, query, synonyms) {
    var units = parseQuery(query, synonyms);
    var required = units.filter(function (u) { return u.required; });
    var phrase = [];
    units.forEach(function (u) {
      if (u.own) {
        phrase = phrase.concat(u.alts[0]);
      }
    });
    if (!required.length) {
      return { results: [], partial: false, units: units };
    }
    var full = [];
    var some = [];
    prepared.forEach(function (entry) {
      var score = 0;
      var matched = 0;
      units.forEach(function (u) {
        var s = unitScore(u, entry);
        score += s;
        if (s > 0 && u.required) {
          matched++;
        }
      });
      if (!matched) {
        return;
      }
      if (phrase.length > 1) {
        if (containsSequence(entry.fields[0].seq, phrase)) {
          score += TITLE_PHRASE_BONUS;
        } else if (containsSequence(entry.fields[1].seq, phrase)) {
          score += KEYWORD_PHRASE_BONUS;
        }
      }
      var r = { entry: entry, topic: entry.topic, title: entry.title, index: entry.index,
        score: score, matched: matched };
      (matched === required.length ? full : some).push(r);
    });
    var partial = full.length === 0 && some.length > 0;
    var list = partial ? some : full;
    list.sort(function (a, b) {
      return (b.matched - a.matched) || (b.score - a.score) || compareTitles(a, b);
    });
    return {
      results: list.map(function (r) {
        return { topic: r.topic, score: r.score, matched: r.matched };
      }),
      partial: partial,
      units: units
    };
  }

  // The words to highlight: {stems: Set, prefixes: [word]}.
  function highlightTerms(units) {
    var stems = new Set();
    var prefixes = [];
    (units || []).forEach(function (u) {
      u.alts.forEach(function (alt, a) {
        alt.forEach(function (w, i) {
          forms(w).forEach(function (x) { stems.add(x); });
          if (a < u.own && u.prefix && i === alt.length - 1) {
            prefixes.push(w);
          }
        });
      });
    });
    return { stems: stems, prefixes: prefixes };
  }

  function wordMatches(w, terms) {
    if (inForms(terms.stems, w)) {
      return true;
    }
    for (var i = 0; i < terms.prefixes.length; i++) {
      if (w.lastIndexOf(terms.prefixes[i], 0) === 0) {
        return true;
      }
    }
    return false;
  }

  function hasMatch(text, terms) {
    return tokenize(String(text == null ? '' : text)).some(function (t) {
      return wordMatches(t.w, terms);
    });
  }

  /*
   * Splits text into [{text, mark}] parts, with mark true on matched words.
   * With `around`, cuts a window of about `size` characters around the first
   * matched word, with an ellipsis where text was cut.
   */
  function markParts(text, terms, around, size) {
    text = String(text == null ? '' : text).replace(/\s+/g, ' ').trim();
    var toks = tokenize(text);
    var from = 0;
    var to = text.length;
    if (around) {
      size = size || 220;
      var first = -1;
      for (var i = 0; i < toks.length; i++) {
        if (wordMatches(toks[i].w, terms)) {
          first = i;
          break;
        }
      }
      if (first >= 0) {
        // About a quarter of the window before the first match; near the
        // end of the text, more before it so the window stays full.
        from = toks[first].s - Math.floor(size / 4);
        from = Math.max(0, Math.min(from, text.length - size));
        if (from > 0) {
          for (var j = 0; j <= first; j++) {
            if (toks[j].s >= from) {
              from = toks[j].s;
              break;
            }
          }
        }
      }
      if (text.length - from > size) {
        to = from + size;
        for (var k = toks.length - 1; k >= 0; k--) {
          if (toks[k].e <= to && toks[k].s > from) {
            to = toks[k].e;
            break;
          }
        }
      }
    }
    var parts = [];
    var pos = from;
    if (from > 0) {
      parts.push({ text: '\u2026 ', mark: false });
    }
    toks.forEach(function (t) {
      if (t.s < from || t.e > to || !wordMatches(t.w, terms)) {
        return;
      }
      if (t.s > pos) {
        parts.push({ text: text.slice(pos, t.s), mark: false });
      }
      parts.push({ text: text.slice(t.s, t.e), mark: true });
      pos = t.e;
    });
    if (to > pos) {
      parts.push({ text: text.slice(pos, to), mark: false });
    }
    if (to < text.length) {
      parts.push({ text: ' \u2026', mark: false });
    }
    return parts;
  }

  var api = {
    tokenize: tokenize,
    words: words,
    forms: forms,
    prepare: prepare,
    prepareSynonyms: prepareSynonyms,
    parseQuery: parseQuery,
    search: search,
    highlightTerms: highlightTerms,
    hasMatch: hasMatch,
    markParts: markParts
  };

  if (typeof module === 'object' && module && module.exports) {
    module.exports = api;
  }
  if (typeof document === 'undefined') {
    return;
  }

  /* ------------------------------------------------------------------ */
  /* Page behaviour                                                     */
  /* ------------------------------------------------------------------ */

  var MAX_RESULTS = 30;
  var MAX_SUGGESTIONS = 8;
  var DEBOUNCE_MS = 120;
  var INDEX_SCRIPT = 'assets/search-index.js';

  var state = {
    index: null,      // prepared topics, or null when KB_INDEX is missing
    synonyms: null,
    base: ''          // prefix from this page to the site root, e.g. "../"
  };

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    if (text != null) {
      node.textContent = text;
    }
    return node;
  }

  function clear(node) {
    while (node.firstChild) {
      node.removeChild(node.firstChild);
    }
  }

  function appendParts(node, parts) {
    parts.forEach(function (p) {
      if (p.mark) {
        node.appendChild(el('mark', null, p.text));
      } else {
        node.appendChild(document.createTextNode(p.text));
      }
    });
    return node;
  }

  // Directory part of a script's src that ends in `tail`, or null.
  function prefixBefore(tail) {
    var scripts = document.getElementsByTagName('script');
    for (var i = 0; i < scripts.length; i++) {
      var src = scripts[i].getAttribute('src');
      if (!src) {
        continue;
      }
      src = src.split('#')[0].split('?')[0];
      if (src === tail) {
        return '';
      }
      if (src.length > tail.length && src.slice(-tail.length - 1) === '/' + tail) {
        return src.slice(0, src.length - tail.length);
      }
    }
    return null;
  }

  function siteBase(data) {
    var base = prefixBefore(INDEX_SCRIPT);
    if (base === null) {
      base = prefixBefore('assets/search.js');
    }
    if (base === null) {
      base = data && typeof data.root === 'string' ? data.root : '';
      if (base && base.slice(-1) !== '/') {
        base += '/';
      }
    }
    return base;
  }

  // URL of a topic, seen from the current page. Only relative links and
  // http(s)/file URLs are accepted.
  function topicHref(u) {
    u = String(u == null ? '' : u).trim();
    if (/^[a-z][a-z0-9+.-]*:/i.test(u)) {
      return /^(https?|file):/i.test(u) ? u : '#';
    }
    if (u.charAt(0) === '/' || u.charAt(0) === '#') {
      return u;
    }
    return state.base + u;
  }

  function searchPageHref(q) {
    return state.base + 'search.html?q=' + encodeURIComponent(q);
  }

  function loadIndex() {
    var data = root.KB_INDEX;
    state.base = siteBase(data);
    if (!data || !Array.isArray(data.topics)) {
      return false;
    }
    state.index = prepare(data.topics);
    state.synonyms = prepareSynonyms(data.synonyms);
    return true;
  }

  function runQuery(q) {
    return search(state.index, q, state.synonyms);
  }

  function debounce(fn, ms) {
    var timer = null;
    return function () {
      var args = arguments;
      var self = this;
      clearTimeout(timer);
      timer = setTimeout(function () {
        timer = null;
        fn.apply(self, args);
      }, ms);
    };
  }

  // One polite live region for short announcements.
  var statusNode = null;
  function announce(message) {
    if (!statusNode) {
      statusNode = el('div', 'kb-visually-hidden');
      statusNode.id = 'kb-status';
      statusNode.setAttribute('role', 'status');
      statusNode.setAttribute('aria-live', 'polite');
      document.body.appendChild(statusNode);
    }
    statusNode.textContent = '';
    // A fresh text node is announced even if the message repeats.
    setTimeout(function () { statusNode.textContent = message; }, 30);
  }

  /* ----- search results page ----- */

  function notice(text) {
    var p = el('p', 'kb-notice', text);
    return p;
  }

  function renderResults(container, q) {
    clear(container);
    if (!state.index) {
      var box = el('div', 'kb-notice');
      box.appendChild(el('p', null, 'The search index was not found (assets/search-index.js).'));
      var p = el('p', null, 'Run ');
      p.appendChild(el('code', null, 'apigw-kb build'));
      p.appendChild(document.createTextNode(' to create it, then reload this page.'));
      box.appendChild(p);
      container.appendChild(box);
      return;
    }
    var query = q.trim();
    if (!query) {
      container.appendChild(notice('Type a question or an error message'));
      return;
    }
    var found = runQuery(query);
    if (!found.results.length) {
      container.appendChild(notice('No results for \u201c' + query + '\u201d'));
      return;
    }
    var total = found.results.length;
    var shown = found.results.slice(0, MAX_RESULTS);
    var summary = total === 1 ? '1 result' : total + ' results';
    if (total > shown.length) {
      summary = 'Top ' + shown.length + ' of ' + total + ' results';
    }
    container.appendChild(el('p', 'kb-results-summary', summary + ' for \u201c' + query + '\u201d'));
    if (found.partial) {
      container.appendChild(notice('No topic contains every word of your search; ' +
        'these match some of them.'));
    }
    var terms = highlightTerms(found.units);
    var list = el('ol');
    shown.forEach(function (r) {
      var t = r.topic;
      var item = el('li', 'kb-result');
      var link = el('a', 'kb-result-title');
      link.setAttribute('href', topicHref(t.u));
      appendParts(link, markParts(t.t || t.d || t.u, terms, false));
      item.appendChild(link);
      if (t.d) {
        item.appendChild(el('div', 'kb-result-doc', String(t.d)));
      }
      // The text around the first match; if the words only matched the
      // keywords (a pasted error message, say), show the keywords instead.
      var text = String(t.x || '');
      if (!hasMatch(text, terms) && hasMatch(t.k, terms)) {
        text = String(t.k);
      }
      if (text) {
        item.appendChild(appendParts(el('p', 'kb-result-snippet'), markParts(text, terms, true, 240)));
      }
      list.appendChild(item);
    });
    container.appendChild(list);
  }

  function setupResultsPage(container, input) {
    var q = '';
    try {
      q = new URLSearchParams(root.location.search).get('q') || '';
    } catch (e) {
      q = '';
    }
    if (input) {
      input.value = q;
    }
    var baseTitle = document.title;
    function show(value) {
      renderResults(container, value);
      document.title = value.trim() ? 'Search: ' + value.trim() + ' \u2013 ' + baseTitle : baseTitle;
    }
    show(q);
    if (!input) {
      return;
    }
    // Results follow the box as the user types; Enter still submits.
    // While typing, only the number of results is announced, not the list.
    input.addEventListener('input', debounce(function () {
      container.setAttribute('aria-live', 'off');
      show(input.value);
      var summary = container.querySelector('.kb-results-summary, .kb-notice');
      if (summary) {
        announce(summary.textContent);
      }
      try {
        root.history.replaceState(null, '', '?q=' + encodeURIComponent(input.value));
      } catch (e) {
        /* some browsers refuse this on file:// pages; the results still show */
      }
    }, DEBOUNCE_MS));
  }

  /* ----- live suggestions (combobox) ----- */

  function setupSuggest(form, input) {
    var list = el('ul');
    list.id = 'kb-suggest';
    list.setAttribute('role', 'listbox');
    list.setAttribute('aria-label', 'Suggestions');
    list.hidden = true;
    form.appendChild(list);

    input.setAttribute('role', 'combobox');
    input.setAttribute('aria-autocomplete', 'list');
    input.setAttribute('aria-controls', list.id);
    input.setAttribute('aria-expanded', 'false');

    var options = [];
    var active = -1;
    var lastQuery = null;

    function setActive(i) {
      if (active >= 0 && options[active]) {
        options[active].setAttribute('aria-selected', 'false');
      }
      active = i;
      if (active >= 0 && options[active]) {
        options[active].setAttribute('aria-selected', 'true');
        input.setAttribute('aria-activedescendant', options[active].id);
        if (options[active].scrollIntoView) {
          options[active].scrollIntoView({ block: 'nearest' });
        }
      } else {
        input.removeAttribute('aria-activedescendant');
      }
    }

    function close() {
      if (list.hidden) {
        return;
      }
      list.hidden = true;
      input.setAttribute('aria-expanded', 'false');
      setActive(-1);
    }

    function open() {
      if (options.length) {
        list.hidden = false;
        input.setAttribute('aria-expanded', 'true');
      }
    }

    function addOption(className, href, fill) {
      var li = el('li', className);
      li.id = 'kb-suggest-' + options.length;
      li.setAttribute('role', 'option');
      li.setAttribute('aria-selected', 'false');
      var a = el('a');
      a.setAttribute('href', href);
      a.setAttribute('tabindex', '-1');
      fill(a);
      li.appendChild(a);
      list.appendChild(li);
      options.push(li);
    }

    function update() {
      var q = input.value.trim();
      if (q === lastQuery && options.length) {
        open();
        return;
      }
      lastQuery = q;
      clear(list);
      options = [];
      active = -1;
      input.removeAttribute('aria-activedescendant');
      if (!state.index || q.length < 2) {
        close();
        return;
      }
      var found = runQuery(input.value);
      var top = found.results.slice(0, MAX_SUGGESTIONS);
      if (!top.length) {
        close();
        announce('No suggestions');
        return;
      }
      var terms = highlightTerms(found.units);
      top.forEach(function (r) {
        var t = r.topic;
        addOption('kb-suggest-item', topicHref(t.u), function (a) {
          a.appendChild(appendParts(el('span', 'kb-suggest-title'),
            markParts(t.t || t.d || t.u, terms, false)));
          if (t.d && t.d !== t.t) {
            a.appendChild(el('span', 'kb-suggest-doc', String(t.d)));
          }
        });
      });
      addOption('kb-suggest-all', searchPageHref(q), function (a) {
        a.textContent = 'All results for \u201c' + q + '\u201d';
      });
      open();
      announce(top.length === 1 ? '1 suggestion' : top.length + ' suggestions');
    }

    var updateSoon = debounce(update, DEBOUNCE_MS);

    input.addEventListener('input', updateSoon);

    input.addEventListener('focus', function () {
      if (input.value.trim().length >= 2) {
        update();
      }
    });

    input.addEventListener('keydown', function (e) {
      if (e.isComposing) {
        return;
      }
      var key = e.key;
      if (key === 'ArrowDown' || key === 'Down') {
        e.preventDefault();
        if (list.hidden) {
          update();
          open();
          if (!list.hidden) {
            setActive(0);
          }
        } else {
          setActive(active + 1 < options.length ? active + 1 : 0);
        }
      } else if (key === 'ArrowUp' || key === 'Up') {
        if (list.hidden) {
          return;
        }
        e.preventDefault();
        setActive(active > 0 ? active - 1 : options.length - 1);
      } else if (key === 'Enter') {
        if (!list.hidden && active >= 0 && options[active]) {
          e.preventDefault();
          var a = options[active].querySelector('a');
          close();
          root.location.href = a.href;
        }
        // Otherwise the form submits to search.html.
      } else if (key === 'Escape' || key === 'Esc') {
        if (!list.hidden) {
          e.preventDefault();
          close();
        }
      } else if (key === 'Tab') {
        close();
      }
    });

    // Keep focus in the input while an option is clicked.
    list.addEventListener('mousedown', function (e) {
      e.preventDefault();
    });

    list.addEventListener('mousemove', function (e) {
      var li = e.target.closest ? e.target.closest('[role="option"]') : null;
      var i = options.indexOf(li);
      if (i >= 0 && i !== active) {
        setActive(i);
      }
    });

    list.addEventListener('click', function () {
      close();
    });

    document.addEventListener('mousedown', function (e) {
      if (!form.contains(e.target)) {
        close();
      }
    });
    document.addEventListener('touchstart', function (e) {
      if (!form.contains(e.target)) {
        close();
      }
    }, { passive: true });

    form.addEventListener('focusout', function (e) {
      if (e.relatedTarget && !form.contains(e.relatedTarget)) {
        close();
      }
    });

    // Do not submit an empty search.
    form.addEventListener('submit', function (e) {
      if (!input.value.trim()) {
        e.preventDefault();
      }
    });
  }

  /* ----- "/" focuses the search box ----- */

  function isEditable(node) {
    if (!node || node.nodeType !== 1) {
      return false;
    }
    var tag = node.tagName;
    return tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || node.isContentEditable;
  }

  function setupSlashKey(input) {
    document.addEventListener('keydown', function (e) {
      if (e.key !== '/' || e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented) {
        return;
      }
      if (isEditable(e.target) || isEditable(document.activeElement)) {
        return;
      }
      e.preventDefault();
      input.focus();
      input.select();
    });
  }

  /* ----- copy buttons on code blocks ----- */

  function legacyCopy(text) {
    var area = el('textarea', 'kb-offscreen');
    area.value = text;
    area.setAttribute('readonly', '');
    area.setAttribute('aria-hidden', 'true');
    area.setAttribute('tabindex', '-1');
    document.body.appendChild(area);
    area.select();
    var ok = false;
    try {
      ok = document.execCommand('copy');
    } catch (e) {
      ok = false;
    }
    document.body.removeChild(area);
    return ok;
  }

  function copyText(text) {
    var clip = root.navigator && root.navigator.clipboard;
    if (clip && typeof clip.writeText === 'function') {
      return clip.writeText(text).then(function () {
        return true;
      }, function () {
        return legacyCopy(text);
      });
    }
    return Promise.resolve(legacyCopy(text));
  }

  function setupCopyButtons() {
    var blocks = document.querySelectorAll('pre');
    Array.prototype.forEach.call(blocks, function (pre) {
      var parent = pre.parentNode;
      if (!parent || (parent.classList && parent.classList.contains('kb-code'))) {
        return;
      }
      var wrap = el('div', 'kb-code');
      parent.insertBefore(wrap, pre);
      wrap.appendChild(pre);
      var button = el('button', 'kb-copy', 'Copy');
      button.type = 'button';
      button.setAttribute('title', 'Copy this code');
      var timer = null;
      button.addEventListener('click', function () {
        var code = pre.querySelector('code') || pre;
        copyText(code.textContent.replace(/\n$/, '')).then(function (ok) {
          button.focus();
          button.textContent = ok ? 'Copied' : 'Copy failed';
          button.classList.toggle('kb-copied', ok);
          announce(ok ? 'Copied to the clipboard' : 'Could not copy');
          clearTimeout(timer);
          timer = setTimeout(function () {
            button.textContent = 'Copy';
            button.classList.remove('kb-copied');
          }, 1600);
        });
      });
      wrap.appendChild(button);
    });
  }

  /* ----- start ----- */

  function init() {
    loadIndex();
    var form = document.getElementById('kb-search');
    var input = document.getElementById('kb-q');
    var results = document.getElementById('kb-results');
    if (results) {
      setupResultsPage(results, input);
    } else if (form && input) {
      setupSuggest(form, input);
    }
    if (input) {
      setupSlashKey(input);
    }
    setupCopyButtons();
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', init);
  } else {
    init();
  }
})(typeof window !== 'undefined' ? window : this);
