// Bangfu: the little script the pages need besides htmx. Written for this project.
(function () {
  "use strict";
  // <form data-confirm="…">: ask before submitting (deleting a row).
  document.addEventListener("submit", function (event) {
    var message = event.target.getAttribute && event.target.getAttribute("data-confirm");
    if (message && !window.confirm(message)) {
      event.preventDefault();
    }
  }, true);

  // Tables on a phone (app.css, max-width 640px): each row of a `table.data` becomes a card, each
  // cell led by its column's name. The names are copied here from the header row into `data-label`
  // (so that templates need not repeat them), and the table keeps its roles for screen readers
  // once CSS has changed its display.
  function headerLabels(table) {
    var rows = table.tHead ? table.tHead.rows : [];
    var labels = [];
    if (!rows.length) { return labels; }
    var cells = rows[rows.length - 1].cells;
    for (var i = 0; i < cells.length; i++) {
      var text = (cells[i].textContent || "").replace(/\s+/g, " ").trim();
      for (var span = cells[i].colSpan || 1; span > 0; span--) { labels.push(text); }
    }
    return labels;
  }

  function labelTable(table) {
    if (table.getAttribute("data-cards") === "done") { return; }
    var labels = headerLabels(table);
    table.setAttribute("role", "table");
    var groups = table.querySelectorAll(":scope > thead, :scope > tbody, :scope > tfoot");
    for (var g = 0; g < groups.length; g++) { groups[g].setAttribute("role", "rowgroup"); }
    for (var r = 0; r < table.rows.length; r++) {
      var row = table.rows[r];
      row.setAttribute("role", "row");
      var inHead = row.parentNode && row.parentNode.tagName === "THEAD";
      for (var c = 0, col = 0; c < row.cells.length; c++) {
        var cell = row.cells[c];
        if (inHead) {
          cell.setAttribute("role", "columnheader");
        } else {
          cell.setAttribute("role", cell.tagName === "TH" ? "rowheader" : "cell");
          if (labels[col] && cell.colSpan < labels.length && !cell.hasAttribute("data-label")) {
            cell.setAttribute("data-label", labels[col]);
          }
        }
        col += cell.colSpan || 1;
      }
    }
    table.setAttribute("data-cards", "done");
  }

  // A table that still scrolls sideways (wider than a desktop screen) can be reached by keyboard.
  function focusableScroll(wrap) {
    if (wrap.scrollWidth > wrap.clientWidth + 1) {
      if (!wrap.hasAttribute("tabindex")) {
        wrap.setAttribute("tabindex", "0");
        var card = wrap.closest("section, .card");
        var heading = card && card.querySelector("h2, h3");
        wrap.setAttribute("role", "region");
        if (heading && !wrap.hasAttribute("aria-label")) { wrap.setAttribute("aria-label", heading.textContent.trim()); }
      }
    }
  }

  function enhance(root) {
    var scope = root && root.querySelectorAll ? root : document;
    var tables = scope.querySelectorAll("table.data");
    for (var i = 0; i < tables.length; i++) { labelTable(tables[i]); }
    if (scope.matches && scope.matches("table.data")) { labelTable(scope); }
    var wraps = scope.querySelectorAll(".table-wrap");
    for (var j = 0; j < wraps.length; j++) { focusableScroll(wraps[j]); }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { enhance(document); });
  } else {
    enhance(document);
  }
  document.addEventListener("htmx:load", function (event) { enhance(event.target); });
})();
