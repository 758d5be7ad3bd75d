/* Sortable comparison tables: click a header's button to sort rows by that column.
   Numbers sort by the cell's data-value (the cited value); empty cells (not reported) go last.
   Each header stays a column header (th) and holds a <button>, so it is a Tab stop announced as a button;
   aria-sort on the th says how the table is sorted. A column of numbers sorts largest first on the first click,
   a column of text (city names) in ascending (pinyin) order; the next click reverses.
   Own code, served with the site: nothing is fetched from another host. */
(function () {
  function key(cell) {
    var el = cell.querySelector("[data-value]");
    if (el) return { num: parseFloat(el.getAttribute("data-value")) };
    var text = cell.textContent.trim();
    if (text === "" || text === "–") return { empty: true };
    return { text: text };
  }
  function compare(a, b, dir) {
    if (a.empty || b.empty) return (a.empty ? 1 : 0) - (b.empty ? 1 : 0);
    if (a.num !== undefined && b.num !== undefined) return dir * (a.num - b.num);
    return dir * String(a.text || a.num).localeCompare(String(b.text || b.num), "zh-Hans-CN-u-co-pinyin");
  }
  function numeric(table, col) {
    return Array.prototype.some.call(table.tBodies[0].rows, function (r) {
      return r.cells[col] && r.cells[col].querySelector("[data-value]");
    });
  }
  function init() {
    document.querySelectorAll(".sortable table").forEach(function (table) {
      if (!table.tBodies[0] || table.querySelector("thead th > button.cb-sort")) return;
      var heads = table.querySelectorAll("thead th");
      heads.forEach(function (th, col) {
        var first = numeric(table, col) ? "descending" : "ascending";
        var button = document.createElement("button");
        button.type = "button";
        button.className = "cb-sort";
        button.title = "点击排序";
        while (th.firstChild) button.appendChild(th.firstChild);
        th.appendChild(button);
        th.setAttribute("aria-sort", "none");
        function sort() {
          var now = th.getAttribute("aria-sort");
          var next = now === first ? (first === "ascending" ? "descending" : "ascending") : first;
          var dir = next === "ascending" ? 1 : -1;
          heads.forEach(function (h) { h.setAttribute("aria-sort", "none"); });
          th.setAttribute("aria-sort", next);
          var body = table.tBodies[0];
          var rows = Array.prototype.slice.call(body.rows);
          rows.sort(function (r1, r2) { return compare(key(r1.cells[col]), key(r2.cells[col]), dir); });
          rows.forEach(function (r) { body.appendChild(r); });
        }
        button.addEventListener("click", sort);
      });
    });
  }
  if (window.document$ && window.document$.subscribe) { window.document$.subscribe(init); }
  else if (document.readyState !== "loading") { init(); }
  else { document.addEventListener("DOMContentLoaded", init); }
})();
