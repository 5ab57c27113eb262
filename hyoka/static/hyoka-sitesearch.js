/* 評価書ポータル: in-browser search over the sharded index in search-index/ (hyoka/sitesearch.py).
 *
 * Same notion of a match as the auditors' Whoosh search (hyoka_search): a term matches an item whose
 * normalised text (NFKC, lower case, no white space) contains it as a substring — a one-character
 * term through its unigram postings, a longer one through its bigrams at consecutive positions.
 * The query language (AND / OR / NOT / -語 / "…" / (…)) is a port of hyoka_search/query.py.
 *
 * Every page: a search box in the header (a plain GET form to search/).  The search page: results,
 * filters with counts, state in the URL.  Text from the data is only ever set with textContent.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  var ROOT = new URL("../", script && script.src ? script.src : location.href); // assets/ → site root
  var INDEX = new URL("search-index/", ROOT);
  var SEARCH_URL = new URL("search/", ROOT);
  var PAGE = 20;
  var SEP = "\x1f";

  // ---- normalisation (hyoka_search/analysis.py) ---------------------------------------------------
  // Python's str.isspace() set, exactly (JS \s differs: it has U+FEFF, lacks U+001C–U+001F, U+0085).
  var WS = "\\t\\n\\v\\f\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000";
  var WS_RUN = new RegExp("[" + WS + "]+", "gu");
  var WS_ONE = new RegExp("^[" + WS + "]$", "u");
  var CTRL = /[\x00-\x1f\x7f]/g;

  function normalizeTerm(text) {
    return text.normalize("NFKC").toLowerCase().replace(WS_RUN, "").replace(CTRL, "");
  }

  function grams(term) {
    var cs = Array.from(term);
    if (cs.length <= 1) return cs.length ? [cs[0]] : [];
    var out = [];
    for (var i = 0; i + 1 < cs.length; i++) out.push(cs[i] + cs[i + 1]);
    return out;
  }

  /** [gram, offset] pairs that cover every character of a term: the bigrams at offsets 0, 2, 4, …
   *  and the last one.  The term is at p exactly when each bigram is at p + offset (a one- or
   *  two-character term is its own gram). */
  function cover(term) {
    var cs = Array.from(term);
    if (cs.length <= 2) return cs.length ? [[cs.join(""), 0]] : [];
    var out = [];
    for (var i = 0; i + 1 < cs.length; i += 2) out.push([cs[i] + cs[i + 1], i]);
    if ((cs.length - 2) % 2) out.push([cs[cs.length - 2] + cs[cs.length - 1], cs.length - 2]);
    return out;
  }

  // ---- query language (hyoka_search/query.py) -----------------------------------------------------
  var MAX_QUERY_CHARS = 500;
  var MAX_TERMS = 32;
  var TOKEN_RE = new RegExp("[" + WS + "]*(?:(\"[^\"]*\")|(\\()|(\\))|([^" + WS + "()\"]+)|(\"))", "uy");

  function QueryError(message) { this.message = message; }

  function tokenize(text) {
    text = text.replace(/[“”＂]/g, '"').replace(/（/g, "(").replace(/）/g, ")");
    var out = [];
    var pos = 0;
    while (pos < text.length) {
      TOKEN_RE.lastIndex = pos;
      var m = TOKEN_RE.exec(text);
      if (!m || TOKEN_RE.lastIndex === pos) {
        if (text.slice(pos).replace(WS_RUN, "") === "") break;
        throw new QueryError("検索語を読み取れませんでした");
      }
      pos = TOKEN_RE.lastIndex;
      if (m[5]) throw new QueryError('引用符 " が閉じていません。語を "…" で囲むときは、開きと閉じの両方を書いてください');
      if (m[1]) out.push({ kind: "term", text: m[1].slice(1, -1) });
      else if (m[2]) out.push({ kind: "open", text: "(" });
      else if (m[3]) out.push({ kind: "close", text: ")" });
      else if (m[4]) {
        var w = m[4];
        var up = w.normalize("NFKC");
        if (up === "AND" || up === "OR" || up === "NOT") out.push({ kind: "op", text: up });
        else if (w.charAt(0) === "-" && w.length > 1) { out.push({ kind: "op", text: "NOT" }); out.push({ kind: "term", text: w.slice(1) }); }
        else out.push({ kind: "term", text: w });
      }
    }
    return out;
  }

  function Parser(toks) { this.toks = toks; this.i = 0; this.terms = []; }
  Parser.prototype.peek = function () { return this.i < this.toks.length ? this.toks[this.i] : null; };
  Parser.prototype.take = function () { return this.toks[this.i++]; };
  Parser.prototype.parse = function () {
    var q = this.orExpr();
    var t = this.peek();
    if (t) {
      if (t.kind === "close") throw new QueryError("閉じ括弧 ) に対応する開き括弧 ( がありません（括弧そのものを探すときは \"…\" で囲んでください）");
      throw new QueryError("「" + t.text + "」の位置で検索式が終わっています");
    }
    return q;
  };
  Parser.prototype.orExpr = function () {
    var parts = [this.andExpr()];
    var t;
    while ((t = this.peek()) && t.kind === "op" && t.text === "OR") {
      this.take();
      var n = this.peek();
      if (!n || n.kind === "close" || (n.kind === "op" && n.text !== "NOT")) throw new QueryError("OR の後に語がありません。OR は二つの語の間に書いてください（例: 再委託 OR 委託先）");
      parts.push(this.andExpr());
    }
    return parts.length === 1 ? parts[0] : { t: "or", parts: parts };
  };
  Parser.prototype.andExpr = function () {
    var pos = [], neg = [], first = true, t;
    while ((t = this.peek()) && !(t.kind === "close" || (t.kind === "op" && t.text === "OR"))) {
      if (t.kind === "op" && t.text === "AND") {
        this.take();
        if (first) throw new QueryError("AND の前に語がありません。AND は二つの語の間に書いてください（例: 委託 AND 再委託）");
        var nx = this.peek();
        if (!nx || nx.kind === "close" || (nx.kind === "op" && nx.text !== "NOT")) throw new QueryError("AND の後に語がありません。AND は二つの語の間に書いてください（例: 委託 AND 再委託）");
        continue;
      }
      if (t.kind === "op" && t.text === "NOT") {
        this.take();
        var nn = this.peek();
        if (!nn || nn.kind === "close" || nn.kind === "op") throw new QueryError("NOT の後に語がありません。除きたい語を NOT の後に書いてください（例: 委託 NOT 再委託）");
        neg.push(this.atom(true));
      } else {
        pos.push(this.atom(false));
      }
      first = false;
    }
    if (first) {
      t = this.peek();
      if (t && t.kind === "op" && t.text === "OR") throw new QueryError("OR の前に語がありません。OR は二つの語の間に書いてください（例: 再委託 OR 委託先）");
      if (t && t.kind === "close") throw new QueryError("括弧の中に語がありません");
      throw new QueryError("検索語がありません");
    }
    var base = pos.length === 1 ? pos[0] : (pos.length ? { t: "and", parts: pos } : { t: "every" });
    for (var k = 0; k < neg.length; k++) base = { t: "andnot", a: base, b: neg[k] };
    return base;
  };
  Parser.prototype.atom = function (negated) {
    var t = this.take();
    if (t.kind === "open") {
      var q = this.orExpr();
      var c = this.peek();
      if (!c || c.kind !== "close") throw new QueryError("開き括弧 ( が閉じていません（括弧そのものを探すときは \"…\" で囲んでください）");
      this.take();
      return q;
    }
    if (t.kind === "close") throw new QueryError("閉じ括弧 ) に対応する開き括弧 ( がありません（括弧そのものを探すときは \"…\" で囲んでください）");
    var term = normalizeTerm(t.text);
    if (!term) return { t: "every" };
    if (!negated && this.terms.indexOf(term) < 0) this.terms.push(term);
    return { t: "term", term: term };
  };

  /** {query: AST or null (everything), terms: positive normalised terms}; throws QueryError. */
  function parseQuery(text) {
    text = text || "";
    var n = Array.from(text).length;
    if (n > MAX_QUERY_CHARS) throw new QueryError("検索語が長すぎます（" + n.toLocaleString() + " 文字）。" + MAX_QUERY_CHARS + " 文字以内にしてください");
    if (/[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/.test(text)) throw new QueryError("検索語に制御文字が含まれています");
    var toks = tokenize(text);
    if (!toks.length) return { query: null, terms: [] };
    if (toks.filter(function (t) { return t.kind === "term"; }).length > MAX_TERMS) throw new QueryError("検索語が多すぎます。" + MAX_TERMS + " 語以内にしてください");
    var p = new Parser(toks);
    var q = p.parse();
    return { query: q.t === "every" ? null : q, terms: p.terms };
  }

  function queryTerms(q, out) {
    if (!q) return out;
    if (q.t === "term") out.push(q.term);
    else if (q.t === "and" || q.t === "or") q.parts.forEach(function (s) { queryTerms(s, out); });
    else if (q.t === "andnot") { queryTerms(q.a, out); queryTerms(q.b, out); }
    return out;
  }

  // ---- the index -----------------------------------------------------------------------------------
  var manifestPromise = null;
  var cache = new Map();

  function manifest() {
    if (!manifestPromise) {
      manifestPromise = fetch(new URL("manifest.json", INDEX), { cache: "no-cache" }).then(function (r) {
        if (!r.ok) throw new Error("manifest " + r.status);
        return r.json();
      });
      manifestPromise.catch(function () { manifestPromise = null; });
    }
    return manifestPromise;
  }

  function load(man, path, kind) {
    var url = new URL(path + "?v=" + man.version, INDEX).href;
    var p = cache.get(url);
    if (!p) {
      p = fetch(url).then(function (r) {
        if (!r.ok) throw new Error(path + " " + r.status);
        return kind === "json" ? r.json() : r.arrayBuffer();
      });
      p.catch(function () { cache.delete(url); });
      if (cache.size > 4000) cache.delete(cache.keys().next().value);
      cache.set(url, p);
    }
    return p;
  }

  function fnv1a(text) {
    var bytes = new TextEncoder().encode(text);
    var h = 0x811c9dc5;
    for (var i = 0; i < bytes.length; i++) { h ^= bytes[i]; h = Math.imul(h, 0x01000193) >>> 0; }
    return h >>> 0;
  }

  function Varints(bytes, i) { this.b = bytes; this.i = i || 0; }
  Varints.prototype.next = function () {
    var n = 0, mul = 1, b;
    do { b = this.b[this.i++]; n += (b & 0x7f) * mul; mul *= 128; } while (b >= 0x80);
    return n;
  };

  var decoder = new TextDecoder();
  /** A posting file: gram → payload bytes (payloads decoded on demand). */
  function decodeShard(buf) {
    var bytes = new Uint8Array(buf);
    var r = new Varints(bytes, 0);
    var n = r.next();
    var out = new Map();
    for (var k = 0; k < n; k++) {
      var len = r.next();
      var g = decoder.decode(bytes.subarray(r.i, r.i + len));
      r.i += len;
      var plen = r.next();
      out.set(g, bytes.subarray(r.i, r.i + plen));
      r.i += plen;
    }
    return out;
  }

  /** doc → positions (null for a unigram: documents only). */
  function decodePostings(gram, payload) {
    var r = new Varints(payload, 0);
    var ndocs = r.next();
    var uni = Array.from(gram).length === 1;
    var out = new Map();
    var doc = 0;
    for (var k = 0; k < ndocs; k++) {
      doc += r.next();
      if (uni) { out.set(doc, null); continue; }
      var npos = r.next();
      var pos = new Array(npos), p = 0;
      for (var j = 0; j < npos; j++) { p += r.next(); pos[j] = p; }
      out.set(doc, pos);
    }
    return out;
  }

  /** doc → where the term first starts in the document's normalised text (-1 for a one-character
   *  term: its unigram postings hold documents only). */
  function termFirst(term, shards, buckets) {
    var first = new Map();
    var gs = cover(term);
    var posts = [];
    for (var i = 0; i < gs.length; i++) {
      var payload = shards.get(fnv1a(gs[i][0]) & (buckets - 1)).get(gs[i][0]);
      if (!payload) return first;
      posts.push(decodePostings(gs[i][0], payload));
    }
    posts[0].forEach(function (pos0, d) {
      if (posts.length === 1) { first.set(d, pos0 ? pos0[0] : -1); return; }
      for (var k = 1; k < posts.length; k++) if (!posts[k].has(d)) return;
      var sets = [];
      for (var k2 = 1; k2 < posts.length; k2++) sets.push(new Set(posts[k2].get(d)));
      for (var a = 0; a < pos0.length; a++) {
        var ok = true;
        for (var s = 0; s < sets.length && ok; s++) ok = sets[s].has(pos0[a] + gs[s + 1][1]);
        if (ok) { first.set(d, pos0[a]); return; }
      }
    });
    return first;
  }

  /** The documents of a block with the term; `firsts` (term → termFirst) keeps each term's matches for
   *  the relevance order. */
  function termBitmap(term, shards, buckets, n, firsts) {
    var first = firsts.get(term);
    if (!first) { first = termFirst(term, shards, buckets); firsts.set(term, first); }
    var bm = new Uint8Array(n);
    first.forEach(function (p, d) { bm[d] = 1; });
    return bm;
  }

  function evaluate(q, shards, buckets, n, firsts) {
    var out, i, o;
    if (!q || q.t === "every") { out = new Uint8Array(n); out.fill(1); return out; }
    if (q.t === "term") return termBitmap(q.term, shards, buckets, n, firsts);
    if (q.t === "and") {
      out = evaluate(q.parts[0], shards, buckets, n, firsts);
      for (i = 1; i < q.parts.length; i++) { o = evaluate(q.parts[i], shards, buckets, n, firsts); for (var d = 0; d < n; d++) out[d] &= o[d]; }
      return out;
    }
    if (q.t === "or") {
      out = new Uint8Array(n);
      for (i = 0; i < q.parts.length; i++) { o = evaluate(q.parts[i], shards, buckets, n, firsts); for (var e = 0; e < n; e++) out[e] |= o[e]; }
      return out;
    }
    if (q.t === "andnot") {
      out = evaluate(q.a, shards, buckets, n, firsts);
      o = evaluate(q.b, shards, buckets, n, firsts);
      for (var f = 0; f < n; f++) out[f] &= 1 - o[f];
      return out;
    }
    throw new Error("query node " + q.t);
  }

  /** The facet columns of a block: field → {values, labels, col: Int32Array, multi}. */
  function facetColumns(fac, facets) {
    var out = {};
    facets.forEach(function (spec) {
      var f = fac.fields[spec.field];
      var col = new Int32Array(fac.n), at = 0;
      if (f.chars !== undefined) {
        for (var c = 0; c < f.chars.length; c++) col[c] = f.chars.charCodeAt(c) - 0x100;
      } else {
        for (var k = 0; k < f.runs.length; k += 2) { col.fill(f.runs[k], at, at + f.runs[k + 1]); at += f.runs[k + 1]; }
      }
      var labelsOf = f.labels || f.values;
      var split = f.values.map(function (v) {
        if (!v) return [];
        return spec.multi ? v.split(",").map(function (x) { return x.trim(); }).filter(Boolean) : [v];
      });
      var labels = labelsOf.map(function (l, i) { return spec.multi && f.values[i] ? l.split(",") : [l]; });
      out[spec.field] = { values: split, labels: labels, col: col };
    });
    return out;
  }

  /** Run a search over every block; `onProgress` after each block.  Resolves to the full result. */
  function runSearch(parsed, filters, onProgress, isCurrent) {
    return manifest().then(function (man) {
      var result = { ids: [], rank: [], facets: {}, labels: {}, blocksDone: 0, blocks: man.blocks, manifest: man, complete: false };
      man.facets.forEach(function (s) { result.facets[s.field] = new Map(); result.labels[s.field] = new Map(); });
      var terms = queryTerms(parsed.query, []);
      var buckets = new Set();
      terms.forEach(function (t) { cover(t).forEach(function (g) { buckets.add(fnv1a(g[0]) & (man.buckets - 1)); }); });
      var order = Array.from(buckets);
      var wanted = Object.keys(filters).filter(function (f) { return filters[f].size; });

      function fetchShards(b) {
        return Promise.all(order.map(function (h) { return load(man, "p/" + b + "/" + h + ".bin", "bin"); })).then(function (got) {
          var shards = new Map();
          order.forEach(function (h, i) { shards.set(h, decodeShard(got[i])); });
          return shards;
        });
      }

      function processBlock(b, fac, hits, firsts) {
        var n = fac.n;
        var cols = facetColumns(fac, man.facets);
        var base = b * man.block;
        var rk = rankColumns(fac.rank), late = new Set(fac.rank.late);
        for (var d = 0; d < n; d++) {
          if (hits && !hits[d]) continue;
          var failed = null, fails = 0;
          for (var w = 0; w < wanted.length && fails < 2; w++) {
            var f = wanted[w], c = cols[f], vs = c.values[c.col[d]], ok = false;
            for (var v = 0; v < vs.length; v++) if (filters[f].has(vs[v])) { ok = true; break; }
            if (!ok) { fails++; failed = f; }
          }
          if (fails > 1) continue;
          if (fails === 0) {
            result.ids.push(base + d);
            result.rank.push(rankOf(d, base + d, rk, late, parsed.terms, firsts));
          }
          man.facets.forEach(function (spec) {
            if (fails === 1 && spec.field !== failed) return;
            var c2 = cols[spec.field], vi = c2.col[d], vals = c2.values[vi], labs = c2.labels[vi];
            var counts = result.facets[spec.field], labels = result.labels[spec.field];
            for (var x = 0; x < vals.length; x++) {
              counts.set(vals[x], (counts.get(vals[x]) || 0) + 1);
              if (!labels.has(vals[x])) labels.set(vals[x], labs[x] || vals[x]);
            }
          });
        }
      }

      // Blocks in order.  Block 0 first (the first results need only it); once its postings are in,
      // the next AHEAD blocks are fetched while one is processed.  A block's facet file is fetched
      // only when the block has a hit (ids past the block's end are never hits: no postings).
      var AHEAD = 2;
      var pending = [fetchShards(0)];
      function step(b) {
        if (!isCurrent()) return null;
        if (b >= man.blocks) { result.complete = true; return result; }
        return pending[b].then(function (shards) {
          if (!isCurrent()) return null;
          for (var k = pending.length; k <= Math.min(man.blocks - 1, b + AHEAD); k++) pending.push(fetchShards(k));
          pending[b] = null;
          var firsts = new Map();
          var hits = parsed.query ? evaluate(parsed.query, shards, man.buckets, man.block, firsts) : null;
          if (hits && hits.indexOf(1) < 0) return null;
          return load(man, "f/" + b + ".json", "json").then(function (fac) {
            if (isCurrent()) processBlock(b, fac, hits, firsts);
          });
        }).then(function () {
          if (!isCurrent()) return null;
          result.blocksDone = b + 1;
          onProgress(result);
          return step(b + 1);
        });
      }
      return step(0);
    });
  }

  /** The relevance of a hit (README "Searching (in the browser)"), compared by `byRelevance`:
   *  [late, head, share, id] — late: 1 for a 変更箇所 row, 転記メモ or 点検結果 (about an item, not its
   *  answer), else 0; head: 0 when a term is the whole of the document's first segment (its label, title
   *  or answer), 1 when a term starts inside it, 2 otherwise (one-character terms have no positions:
   *  2); share: the characters of the terms it contains over its normalised length; id: site order.
   *  tests/sitesearch_reader.py computes the same. */
  function rankOf(d, id, rk, late, terms, firsts) {
    var head = 2, covered = 0, h = rk.head[d], len = rk.len[d];
    for (var i = 0; i < terms.length; i++) {
      var m = firsts.get(terms[i]);
      if (!m || !m.has(d)) continue;
      var tl = Array.from(terms[i]).length, p = m.get(d);
      covered += tl;
      if (p === 0 && tl === h) head = 0;
      else if (p >= 0 && p < h && head > 1) head = 1;
    }
    return [late.has(d) ? 1 : 0, head, len ? covered / len : 0, id];
  }

  /** The rank columns of a facet file: one character a document (U+0100 + the number), the numbers too
   *  large for that in `big` ([document, value] pairs). */
  function rankColumns(rank) {
    var out = {};
    ["len", "head"].forEach(function (name) {
      var s = rank[name], col = new Int32Array(s.length);
      for (var i = 0; i < s.length; i++) col[i] = s.charCodeAt(i) - 0x100;
      ((rank.big && rank.big[name]) || []).forEach(function (p) { col[p[0]] = p[1]; });
      out[name] = col;
    });
    return out;
  }

  function byRelevance(a, b) {
    return a[0] - b[0] || a[1] - b[1] || (b[2] > a[2] ? 1 : b[2] < a[2] ? -1 : 0) || a[3] - b[3];
  }

  /** Hit ids in relevance order. */
  function ranked(result) {
    return result.rank.slice().sort(byRelevance).map(function (r) { return r[3]; });
  }

  /** Where a document's metadata is: the block's facet file lists the start of each page. */
  function pageOf(pages, local) {
    var lo = 0, hi = pages.length - 1;
    while (lo < hi) { var mid = (lo + hi + 1) >> 1; if (pages[mid] <= local) lo = mid; else hi = mid - 1; }
    return lo;
  }

  function metaOf(man, ids) {
    var blocks = Array.from(new Set(ids.map(function (i) { return Math.floor(i / man.block); })));
    return Promise.all(blocks.map(function (b) { return load(man, "f/" + b + ".json", "json"); })).then(function (facs) {
      var pagesOf = new Map();
      blocks.forEach(function (b, i) { pagesOf.set(b, facs[i].pages); });
      var where = ids.map(function (i) {
        var b = Math.floor(i / man.block), local = i - b * man.block, pages = pagesOf.get(b), k = pageOf(pages, local);
        return { path: "m/" + b + "/" + k + ".json", row: local - pages[k] };
      });
      var paths = Array.from(new Set(where.map(function (w) { return w.path; })));
      return Promise.all(paths.map(function (p) { return load(man, p, "json"); })).then(function (got) {
        var byPath = new Map();
        paths.forEach(function (p, i) { byPath.set(p, got[i]); });
        return ids.map(function (i, n) {
          var page = byPath.get(where[n].path);
          var row = page.d[where[n].row];
          var a = page.a[row[1]];
          return { id: i, key: row[0], aid: a[0], city: a[1], title: a[2], form: a[3], kind: row[2], part: row[3],
                   label: row[4], answer: row[5], url: row[6], content: row[7] };
        });
      });
    });
  }

  // ---- snippets (hyoka_search/query.py: match_spans, snippet) ---------------------------------------
  function matchSpans(chars, terms) {
    var norm = [], where = [];
    for (var i = 0; i < chars.length; i++) {
      var ch = chars[i];
      if (ch === SEP) { norm.push(SEP); where.push(i); continue; }
      if (WS_ONE.test(ch)) continue;
      var n = Array.from(ch.normalize("NFKC").toLowerCase().replace(WS_RUN, ""));
      for (var k = 0; k < n.length; k++) { norm.push(n[k]); where.push(i); }
    }
    var spans = [];
    terms.forEach(function (term) {
      var t = Array.from(term);
      if (!t.length) return;
      for (var s = 0; s + t.length <= norm.length; s++) {
        var ok = true;
        for (var j = 0; j < t.length && ok; j++) ok = norm[s + j] === t[j];
        if (ok) spans.push([where[s], where[s + t.length - 1] + 1]);
      }
    });
    spans.sort(function (a, b) { return a[0] - b[0] || a[1] - b[1]; });
    var merged = [];
    spans.forEach(function (sp) {
      var last = merged[merged.length - 1];
      if (last && sp[0] <= last[1]) last[1] = Math.max(last[1], sp[1]);
      else merged.push([sp[0], sp[1]]);
    });
    return merged;
  }

  function clean(s) { return s.split(SEP).join(" ／ ").replace(WS_RUN, " "); }

  /** The snippet as DOM: text around the first match, matches in <mark>. */
  function snippetNode(text, terms, width) {
    width = width || 40;
    var chars = Array.from(text || "");
    var p = document.createElement("p");
    p.className = "hyoka-ss__snippet";
    if (!chars.length) return p;
    var spans = matchSpans(chars, terms);
    var lo, hi;
    if (spans.length) { lo = Math.max(0, spans[0][0] - width); hi = Math.min(chars.length, spans[0][1] + width * 2); }
    else { lo = 0; hi = Math.min(chars.length, width * 3); }
    var pieces = [];
    var pos = lo;
    spans.forEach(function (sp) {
      if (sp[1] <= lo || sp[0] >= hi) return;
      var a = Math.max(sp[0], lo), b = Math.min(sp[1], hi);
      pieces.push([chars.slice(pos, a).join(""), false]);
      pieces.push([chars.slice(a, b).join(""), true]);
      pos = b;
    });
    pieces.push([chars.slice(pos, hi).join(""), false]);
    if (lo > 0) pieces.unshift(["…", false]);
    if (hi < chars.length) pieces.push(["…", false]);
    pieces.forEach(function (pc, i) {
      var s = clean(pc[0]);
      if (i === 0) s = s.replace(/^ /, "");
      if (i === pieces.length - 1) s = s.replace(/ $/, "");
      if (!s) return;
      if (pc[1]) { var m = document.createElement("mark"); m.textContent = s; p.appendChild(m); }
      else p.appendChild(document.createTextNode(s));
    });
    return p;
  }

  // ---- header box on every page ------------------------------------------------------------------
  function headerBox() {
    var inner = document.querySelector(".md-header__inner");
    if (!inner || document.getElementById("hyoka-ss-header")) return;
    var form = document.createElement("form");
    form.id = "hyoka-ss-header";
    form.className = "hyoka-ss-header";
    form.setAttribute("role", "search");
    form.setAttribute("aria-label", "サイト内検索");
    form.method = "get";
    form.action = SEARCH_URL.href;
    var label = document.createElement("label");
    label.className = "hyoka-ss__vh";
    label.htmlFor = "hyoka-ss-header-q";
    label.textContent = "評価書を検索";
    var input = document.createElement("input");
    input.id = "hyoka-ss-header-q";
    input.className = "hyoka-ss-header__input";
    input.type = "search";
    input.name = "q";
    input.placeholder = "検索";
    input.autocomplete = "off";
    input.spellcheck = false;
    var button = document.createElement("button");
    button.type = "submit";
    button.className = "hyoka-ss-header__button";
    button.textContent = "検索";
    form.appendChild(label);
    form.appendChild(input);
    form.appendChild(button);
    var before = inner.querySelector(".md-header__source");
    inner.insertBefore(form, before);
    return form;
  }

  // ---- the search page -------------------------------------------------------------------------------
  function app(root) {
    var form = root.querySelector(".hyoka-ss__form");
    var input = root.querySelector("#hyoka-ss-q");
    var status = root.querySelector("#hyoka-ss-status");
    var list = root.querySelector("#hyoka-ss-results");
    var more = root.querySelector("#hyoka-ss-more");
    var aside = root.querySelector("#hyoka-ss-filters");
    var fold = root.querySelector("#hyoka-ss-fold");
    var foldState = root.querySelector("#hyoka-ss-fold-state");
    var sortBox = root.querySelector("#hyoka-ss-sort");
    var filterBox = document.createElement("div");
    filterBox.className = "hyoka-ss__facets";
    (fold || aside).appendChild(filterBox);
    // On a narrow screen the filters start folded, so that the first result is on the first screen.
    if (fold && window.matchMedia && !window.matchMedia("(min-width: 700px)").matches) fold.open = false;
    var api = window.hyokaSiteSearch;
    var state = { q: "", filters: {}, sort: "" };
    var run = 0;
    var shown = 0;
    var current = null;
    var facetsSpec = null;

    function setState(s) { root.setAttribute("data-state", s); api.state = s; }

    function fromURL() {
      var params = new URLSearchParams(location.search);
      state.q = params.get("q") || "";
      state.sort = params.get("sort") === "site" ? "site" : "";
      if (sortBox) sortBox.value = state.sort;
      state.filters = {};
      (facetsSpec || []).forEach(function (spec) {
        state.filters[spec.field] = new Set(params.getAll(spec.field).filter(Boolean));
      });
      input.value = state.q;
      var hq = document.getElementById("hyoka-ss-header-q");
      if (hq) hq.value = state.q;
    }

    function toURL(push) {
      var params = new URLSearchParams();
      if (state.q) params.set("q", state.q);
      (facetsSpec || []).forEach(function (spec) {
        Array.from(state.filters[spec.field] || []).sort().forEach(function (v) { params.append(spec.field, v); });
      });
      if (state.sort) params.set("sort", state.sort);
      var qs = params.toString();
      var url = location.pathname + (qs ? "?" + qs : "");
      if (url !== location.pathname + location.search) history[push ? "pushState" : "replaceState"](null, "", url);
    }

    function say(text) { status.textContent = text; }

    function anyFilter() {
      return Object.keys(state.filters).some(function (f) { return state.filters[f].size; });
    }

    function hitNode(h, terms) {
      var li = document.createElement("li");
      li.className = "hyoka-ss__hit";
      li.setAttribute("data-key", h.key);
      var a = document.createElement("a");
      a.className = "hyoka-ss__hit-link";
      a.href = new URL(h.url, ROOT).href;
      a.textContent = h.label || h.kind;
      var head = document.createElement("p");
      head.className = "hyoka-ss__hit-title";
      head.appendChild(a);
      li.appendChild(head);
      var where = document.createElement("p");
      where.className = "hyoka-ss__where";
      [h.city, h.title + (h.form ? "（" + h.form + "）" : ""), h.part].filter(Boolean).forEach(function (t, i) {
        if (i) where.appendChild(document.createTextNode(" › "));
        var s = document.createElement("span");
        s.textContent = t;
        where.appendChild(s);
      });
      li.appendChild(where);
      li.appendChild(snippetNode(h.content, terms));
      if (h.answer) {
        var ans = document.createElement("p");
        ans.className = "hyoka-ss__answer";
        ans.textContent = "回答: " + h.answer;
        li.appendChild(ans);
      }
      return li;
    }

    /** The hits in the order shown: relevance (once every block is read) or the site's. */
    function shownIds(result) {
      if (state.sort === "site") return result.ids;
      if (!result.ordered) result.ordered = ranked(result);
      return result.ordered;
    }

    function showMore(result, terms, myRun) {
      var ids = shownIds(result).slice(shown, shown + PAGE);
      if (!ids.length) return Promise.resolve();
      shown += ids.length;
      return metaOf(result.manifest, ids).then(function (hits) {
        if (myRun !== run) return;
        hits.forEach(function (h) { list.appendChild(hitNode(h, terms)); });
        more.hidden = !(shown < result.ids.length || !result.complete);
      });
    }

    function renderFacets(result) {
      filterBox.textContent = "";
      var picked = 0;
      Object.keys(state.filters).forEach(function (f) { picked += state.filters[f].size; });
      if (foldState) foldState.textContent = picked ? "（" + picked + " 件を選択中）" : "";
      result.manifest.facets.forEach(function (spec) {
        var counts = result.facets[spec.field], labels = result.labels[spec.field];
        var selected = state.filters[spec.field] || new Set();
        var values = Array.from(new Set(Array.from(counts.keys()).concat(Array.from(selected))));
        if (!values.length) return;
        var order = spec.order;
        values.sort(function (a, b) {
          if (order) {
            var ia = order.indexOf(a), ib = order.indexOf(b);
            if (ia < 0) ia = 1e9;
            if (ib < 0) ib = 1e9;
            if (ia !== ib) return ia - ib;
          } else {
            var d = (counts.get(b) || 0) - (counts.get(a) || 0);
            if (d) return d;
          }
          return a < b ? -1 : a > b ? 1 : 0;
        });
        var fs = document.createElement("fieldset");
        fs.className = "hyoka-ss__facet";
        fs.setAttribute("data-field", spec.field);
        var lg = document.createElement("legend");
        lg.textContent = spec.label;
        fs.appendChild(lg);
        var ul = document.createElement("ul");
        values.forEach(function (v, i) {
          var liv = document.createElement("li");
          if (i >= 8 && !selected.has(v)) liv.className = "hyoka-ss__facet-extra";
          var lab = document.createElement("label");
          var cb = document.createElement("input");
          cb.type = "checkbox";
          cb.name = spec.field;
          cb.value = v;
          cb.checked = selected.has(v);
          cb.addEventListener("change", function () {
            var set = state.filters[spec.field] || (state.filters[spec.field] = new Set());
            if (cb.checked) set.add(v); else set.delete(v);
            toURL(true);
            search();
          });
          lab.appendChild(cb);
          var name = document.createElement("span");
          name.textContent = " " + (labels.get(v) || v) + " ";
          lab.appendChild(name);
          var cnt = document.createElement("span");
          cnt.className = "hyoka-ss__count";
          cnt.textContent = "(" + (counts.get(v) || 0).toLocaleString("ja-JP") + ")";
          lab.appendChild(cnt);
          liv.appendChild(lab);
          ul.appendChild(liv);
        });
        fs.appendChild(ul);
        if (values.length > 8) {
          var tog = document.createElement("button");
          tog.type = "button";
          tog.className = "hyoka-ss__facet-toggle";
          tog.setAttribute("aria-expanded", "false");
          tog.textContent = "すべて表示（" + values.length + "）";
          tog.addEventListener("click", function () {
            var open = fs.classList.toggle("hyoka-ss__facet--open");
            tog.setAttribute("aria-expanded", open ? "true" : "false");
            tog.textContent = open ? "折りたたむ" : "すべて表示（" + values.length + "）";
          });
          fs.appendChild(tog);
        }
        filterBox.appendChild(fs);
      });
      if (anyFilter()) {
        var clear = document.createElement("button");
        clear.type = "button";
        clear.className = "md-button hyoka-ss__clear";
        clear.textContent = "絞り込みを解除";
        clear.addEventListener("click", function () {
          Object.keys(state.filters).forEach(function (f) { state.filters[f] = new Set(); });
          toURL(true);
          search();
        });
        filterBox.appendChild(clear);
      }
    }

    function search() {
      var myRun = ++run;
      shown = 0;
      list.textContent = "";
      more.hidden = true;
      var parsed;
      try {
        parsed = parseQuery(state.q);
      } catch (e) {
        if (!(e instanceof QueryError)) throw e;
        filterBox.textContent = "";
        api.result = null;
        say(e.message);
        setState("error");
        return Promise.resolve();
      }
      document.title = (state.q ? "検索: " + state.q + " - " : "検索 - ") + (document.title.split(" - ").pop() || "");
      if (!parsed.query && !anyFilter()) {
        filterBox.textContent = "";
        api.result = null;
        say(state.q ? "検索語がありません。" : "");
        setState("idle");
        return Promise.resolve();
      }
      setState("searching");
      say("検索しています…");
      try { performance.mark("hyoka-ss:start"); } catch (e) { /* ignore */ }
      var first = true;
      var firstPage = null;
      var isCurrent = function () { return myRun === run; };
      var bySite = state.sort === "site";
      return runSearch(parsed, state.filters, function (result) {
        current = result;
        // In site order the first screen is shown as soon as it is known; in relevance order the best
        // hit may be in the last block, so the first screen waits for every block.
        if (first && ((bySite && result.ids.length >= PAGE) || result.blocksDone === result.blocks)) {
          first = false;
          if (result.ids.length) {
            firstPage = showMore(result, parsed.terms, myRun).then(function () {
              if (myRun !== run) return;
              try { performance.mark("hyoka-ss:first-result"); } catch (e) { /* ignore */ }
              root.setAttribute("data-first-result", "1");
            });
          }
        }
      }, isCurrent).then(function (result) {
        return firstPage ? firstPage.then(function () { return result; }) : result;
      }).then(function (result) {
        if (!result || !isCurrent()) return;
        current = result;
        renderFacets(result);
        var what = state.q ? "「" + state.q + "」" : "絞り込み";
        var n = result.ids.length;
        say(n ? what + "に一致する項目は " + n.toLocaleString("ja-JP") + " 件です。" : what + "に一致する項目はありません。");
        root.setAttribute("data-total", String(n));
        more.hidden = !(shown < n);
        api.result = { ids: shownIds(result).slice(), order: bySite ? "site" : "relevance", total: n,
                       facets: mapsToObjects(result.facets), terms: parsed.terms };
        try { performance.mark("hyoka-ss:done"); } catch (e) { /* ignore */ }
        setState("done");
      }).catch(function (err) {
        if (!isCurrent()) return;
        say("検索の索引を読み込めませんでした。ページを読み込み直してください。");
        setState("error");
        if (window.console) console.error(err);
      });
    }

    function mapsToObjects(facets) {
      var out = {};
      Object.keys(facets).forEach(function (f) { out[f] = Object.fromEntries(facets[f]); });
      return out;
    }

    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      state.q = input.value;
      var hq = document.getElementById("hyoka-ss-header-q");
      if (hq) hq.value = state.q;
      toURL(true);
      search();
    });
    more.addEventListener("click", function () {
      if (current) showMore(current, parseQuerySafe(state.q), run);
    });
    function parseQuerySafe(q) { try { return parseQuery(q).terms; } catch (e) { return []; } }
    window.addEventListener("popstate", function () { fromURL(); search(); });
    if (sortBox) {
      sortBox.addEventListener("change", function () {
        state.sort = sortBox.value === "site" ? "site" : "";
        toURL(true);
        search();
      });
    }

    var hform = document.getElementById("hyoka-ss-header");
    if (hform) {
      hform.addEventListener("submit", function (ev) {
        ev.preventDefault();
        input.value = hform.querySelector("input").value;
        state.q = input.value;
        toURL(true);
        search();
        input.focus();
      });
    }

    api.search = function (q, filters, sort) {
      state.q = q || "";
      state.sort = sort === "site" ? "site" : "";
      if (sortBox) sortBox.value = state.sort;
      input.value = state.q;
      state.filters = {};
      Object.keys(filters || {}).forEach(function (f) { state.filters[f] = new Set([].concat(filters[f])); });
      toURL(true);
      return search();
    };

    setState("loading");
    manifest().then(function (man) {
      facetsSpec = man.facets;
      fromURL();
      return search();
    }).catch(function (err) {
      say("検索の索引を読み込めませんでした。");
      setState("error");
      if (window.console) console.error(err);
    });
  }

  window.hyokaSiteSearch = { parseQuery: parseQuery, normalizeTerm: normalizeTerm, grams: grams, fnv1a: fnv1a, state: "idle", result: null };
  headerBox();
  var root = document.querySelector("[data-hyoka-sitesearch]");
  if (root) app(root);
})();
