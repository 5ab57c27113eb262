/* 評価書ポータル: the side-by-side view (compare/side-by-side/, hyoka.views.sidebyside).
 *
 * The chosen assessments live in the URL (?a=<id>&a=<id>…, at most data-max; &diff=1 shows only the rows that
 * differ): every change pushes a history entry, Back and reload restore it.  Per assessment the script fetches
 * items/<id>.json (its rows, in the page's order) and lines the rows up by row_id (the canonical key of
 * hyoka.formkeys, the file number and the repeated entry).  A row whose values differ is marked with the text
 * 「≠ 違いあり」 (not by colour only).  Text from the JSON is only ever set with textContent: a value that holds
 * markup stays text.
 */
(function () {
  "use strict";

  var ID_RE = /^[a-z0-9][a-z0-9-]{0,79}$/;  // hyoka.safepath: the rule for ids and slugs
  var URL_RE = /^[a-z0-9][a-z0-9-]{0,79}\/[a-z0-9][a-z0-9-]{0,79}\/$/;  // an assessment page: <slug>/<id>/
  var ANCHOR_RE = /^[A-Za-z0-9_-]+$/;

  var root = document.getElementById("sbs");
  if (!root) return;
  var base = root.getAttribute("data-root") || "";
  var max = parseInt(root.getAttribute("data-max"), 10) || 4;
  var picker = document.getElementById("sbs-picker");
  var citySel = document.getElementById("sbs-city");
  var docSel = document.getElementById("sbs-doc");
  var addBtn = document.getElementById("sbs-add");
  var status = document.getElementById("sbs-status");
  var chosenList = document.getElementById("sbs-chosen");
  var diffBox = document.getElementById("sbs-diff");
  var box = document.getElementById("sbs-box");
  var items = {};  // id -> Promise of its JSON
  var cities = {};  // slug -> Promise of its assessments
  var token = 0;

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }

  function getJSON(url) {
    return fetch(url, { credentials: "same-origin" }).then(function (r) {
      if (!r.ok) throw new Error(String(r.status));
      return r.json();
    });
  }

  // items/<id>.json: the head of one assessment and its rows as arrays of `columns` (row_id, key, …)
  function loadItems(id) {
    if (!items[id]) {
      items[id] = getJSON("items/" + encodeURIComponent(id) + ".json").then(function (d) {
        var cols = d.columns || [];
        d.rows = (d.rows || []).map(function (a) {
          var r = {};
          cols.forEach(function (c, i) { r[c] = a[i]; });
          return r;
        });
        return d;
      });
    }
    return items[id];
  }

  function state() {
    var p = new URLSearchParams(window.location.search);
    var ids = [];
    p.getAll("a").forEach(function (v) {
      v = v.trim();
      if (ID_RE.test(v) && ids.indexOf(v) < 0 && ids.length < max) ids.push(v);
    });
    return { ids: ids, diff: p.get("diff") === "1" };
  }

  function go(ids, diff) {
    var p = new URLSearchParams();
    ids.forEach(function (id) { p.append("a", id); });
    if (diff) p.set("diff", "1");
    var q = p.toString();
    window.history.pushState(null, "", q ? "?" + q : window.location.pathname);
    render();
  }

  function norm(v) {
    return String(v || "").normalize("NFKC").replace(/\s+/g, "");
  }

  function pageHref(d, anchor) {
    if (!URL_RE.test(d.url || "")) return null;
    return base + d.url + (anchor && ANCHOR_RE.test(anchor) ? "#" + anchor : "");
  }

  function docName(d) {
    return d.municipality + "　" + d.title;
  }

  // Rows of every column in one order: each list's rows in its own order, a new row right after the
  // previous row of the same list.
  function merge(lists) {
    var order = [];
    var byId = {};
    lists.forEach(function (rows, c) {
      var prev = -1;
      rows.forEach(function (r) {
        var e = byId[r.row_id];
        if (!e) {
          e = byId[r.row_id] = { id: r.row_id, first: r, cells: [] };
          order.splice(prev + 1, 0, e);
          prev += 1;
        } else {
          var i = order.indexOf(e);
          if (i > prev) prev = i;
        }
        e.cells[c] = r;
      });
    });
    return order;
  }

  function drawChosen(results) {
    chosenList.textContent = "";
    results.forEach(function (res, i) {
      var li = el("li", "sbs-chosen__item");
      if (res.data) {
        var href = pageHref(res.data);
        var name = href ? el("a", "sbs-chosen__name", docName(res.data)) : el("span", "sbs-chosen__name", docName(res.data));
        if (href) name.href = href;
        li.appendChild(name);
        li.appendChild(el("span", "sbs-chosen__form", " " + res.data.form + "（" + res.data.form_version + "）"));
      } else {
        li.appendChild(el("span", "sbs-chosen__missing", "評価書「" + res.id + "」は見つかりませんでした"));
      }
      var rm = el("button", "sbs-chosen__remove md-button", "外す");
      rm.type = "button";
      rm.setAttribute("aria-label", (res.data ? docName(res.data) : res.id) + " を外す");
      rm.addEventListener("click", function () {
        var s = state();
        go(s.ids.filter(function (x) { return x !== res.id; }), s.diff);
      });
      li.appendChild(rm);
      chosenList.appendChild(li);
    });
  }

  function drawTable(docs, diffOnly) {
    var table = el("table", "sbs-table");
    table.id = "sbs-table";
    var cap = el("caption", "", "項目ごとの比較（" + docs.length + "件）");
    table.appendChild(cap);
    var thead = el("thead");
    var hr = el("tr");
    var h0 = el("th", "sbs-itemcol", "項目");
    h0.scope = "col";
    hr.appendChild(h0);
    docs.forEach(function (d) {
      var th = el("th", "sbs-doccol");
      th.scope = "col";
      th.appendChild(el("span", "sbs-doccol__city", d.prefecture + " " + d.municipality));
      var href = pageHref(d);
      var t = href ? el("a", "sbs-doccol__title", d.title) : el("span", "sbs-doccol__title", d.title);
      if (href) t.href = href;
      th.appendChild(t);
      th.appendChild(el("span", "sbs-doccol__form", d.form + "（" + d.form_version + "）" + (d.published ? " 公表日 " + d.published : "")));
      hr.appendChild(th);
    });
    thead.appendChild(hr);
    table.appendChild(thead);
    var tbody = el("tbody");
    var merged = merge(docs.map(function (d) { return d.rows || []; }));
    var lastGroup = null;
    var groupRow = null;
    var counts = { rows: 0, diff: 0 };
    merged.forEach(function (e) {
      var r = e.first;
      var g = (r.file_no ? "特定個人情報ファイル" + r.file_no + "　" : "") + r.group;
      if (g !== lastGroup) {
        groupRow = el("tr", "sbs-group");
        var gh = el("th", "", g);
        gh.scope = "colgroup";
        gh.colSpan = docs.length + 1;
        groupRow.appendChild(gh);
        groupRow.setAttribute("data-visible", "0");
        tbody.appendChild(groupRow);
        lastGroup = g;
      }
      var values = docs.map(function (d, c) { return e.cells[c] ? norm(e.cells[c].value) : null; });
      var differs = docs.length > 1 && values.some(function (v) { return v === null || v !== values[0]; });
      var tr = el("tr", "sbs-row" + (differs ? " sbs-diff" : ""));
      tr.setAttribute("data-key", r.key);
      tr.setAttribute("data-row-id", e.id);
      var th = el("th", "sbs-label");
      th.scope = "row";
      th.appendChild(el("span", "sbs-label__text", r.label));
      if (differs) th.appendChild(el("span", "sbs-mark", "≠ 違いあり"));
      th.appendChild(el("code", "sbs-key", r.key));
      tr.appendChild(th);
      docs.forEach(function (d, c) {
        var cell = e.cells[c];
        var td = el("td", "sbs-cell");
        if (!cell) {
          td.className += " sbs-absent";
          td.textContent = "（この評価書にない項目）";
        } else {
          td.appendChild(el("div", "sbs-val" + (cell.value ? "" : " sbs-blank"), cell.value ? cell.value : "（記載なし）"));
          (cell.notes || []).forEach(function (k) {
            td.appendChild(el("span", "sbs-note", "⚠ " + k + "（転記メモ）"));
          });
          var href = pageHref(d, cell.anchor);
          if (href) {
            var a = el("a", "sbs-link", "該当箇所");
            a.href = href;
            a.setAttribute("aria-label", d.municipality + "の評価書の該当箇所: " + cell.label);
            td.appendChild(a);
          }
        }
        tr.appendChild(td);
      });
      counts.rows += 1;
      if (differs) counts.diff += 1;
      if (diffOnly && !differs) tr.hidden = true;
      else groupRow.setAttribute("data-visible", "1");
      tbody.appendChild(tr);
    });
    Array.prototype.forEach.call(tbody.querySelectorAll("tr.sbs-group"), function (g) {
      g.hidden = g.getAttribute("data-visible") !== "1";
    });
    table.appendChild(tbody);
    box.textContent = "";
    box.appendChild(table);
    return counts;
  }

  function render() {
    var s = state();
    var mine = ++token;
    diffBox.checked = s.diff;
    addBtn.disabled = s.ids.length >= max || !docSel.value;
    if (!s.ids.length) {
      chosenList.textContent = "";
      box.hidden = true;
      box.textContent = "";
      status.textContent = "比べる評価書を2〜" + max + "件選んでください。";
      refreshDocs();
      return;
    }
    status.textContent = "読み込み中…";
    Promise.all(s.ids.map(function (id) {
      return loadItems(id).then(function (d) { return { id: id, data: d }; }, function () { return { id: id, data: null }; });
    })).then(function (results) {
      if (mine !== token) return;
      drawChosen(results);
      var docs = results.filter(function (r) { return r.data; }).map(function (r) { return r.data; });
      refreshDocs();
      if (!docs.length) {
        box.hidden = true;
        box.textContent = "";
        status.textContent = "選んだ評価書が見つかりませんでした。";
        return;
      }
      var counts = drawTable(docs, s.diff);
      box.hidden = false;
      var msg;
      if (docs.length < 2) msg = "もう1件以上選ぶと、値の違う行に「≠ 違いあり」の印がつきます（" + counts.rows + "行）。";
      else msg = counts.rows + "行のうち " + counts.diff + "行で値が違います。" + (s.diff ? "違いのある行だけを表示しています。" : "");
      var forms = docs.map(function (d) { return d.form; });
      if (forms.some(function (f) { return f !== forms[0]; })) msg += "様式が違う評価書があります: 同じ設問だけが同じ行に並びます。";
      status.textContent = msg;
    });
  }

  // ---- the picker: 市区町村 → 評価書 ----------------------------------------------------------------

  function refreshDocs() {
    var s = state();
    Array.prototype.forEach.call(docSel.options, function (o) {
      if (o.value) o.disabled = s.ids.indexOf(o.value) >= 0;
    });
    if (docSel.selectedOptions.length && docSel.selectedOptions[0].disabled) docSel.value = "";
    addBtn.disabled = s.ids.length >= max || !docSel.value;
  }

  function fillDocs(slug) {
    docSel.textContent = "";
    docSel.disabled = true;
    addBtn.disabled = true;
    if (!slug || !ID_RE.test(slug)) {
      docSel.appendChild(el("option", "", "先に市区町村を選んでください")).value = "";
      return;
    }
    if (!cities[slug]) cities[slug] = getJSON("cities/" + encodeURIComponent(slug) + ".json");
    cities[slug].then(function (docs) {
      if (citySel.value !== slug) return;
      docSel.textContent = "";
      docSel.appendChild(el("option", "", "評価書を選んでください（" + docs.length + "件）")).value = "";
      var groups = {};
      docs.forEach(function (d) {
        if (!ID_RE.test(d.id)) return;
        var g = groups[d.form];
        if (!g) {
          g = groups[d.form] = el("optgroup");
          g.label = d.form;
          docSel.appendChild(g);
        }
        var o = el("option", "", d.title + (d.status === "終了" ? "【終了】" : "") + (d.published ? "（" + d.published + "）" : ""));
        o.value = d.id;
        g.appendChild(o);
      });
      docSel.disabled = false;
      refreshDocs();
    }, function () {
      status.textContent = "市区町村の評価書の一覧を読み込めませんでした。";
    });
  }

  citySel.addEventListener("change", function () { fillDocs(citySel.value); });
  docSel.addEventListener("change", refreshDocs);
  picker.addEventListener("submit", function (ev) {
    ev.preventDefault();
    var s = state();
    var id = docSel.value;
    if (!ID_RE.test(id) || s.ids.indexOf(id) >= 0) return;
    if (s.ids.length >= max) {
      status.textContent = "比べられるのは " + max + "件までです。どれかを外してから加えてください。";
      return;
    }
    go(s.ids.concat([id]), s.diff);
  });
  diffBox.addEventListener("change", function () {
    go(state().ids, diffBox.checked);
  });
  window.addEventListener("popstate", render);

  picker.hidden = false;
  Array.prototype.forEach.call(root.querySelectorAll(".sbs-only"), function (e) { e.hidden = false; });
  render();
})();
