/* Sortable comparison tables: click a header to sort rows by that column.
   Numbers sort by the cell's data-value (the cited value); empty cells (not reported) go last.
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
  function init() {
    document.querySelectorAll(".sortable table").forEach(function (table) {
      var heads = table.querySelectorAll("thead th");
      heads.forEach(function (th, col) {
        th.setAttribute("role", "button");
        th.setAttribute("tabindex", "0");
        th.setAttribute("aria-sort", "none");
        th.title = "点击排序";
        function sort() {
          var dir = th.getAttribute("aria-sort") === "descending" ? 1 : -1;
          heads.forEach(function (h) { h.setAttribute("aria-sort", "none"); });
          th.setAttribute("aria-sort", dir === 1 ? "ascending" : "descending");
          var body = table.tBodies[0];
          var rows = Array.prototype.slice.call(body.rows);
          rows.sort(function (r1, r2) { return compare(key(r1.cells[col]), key(r2.cells[col]), dir); });
          rows.forEach(function (r) { body.appendChild(r); });
        }
        th.addEventListener("click", sort);
        th.addEventListener("keydown", function (e) { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); sort(); } });
      });
    });
  }
  if (window.document$ && window.document$.subscribe) { window.document$.subscribe(init); }
  else if (document.readyState !== "loading") { init(); }
  else { document.addEventListener("DOMContentLoaded", init); }
})();
