// baotinh's pages work without this script; it only adds conveniences:
// the legend's switches on the article page, a flash on the mark a fact
// points to, "/" to focus the search box, and a crawl page that refreshes
// itself while a crawl runs. No inline script anywhere (CSP).
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  var text = document.getElementById("text");
  if (text) {
    text.querySelectorAll(".legend input[data-kind]").forEach(function (box) {
      box.addEventListener("change", function () {
        text.classList.toggle("hide-" + box.dataset.kind, !box.checked);
      });
    });
  }
  function flash(id) {
    var anchor = document.getElementById(id);
    if (!anchor) return;
    var mark = anchor.nextElementSibling;
    while (mark && mark.classList.contains("anchor")) mark = mark.nextElementSibling;
    if (!mark) return;
    mark.classList.add("flash");
    setTimeout(function () { mark.classList.remove("flash"); }, 1600);
  }
  document.querySelectorAll("a[data-mark]").forEach(function (a) {
    a.addEventListener("click", function () { flash(a.dataset.mark); });
  });
  if (location.hash.length > 1) flash(location.hash.slice(1));
  document.addEventListener("keydown", function (e) {
    if (e.key !== "/" || e.ctrlKey || e.metaKey || e.altKey) return;
    var t = e.target.tagName;
    if (t === "INPUT" || t === "TEXTAREA" || t === "SELECT") return;
    var q = document.querySelector("input[type=search]");
    if (q) { e.preventDefault(); q.focus(); q.select(); }
  });
  var running = document.getElementById("running");
  if (running && running.dataset.running === "1") {
    setTimeout(function () { location.reload(); }, 5000);
  }
});
