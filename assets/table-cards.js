// Labels each cell of the app's tables (class hcp-table) with its column's heading, as
// data-label, for the phone layout of table-cards.css: at once and whenever rows change.
(function () {
  var pending = false;
  function label() {
    pending = false;
    document.querySelectorAll("table.hcp-table").forEach(function (table) {
      var heads = Array.prototype.map.call(
        table.querySelectorAll("thead th"),
        function (th) { return th.textContent.trim(); }
      );
      table.querySelectorAll("tbody tr").forEach(function (row) {
        Array.prototype.forEach.call(row.children, function (cell, i) {
          var text = heads[i] || "";
          if (cell.getAttribute("data-label") !== text) { cell.setAttribute("data-label", text); }
        });
      });
    });
  }
  function soon() {
    if (!pending) { pending = true; window.requestAnimationFrame(label); }
  }
  new MutationObserver(soon).observe(document.documentElement, { childList: true, subtree: true });
  soon();
})();
