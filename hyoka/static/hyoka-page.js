/* 評価書ポータル: folds and permalinks on every page (hyoka.assets.EVERY_PAGE_JS).

   - The assessment page prints each section's block as <details class="hy-fold" open data-hy-fold>: open in
     the HTML, so a reader without JavaScript has the whole form.  This script folds them, and opens every
     <details> that encloses the target of the address's #anchor — on load, on hashchange and when a link to
     an anchor in the page is followed (also one to the current #anchor, which fires no hashchange) — then
     scrolls the target into view.
   - ¶ (our .hy-permalink and Material's .headerlink) copies the item's full address to the clipboard and
     says so (「リンクをコピーしました」, visible and announced by an aria-live region); the link still jumps.
*/
(function () {
  "use strict";

  function targetOf(hash) {
    if (!hash || hash.length < 2) return null;
    var id;
    try { id = decodeURIComponent(hash.slice(1)); } catch (e) { id = hash.slice(1); }
    return document.getElementById(id);
  }

  // Open every <details> around el (and el itself if it is one), and the fold under a heading (a section's
  // heading stays outside its fold, for the table of contents); true if one was closed.
  function openAround(el) {
    var opened = false;
    for (var n = el; n; n = n.parentElement) {
      if (n.tagName === "DETAILS" && !n.open) { n.open = true; opened = true; }
    }
    var next = /^H[1-6]$/.test(el.tagName) ? el.nextElementSibling : null;
    if (next && next.matches("details[data-hy-fold]") && !next.open) { next.open = true; opened = true; }
    return opened;
  }

  function reveal(hash, scroll) {
    var el = targetOf(hash);
    if (!el) return;
    var opened = openAround(el);
    if (opened || scroll) el.scrollIntoView({ block: "start" });
  }

  // Fold the form's sections, except the one the address points into.
  var folds = document.querySelectorAll("details[data-hy-fold]");
  for (var i = 0; i < folds.length; i++) folds[i].open = false;
  document.documentElement.classList.add("hy-js");
  if (location.hash) reveal(location.hash, true);

  window.addEventListener("hashchange", function () { reveal(location.hash, true); });

  // The confirmation of a copied link: one polite live region, shown for a few seconds.
  var status = null, timer = 0;
  function say(text) {
    if (!status) {
      status = document.createElement("div");
      status.className = "hy-toast";
      status.setAttribute("role", "status");
      status.setAttribute("aria-live", "polite");
      document.body.appendChild(status);
    }
    status.textContent = text;
    status.classList.add("is-shown");
    clearTimeout(timer);
    timer = setTimeout(function () { status.classList.remove("is-shown"); }, 4000);
  }

  function copy(text) {
    if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(text);
    return new Promise(function (resolve, reject) {  // file:// or plain http on another host
      var t = document.createElement("textarea");
      t.value = text;
      t.setAttribute("readonly", "");
      t.style.position = "fixed";
      t.style.opacity = "0";
      document.body.appendChild(t);
      t.select();
      var ok = false;
      try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
      document.body.removeChild(t);
      if (ok) resolve(); else reject(new Error("copy"));
    });
  }

  document.addEventListener("click", function (ev) {
    if (ev.defaultPrevented || ev.button !== 0 || ev.metaKey || ev.ctrlKey || ev.shiftKey || ev.altKey) return;
    var a = ev.target.closest ? ev.target.closest("a[href^='#']") : null;
    if (!a) return;
    var hash = a.getAttribute("href");
    // a link into a folded part: open it first, then let the browser jump
    var el = targetOf(hash);
    if (el) {
      openAround(el);
      if (hash === location.hash) el.scrollIntoView({ block: "start" });
    }
    if (a.classList.contains("hy-permalink") || a.classList.contains("headerlink")) {
      var url = location.href.split("#")[0] + hash;
      copy(url).then(
        function () { say("リンクをコピーしました：" + url); },
        function () { say("リンクをコピーできませんでした。アドレス欄からコピーしてください：" + url); }
      );
    }
  });
}());
