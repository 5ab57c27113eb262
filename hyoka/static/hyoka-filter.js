/* 評価書ポータル: filters for the comparison tables (no server, no library).
 *
 * <form class="hyoka-filter"> controls, each with a name (city, form, company, answer …), filter every
 * <table class="hyoka-filterable"> on the page:
 *   - a row <tr data-NAME="v1 v2"> stays visible when the chosen value is one of its values;
 *     rows without data-NAME are not filtered by NAME;
 *   - a cell <th|td data-col-NAME="v"> (a matrix column) is hidden when it does not match;
 *   - the text box "q" keeps rows whose text contains the words (NFKC, case-insensitive).
 * The state lives in the URL query string (?city=112101&answer=…): share the URL, reload, go back.  Each
 * change of the filters is a new history entry (typing in the text box: one entry per word typed, the
 * letters replace it), so Back returns to the previous filter; popstate puts the form back as it was.
 *
 * Above each filterable table: its own counter (「N 行中 M 行を表示」) and a button 「表示中の行を CSV でダウンロード」.
 * A table with data-csv-table="NAME" writes the open-data rows (data/NAME.csv: same columns, permalinks
 * included) that its visible rows and cells were made from: the page holds them once in
 * <script type="application/json" class="hyoka-csv-data" data-csv-table="NAME"> and each row or matrix cell
 * names its rows' indices in data-csv-rows.  Other tables write the cells' text.  In the browser (Blob, no
 * server): UTF-8 with BOM, one header row, CRLF, and a cell that a spreadsheet would run as a formula
 * (= + - @, tab, CR first, also after leading spaces, and ＝ ＋ － ＠) prefixed with an apostrophe: the rule
 * of hyoka/csvout.py, the one CSV writer of data/*.csv and `hyoka search --format csv`.
 */
