/*
 * Review queue: a "select all on this page" box for each bulk-approval form. Each
 * box names its form in data-select-all; ticking it ticks every row checkbox that
 * belongs to that form. Without this script the rows are ticked one by one.
 */
(function () {
  "use strict";

  function rowsOf(formId) {
    return Array.prototype.slice.call(
      document.querySelectorAll('input[type="checkbox"][name="item"][form="' + formId + '"]')
    );
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-select-all]"), function (box) {
      var formId = box.getAttribute("data-select-all");
      box.hidden = false;
      if (box.labels && box.labels[0]) {
        box.labels[0].hidden = false;
      }
      box.addEventListener("change", function () {
        rowsOf(formId).forEach(function (row) {
          row.checked = box.checked;
        });
      });
      rowsOf(formId).forEach(function (row) {
        row.addEventListener("change", function () {
          box.checked = rowsOf(formId).every(function (r) { return r.checked; });
        });
      });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
