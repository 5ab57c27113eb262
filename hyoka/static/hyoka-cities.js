/* 評価書ポータル: the city picker (home page and municipalities/, hyoka/templates/lists.html city_picker).
 *
 * Without JavaScript the picker is a plain list of links by prefecture.  With it, a filter box appears: what
 * one types (NFKC, case-insensitive) narrows the list to the municipalities whose name, prefecture, 団体コード
 * or URL name contains it; prefectures left empty are hidden; the count is announced (role=status).  Enter
 * opens the municipality when exactly one is left.  On municipalities/ the filter lives in the URL (?q=…).
 * Text is only ever compared and set as text.
 */
(function () {
  "use strict";

  function norm(s) {
    return (s || "").normalize("NFKC").toLowerCase().replace(/\s+/g, " ").trim();
  }

  function setup(root) {
    var form = root.querySelector(".hy-city-filter");
    var input = form && form.querySelector("input");
    var status = root.querySelector(".hy-city-count");
    var none = root.querySelector(".hy-city-none");
    if (!form || !input) return;
    var inUrl = root.classList.contains("hy-cities--detailed");
    var items = Array.prototype.map.call(root.querySelectorAll("li[data-hy-match]"), function (li) {
      return { li: li, key: norm(li.getAttribute("data-hy-match")), link: li.querySelector("a") };
    });
    var groups = Array.prototype.slice.call(root.querySelectorAll(".hy-pref"));

    function apply(pushUrl) {
      var terms = norm(input.value).split(" ").filter(Boolean);
      var shown = [];
      items.forEach(function (it) {
        var ok = terms.every(function (t) { return it.key.indexOf(t) >= 0; });
        it.li.hidden = !ok;
        if (ok) shown.push(it);
      });
      groups.forEach(function (g) {
        g.hidden = !g.querySelector("li[data-hy-match]:not([hidden])");
      });
      if (none) none.hidden = shown.length > 0;
      if (status) {
        status.textContent = terms.length ? items.length + " 団体中 " + shown.length + " 団体" : items.length + " 団体";
      }
      if (inUrl && pushUrl && window.history && history.replaceState) {
        var url = new URL(window.location.href);
        if (input.value) url.searchParams.set("q", input.value); else url.searchParams.delete("q");
        history.replaceState(null, "", url.pathname + url.search + url.hash);
      }
      return shown;
    }

    form.hidden = false;
    if (inUrl) {
      var q = new URLSearchParams(window.location.search).get("q");
      if (q) input.value = q;
    }
    input.addEventListener("input", function () { apply(true); });
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var shown = apply(true);
      if (shown.length === 1 && shown[0].link) window.location.href = shown[0].link.href;
    });
    apply(false);
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-hy-cities]"), setup);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
