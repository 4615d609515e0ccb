// monitord web UI: progressive enhancement only. Every page works without
// this file (the filters are plain GET forms, folded sections plain
// <details>). Loaded as an external file so the CSP needs no inline script.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  // Filters apply as soon as a select changes.
  document.querySelectorAll("select.autosubmit").forEach(function (sel) {
    sel.addEventListener("change", function () { if (sel.form) { sel.form.submit(); } });
  });
  // On a diff page, "e" unfolds or folds every unchanged section.
  document.addEventListener("keydown", function (ev) {
    if (ev.key !== "e" || ev.target.closest("input, select, textarea")) { return; }
    var all = document.querySelectorAll("details.dv-unchanged");
    var open = Array.prototype.some.call(all, function (d) { return !d.open; });
    all.forEach(function (d) { d.open = open; });
  });
});
