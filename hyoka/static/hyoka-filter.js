/* 評価書ポータル: filters for the comparison tables (no server, no library).
 *
 * <form class="hyoka-filter"> controls, each with a name (city, form, company, answer …), filter every
 * <table class="hyoka-filterable"> on the page:
 *   - a row <tr data-NAME="v1 v2"> stays visible when the chosen value is one of its values;
 *     rows without data-NAME are not filtered by NAME;
 *   - a cell <th|td data-col-NAME="v"> (a matrix column) is hidden when it does not match;
 *   - the text box "q" keeps rows whose text contains the words (NFKC, case-insensitive).
 * The state lives in the URL query string (?city=112101&answer=…): share the URL, reload, go back.
 *
 * Above each filterable table, a button 「表示中の行を CSV でダウンロード」 writes the rows and columns
 * shown at that moment (the filters in force) to a CSV file, in the browser (Blob, no server): UTF-8
 * with BOM, one header row, CRLF, and a cell that a spreadsheet would run as a formula (= + - @, tab,
 * CR first, also after leading spaces, and ＝ ＋ － ＠) prefixed with an apostrophe: the rule of hyoka/csvout.py,
 * the one CSV writer of data/*.csv and `hyoka search --format csv`.
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
    var shown = 0, total = 0;
    Array.prototype.forEach.call(tables, function (table) {
      // matrix columns
      Array.prototype.forEach.call(table.querySelectorAll("[data-col]"), function (cell) {
        var ok = keys.every(function (k) {
          var v = cell.getAttribute("data-col-" + k);
          return v === null || matches(v, st[k]);
        });
        cell.hidden = !ok;
      });
      var counted = table.hasAttribute("data-count");
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
        if (counted) {
          total += 1;
          if (ok) shown += 1;
        }
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
    if (out) {
      out.textContent = keys.length || words.length
        ? total + " 行中 " + shown + " 行を表示"
        : total + " 行（すべて表示）";
    }
  }

  function toUrl(form) {
    var st = state(form);
    var url = new URL(window.location.href);
    controls(form).forEach(function (el) { url.searchParams.delete(el.name); });
    Object.keys(st).forEach(function (k) { url.searchParams.set(k, st[k]); });
    window.history.replaceState(null, "", url.toString());
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
    var head = table.tHead && table.tHead.rows.length ? table.tHead.rows[table.tHead.rows.length - 1] : null;
    var rows = [];
    if (head) rows.push(visibleCells(head).map(cellText));
    Array.prototype.forEach.call(table.querySelectorAll("tbody tr[data-row]"), function (tr) {
      if (!tr.hidden) rows.push(visibleCells(tr).map(cellText));
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
      form.addEventListener("input", function () { toUrl(form); apply(form); });
      form.addEventListener("change", function () { toUrl(form); apply(form); });
      form.addEventListener("reset", function () {
        window.setTimeout(function () { toUrl(form); apply(form); }, 0);
      });
      window.addEventListener("popstate", function () { fromUrl(form); apply(form); });
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
