/* 評価書ポータル: the explanation of a form term (hyoka.glossary) on an assessment page.
   Hover and keyboard focus show it with CSS alone (a.hy-term::after, from data-tip).  This script adds:
   a first tap on a touch screen opens it instead of following the link (a second tap follows it);
   Escape closes it; near the right edge it opens to the left.  Without this script a term is a link
   to its glossary entry. */
(function () {
  "use strict";
  var lastPointer = "";
  document.addEventListener("pointerdown", function (e) { lastPointer = e.pointerType || ""; }, true);

  function place(a) {
    var r = a.getBoundingClientRect();
    var room = document.documentElement.clientWidth - r.left;
    a.classList.toggle("is-flip", room < Math.min(352, window.innerWidth * 0.7) + 16);
  }
  function closeAll(except) {
    var open = document.querySelectorAll("a.hy-term.is-open");
    for (var i = 0; i < open.length; i++) {
    }
  }
  document.addEventListener("click", function (e) {
    var a = e.target.closest ? e.target.closest("a.hy-term") : null;
    if (!a) { closeAll(null); return; }
    if (lastPointer === "touch" && !a.classList.contains("is-open")) {
      e.preventDefault();
      closeAll(a);
      place(a);
      a.classList.remove("is-closed");
      a.classList.add("is-open");
    }
  });
  document.addEventListener("mouseover", function (e) {
    var a = e.target.closest ? e.target.closest("a.hy-term") : null;
    if (a) { place(a); }
  });
  document.addEventListener("focusin", function (e) {
    var a = e.target;
    if (a && a.classList && a.classList.contains("hy-term")) { place(a); a.classList.remove("is-closed"); }
  });
  document.addEventListener("focusout", function (e) {
    var a = e.target;
    if (a && a.classList && a.classList.contains("hy-term")) { a.classList.remove("is-open"); a.classList.remove("is-closed"); }
  });
  document.addEventListener("keydown", function (e) {
    if (e.key !== "Escape") { return; }
    var a = document.activeElement;
    if (a && a.classList && a.classList.contains("hy-term")) { a.classList.add("is-closed"); }
    var hovered = document.querySelectorAll("a.hy-term:hover");
    for (var i = 0; i < hovered.length; i++) { hovered[i].classList.add("is-closed"); }
    closeAll(null);
  });
  document.addEventListener("mouseout", function (e) {
    var a = e.target.closest ? e.target.closest("a.hy-term") : null;
    if (a && !a.contains(e.relatedTarget)) { a.classList.remove("is-closed"); }
  });
})();
