// Keyboard shortcuts for the review queue. Loaded from a file (no inline script: the
// Content-Security-Policy forbids it). Without JavaScript every action is a plain button.
(function () {
  "use strict";

  var DECISION_KEYS = { r: "recycled", n: "not_same", l: "legitimate", u: "reopen" };

  function cards() {
    return Array.prototype.slice.call(document.querySelectorAll("article.card"));
  }

  function current() {
    return document.querySelector("article.card.current");
  }

  // scroll: "card" brings the card to the top, "none" leaves the page where it is,
  // "click" neither scrolls nor moves the focus away from what was clicked.
  function select(card, scroll) {
    if (!card) { return; }
    cards().forEach(function (c) { c.classList.remove("current"); c.removeAttribute("aria-current"); });
    card.classList.add("current");
    card.setAttribute("aria-current", "true");
    if (scroll === "click") { return; }
    card.focus({ preventScroll: true });
    if (scroll !== "none") { card.scrollIntoView({ block: "start" }); }
  }

  function move(step) {
    var all = cards();
    if (all.length === 1) {
      var link = document.querySelector(step > 0 ? "a[rel=next]" : "a[rel=prev]");
      if (link) { window.location.assign(link.href); }
      return;
    }
    var index = all.indexOf(current());
    var target = all[Math.min(all.length - 1, Math.max(0, index + step))];
    if (target) { select(target); return; }
    var page = document.querySelector(step > 0 ? "nav.pages a[rel=next]" : "nav.pages a[rel=prev]");
    if (page) { window.location.assign(page.href); }
  }

  function decide(decision) {
    var card = current();
    if (!card) { return; }
    var button = card.querySelector('form.decision button[value="' + decision + '"]');
    if (button && !button.disabled) { button.click(); }
  }

  function typing(target) {
    return target && (target.tagName === "TEXTAREA" || target.tagName === "INPUT" ||
      target.tagName === "SELECT" || target.isContentEditable);
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) { return; }
    if (typing(event.target)) {
      if (event.key === "Escape") { event.target.blur(); select(current(), "none"); }
      return;
    }
    var key = event.key;
    if (key === "j") { move(1); } else if (key === "k") { move(-1); } else if (DECISION_KEYS[key]) {
      decide(DECISION_KEYS[key]);
    } else if (key === "e") {
      var note = current() && current().querySelector("textarea[name=note]");
      if (note) { note.focus(); }
    } else if (key === "o") {
      var open = current() && current().querySelector(".card-head h2 a");
      if (open) { window.location.assign(open.href); }
    } else { return; }
    event.preventDefault();
  });

  // One submission per click: a second key press must not record a second verdict.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    window.setTimeout(function () {
      form.querySelectorAll("button").forEach(function (b) { b.disabled = true; });
    }, 0);
  });

  document.addEventListener("click", function (event) {
    var card = event.target.closest && event.target.closest("article.card");
    if (card && !card.classList.contains("current")) { select(card, "click"); }
  });

  document.addEventListener("DOMContentLoaded", function () {
    var fromHash = window.location.hash && document.getElementById(window.location.hash.slice(1));
    if (fromHash && fromHash.matches("article.card")) {
      select(fromHash, "card");
    } else if (cards().length) {
      select(cards()[0], "none");  // the page opens at its top, filters in view
    }
  });
}());