(function () {
  "use strict";

  function norm(s) {
    return (s || "").normalize("NFKC").toLowerCase().replace(/\s+/g, "");
  }

  function controls(form) {
    return Array.prototype.filter.call(form.elements, function (el) {
      return el.name && (el.tagName === "SELECT" || el.tagName === "INPUT");
    });
  }

  function state(form) {
    var st = {};
    controls(form).forEach(function (el) {
      if (el.value) st[el.name] = el.value;
    });
    return st;
  }

  function matches(attr, wanted) {
    return attr.split(" ").indexOf(wanted) >= 0;
  }

  function apply(form) {
    var st = state(form);
    var keys = Object.keys(st).filter(function (k) { return k !== "q"; });
    var words = (st.q || "").split(/\s+/).map(norm).filter(Boolean);
    var tables = document.querySelectorAll("table.hyoka-filterable");
    Array.prototype.forEach.call(tables, function (table) {
      // matrix columns
      Array.prototype.forEach.call(table.querySelectorAll("[data-col]"), function (cell) {
        var ok = keys.every(function (k) {
          var v = cell.getAttribute("data-col-" + k);
          return v === null || matches(v, st[k]);
        });
        cell.hidden = !ok;
      });
      Array.prototype.forEach.call(table.querySelectorAll("tbody tr[data-row]"), function (row) {
        var ok = keys.every(function (k) {
          // a matrix row matches when one of its visible cells does (data-cell-NAME)
          var cells = row.querySelectorAll("[data-cell-" + k + "]");
          if (cells.length) {
            return Array.prototype.some.call(cells, function (c) {
              return !c.hidden && matches(c.getAttribute("data-cell-" + k), st[k]);
            });
          }
          var v = row.getAttribute("data-" + k);
          return v === null || matches(v, st[k]);
        });
        if (ok && words.length) {
          var text = norm(row.textContent);
          ok = words.every(function (w) { return text.indexOf(w) >= 0; });
        }
        row.hidden = !ok;
      });
      // group heads: hidden when their group has no visible row
      Array.prototype.forEach.call(table.querySelectorAll("tbody"), function (tb) {
        var head = tb.querySelector("tr.hyoka-group-head");
        if (!head) return;
        var any = tb.querySelector("tr[data-row]:not([hidden])");
        head.hidden = !any;
      });
    });
    var out = form.querySelector(".hyoka-count");
    var filtered = keys.length || words.length;
    var parts = [];
    Array.prototype.forEach.call(tables, function (table) {
      var rows = table.querySelectorAll("tbody tr[data-row]");
      var n = 0;
      Array.prototype.forEach.call(rows, function (r) { if (!r.hidden) n += 1; });
      var text = filtered ? rows.length + " 行中 " + n + " 行を表示" : rows.length + " 行（すべて表示）";
      var counter = document.querySelector('.hyoka-table-count[data-count-for="' + table.id + '"]');
      if (counter) counter.textContent = text;
      parts.push((tables.length > 1 ? tableName(table) + ": " : "") + text);
    });
    if (out) out.textContent = parts.join("、");
  }

  function tableName(table) {
    return table.caption ? cellText(table.caption) : (table.id || "表");
  }

  var typing = false;  // the last history entry was made by typing in the text box

  function toUrl(form, ev) {
    var st = state(form);
    var url = new URL(window.location.href);
    controls(form).forEach(function (el) { url.searchParams.delete(el.name); });
    Object.keys(st).forEach(function (k) { url.searchParams.set(k, st[k]); });
    if (url.toString() === window.location.href) return;
    var isText = ev && ev.target && ev.target.name === "q" && ev.type === "input";
    var wordDone = isText && /\s$/.test(ev.target.value);
    if (isText && typing) {
      window.history.replaceState({ hyokaFilter: true }, "", url.toString());
    } else {
      window.history.pushState({ hyokaFilter: true }, "", url.toString());
    }
    typing = isText && !wordDone;
  }

  function fromUrl(form) {
    var params = new URLSearchParams(window.location.search);
    controls(form).forEach(function (el) {
      var v = params.get(el.name);
      if (v === null) { el.value = ""; return; }
      if (el.tagName === "SELECT" && !Array.prototype.some.call(el.options, function (o) { return o.value === v; })) {
        var opt = document.createElement("option");  // a value not in the list: keep it visible
        opt.value = v;
        opt.textContent = v + "（該当なし）";
        el.appendChild(opt);
      }
      el.value = v;
    });
  }

  // ---- CSV of the visible rows ------------------------------------------------------------------

  // The rule of hyoka/csvout.py (RISKY_PATTERN, the project's one CSV writer), character for character:
  // a leading tab or CR, or = + - @ / ＝ ＋ － ＠ after any leading white space or invisible characters.
  var RISKY = /^(?:[\t\r]|[\t\n\u000b\f\r \u001c-\u001f\u0085\u00a0\u1680\u2000-\u200d\u2028\u2029\u202f\u205f\u2060\u3000\ufeff]*[=+\-@\uff1d\uff0b\uff0d\uff20])/;

  function neutralise(s) {
    return RISKY.test(s) ? "'" + s : s;
  }

  function csvField(s) {
    s = neutralise(s);
    return /[",\r\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
  }

  function cellText(cell) {
    return (cell.innerText || cell.textContent || "").replace(/\r\n?/g, "\n").trim();
  }

  function visibleCells(tr) {
    return Array.prototype.filter.call(tr.cells, function (c) { return !c.hidden; });
  }

  function visibleTable(table) {
    var source = csvSource(table);
    if (source) return sourceRows(table, source, currentState(table));
    var head = table.tHead && table.tHead.rows.length ? table.tHead.rows[table.tHead.rows.length - 1] : null;
    var rows = [];
    if (head) rows.push(visibleCells(head).map(cellText));
    Array.prototype.forEach.call(table.querySelectorAll("tbody tr[data-row]"), function (tr) {
      if (!tr.hidden) rows.push(visibleCells(tr).map(cellText));
    });
    return rows;
  }

  function currentState(table) {
    var form = document.querySelector("form.hyoka-filter");
    return form ? state(form) : {};
  }

  // The open-data rows of a table (data-csv-table): {columns: [...], rows: [[...], ...]} from the page.
  function csvSource(table) {
    var name = table.getAttribute("data-csv-table");
    if (!name) return null;
    var el = document.querySelector('script.hyoka-csv-data[data-csv-table="' + name + '"]');
    if (!el) return null;
    if (!el.hyokaData) el.hyokaData = JSON.parse(el.textContent);
    return el.hyokaData;
  }

  // Header and the rows (in the open data's order, each once) of the visible rows and visible cells.
  // A matrix cell (data-cell-NAME) gives its rows only when it matches the filters on NAME in force.
  function sourceRows(table, source, st) {
    var wanted = {};
    var keys = Object.keys(st).filter(function (k) { return k !== "q"; });
    Array.prototype.forEach.call(table.querySelectorAll("tbody tr[data-row]"), function (tr) {
      if (tr.hidden) return;
      var cells = Array.prototype.filter.call(tr.cells, function (c) {
        return !c.hidden && keys.every(function (k) {
          var v = c.getAttribute("data-cell-" + k);
          return v === null || matches(v, st[k]);
        });
      });
      var holders = [tr].concat(cells);
      holders.forEach(function (el) {
        (el.getAttribute("data-csv-rows") || "").split(" ").forEach(function (i) {
          if (i !== "") wanted[i] = true;
        });
      });
    });
    var index = Object.keys(wanted).map(Number).sort(function (a, b) { return a - b; });
    var rows = [source.columns.slice()];
    index.forEach(function (i) {
      rows.push(source.rows[i].map(function (v) { return v === null || v === undefined ? "" : String(v); }));
    });
    return rows;
  }

  function toCsv(rows) {
    return "\ufeff" + rows.map(function (r) { return r.map(csvField).join(","); }).join("\r\n") + "\r\n";
  }

  function csvName(table) {
    var named = table.getAttribute("data-csv-name");
    if (named) return named;
    var parts = window.location.pathname.split("/").filter(Boolean);
    var page = parts.length ? decodeURIComponent(parts[parts.length - 1]).replace(/\.html$/, "") : "hyoka";
    return page + "-" + (table.id || "table") + ".csv";
  }

  function download(table) {
    var blob = new Blob([toCsv(visibleTable(table))], { type: "text/csv;charset=utf-8" });
    var url = URL.createObjectURL(blob);
    var a = document.createElement("a");
    a.href = url;
    a.download = csvName(table);
    a.hidden = true;
    document.body.appendChild(a);
    a.click();
    window.setTimeout(function () { URL.revokeObjectURL(url); a.remove(); }, 1000);
  }

  function addCsvButtons() {
    Array.prototype.forEach.call(document.querySelectorAll("table.hyoka-filterable"), function (table) {
      if (table.getAttribute("data-csv-ready")) return;
      table.setAttribute("data-csv-ready", "1");
      var wrap = table.parentElement && table.parentElement.classList.contains("hyoka-scroll") ? table.parentElement : table;
      var p = document.createElement("p");
      p.className = "hyoka-csv";
      var counter = document.createElement("span");
      counter.className = "hyoka-table-count";
      if (table.id) counter.setAttribute("data-count-for", table.id);
      p.appendChild(counter);
      var button = document.createElement("button");
      button.type = "button";
      button.className = "md-button hyoka-csv-button";
      button.textContent = "表示中の行を CSV でダウンロード";
      if (table.id) button.setAttribute("data-csv-for", table.id);
      var caption = table.caption ? cellText(table.caption) : "";
      if (caption) button.setAttribute("aria-label", "表示中の行を CSV でダウンロード（" + caption + "）");
      button.addEventListener("click", function () { download(table); });
      p.appendChild(button);
      wrap.parentNode.insertBefore(p, wrap);
    });
  }

  window.hyokaFilter = { visibleTable: visibleTable, toCsv: toCsv, neutralise: neutralise };

  function init() {
    addCsvButtons();
    Array.prototype.forEach.call(document.querySelectorAll("form.hyoka-filter"), function (form) {
      if (form.getAttribute("data-ready")) return;
      form.setAttribute("data-ready", "1");
      fromUrl(form);
      apply(form);
      form.addEventListener("submit", function (ev) { ev.preventDefault(); });
      form.addEventListener("input", function (ev) {
        if (ev.target.tagName === "SELECT") return;  // a select reports "change" too: one entry
        toUrl(form, ev); apply(form);
      });
      form.addEventListener("change", function (ev) {
        if (ev.target.name === "q") { typing = false; return; }  // the text box: done by "input"
        toUrl(form, ev); apply(form);
      });
      form.addEventListener("reset", function () {
        window.setTimeout(function () { typing = false; toUrl(form); apply(form); }, 0);
      });
      window.addEventListener("popstate", function () { typing = false; fromUrl(form); apply(form); });
    });
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(init);  // Material's instant navigation
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
