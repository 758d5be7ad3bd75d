/* Facets of the cases index and the case × mechanism matrix (issue 17). Own code, served with the site.
   The page holds all the filter needs: the panel (templates/_blocks.html.j2, facet_panel), a fieldset per facet
   listing its values in order, and a row per case with its code in data-f (how it is written:
   casebook/facets.py). Values of one facet combine with "or" (mechanism, indicator: "and" with mode=all /
   imode=all), facets with "and". The count beside a value: cases matching every other facet that have it (in
   "and" mode: and every value already chosen there), i.e. what ticking it shows. The filters live in the URL
   (?province=吉林省&mechanism=a,b&mode=all), read on load and on back/forward, written on change (pushState).
   A page without [data-facets] is left alone. window.casebookFacets.apply(query) applies a query and returns
   {shown, ms}: the benchmark and the browser tests time the filter with it. */
(function () {
  "use strict";

  function decode(s) {
    try { return decodeURIComponent(s.replace(/\+/g, " ")); } catch (e) { return s; }
  }
  function encode(s) { return encodeURIComponent(s); }

  /* [[name, value], ...] of a query string, in order */
  function parseQuery(search) {
    return search.replace(/^\?/, "").split("&").filter(Boolean).map(function (part) {
      var eq = part.indexOf("=");
      return eq < 0 ? [decode(part), ""] : [decode(part.slice(0, eq)), decode(part.slice(eq + 1))];
    });
  }

  /* digits of the row code; a multi-valued facet's bitmask: six bits a digit, least significant first */
  var DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_";
  function unmask(code, n) {
    var flags = new Uint8Array(n), list = [];
    for (var j = 0; j < code.length; j++) {
      var d = DIGITS.indexOf(code.charAt(j));
      for (var b = 0; b < 6; b++) {
        if (d >> b & 1) { var k = 6 * j + b; if (k < n) { flags[k] = 1; list.push(k); } }
      }
    }
    return { flags: flags, list: list };
  }

  function init() {
    var root = document.querySelector("[data-facets]");
    if (!root || root.getAttribute("data-facets-ready")) return;
    root.setAttribute("data-facets-ready", "1");
    var panel = root.querySelector(".cb-facets");
    if (!panel) return;
    var status = root.querySelector(".cb-facet-status .cb-shown");

    /* a labelled checkbox for every value of the panel's lists (data-v: key|label|key|label...) */
    Array.prototype.forEach.call(panel.querySelectorAll("[data-v]"), function (list) {
      var parts = list.getAttribute("data-v").split("|");
      for (var k = 0; k + 1 < parts.length; k += 2) {
        var label = document.createElement("label"), box = document.createElement("input");
        box.type = "checkbox";
        box.value = parts[k];
        label.appendChild(box);
        label.appendChild(document.createTextNode(parts[k + 1]));
        list.appendChild(label);
      }
    });

    /* the facets, by their place in the row code */
    var facets = Array.prototype.map.call(root.querySelectorAll("fieldset[data-facet]"), function (fs) {
      var boxes = Array.prototype.slice.call(fs.querySelectorAll("input[type=checkbox]"));
      var f = {
        id: fs.getAttribute("data-facet"),
        slot: parseInt(fs.getAttribute("data-slot"), 10),
        multi: fs.hasAttribute("data-multi"),
        modeParam: fs.getAttribute("data-mode"),
        all: false,
        boxes: boxes,
        labels: boxes.map(function (b) { return b.closest("label"); }),
        counts: boxes.map(function (b) {
          var n = document.createElement("span");
          n.className = "cb-n";
          b.closest("label").appendChild(n);
          return n;
        }),
        shownCounts: boxes.map(function () { return -1; }),
        index: {},
        chosen: new Uint8Array(boxes.length),
        chosenList: [],
        radios: Array.prototype.slice.call(fs.querySelectorAll("input[type=radio]")),
        groups: Array.prototype.slice.call(fs.querySelectorAll("details"))
      };
      boxes.forEach(function (b, i) { f.index[b.value] = i; });
      return f;
    }).sort(function (a, b) { return a.slot - b.slot; });
    if (!facets.length) return;
    var byParam = {};
    facets.forEach(function (f) { byParam[f.id] = f; if (f.modeParam) byParam[f.modeParam] = f; });

    /* the rows, decoded once */
    facets.forEach(function (f) {  /* digits of a single-valued facet's index: enough for its largest */
      for (f.width = 1; f.boxes.length > Math.pow(64, f.width); f.width++) {}
    });
    var rows = Array.prototype.map.call(root.querySelectorAll("[data-f]"), function (el) {
      var parts = el.getAttribute("data-f").split(" "), at = 0, next = 1;
      var row = { el: el, v: [], list: [], shown: !el.hidden };
      facets.forEach(function (f, i) {
        if (f.multi) {
          var m = unmask(parts[next++] || "0", f.boxes.length);
          row.v[i] = m.flags;
          row.list[i] = m.list;
        } else {
          for (var n = 0, j = 0; j < f.width; j++) n = n * 64 + DIGITS.indexOf(parts[0].charAt(at++));
          row.v[i] = n;
        }
      });
      return row;
    });
    var groups = Array.prototype.map.call(root.querySelectorAll("[data-group]"), function (el) {
      var n = el.querySelector(".cb-gn");
      return { el: el, n: n, total: n ? parseInt(n.getAttribute("data-n"), 10) : 0,
               rows: rows.filter(function (r) { return el.contains(r.el); }) };
    });

    function matches(row, f, i) {
      var c = f.chosenList;
      if (!c.length) return true;
      if (!f.multi) return f.chosen[row.v[i]] === 1;
      var flags = row.v[i];
      for (var k = 0; k < c.length; k++) {
        if (flags[c[k]]) { if (!f.all) return true; }
        else if (f.all) return false;
      }
      return f.all;
    }
    function tally(counts, row, i) {
      if (facets[i].multi) { var l = row.list[i]; for (var k = 0; k < l.length; k++) counts[i][l[k]]++; }
      else counts[i][row.v[i]]++;
    }

    /* which rows match, and the count beside every value */
    function evaluate() {
      var counts = facets.map(function (f) { return new Int32Array(f.boxes.length); });
      var shown = 0, nf = facets.length;
      for (var r = 0; r < rows.length; r++) {
        var row = rows[r], fails = 0, failed = -1;
        for (var i = 0; i < nf && fails < 2; i++) {
          if (!matches(row, facets[i], i)) { fails++; failed = i; }
        }
        row.match = fails === 0;
        if (fails === 0) { shown++; for (i = 0; i < nf; i++) tally(counts, row, i); }
        else if (fails === 1 && !facets[failed].all) tally(counts, row, failed);
      }
      return { shown: shown, counts: counts };
    }

    function render(result) {
      rows.forEach(function (row) {
        if (row.shown !== row.match) { row.el.hidden = !row.match; row.shown = row.match; }
      });
      facets.forEach(function (f, i) {
        var c = result.counts[i];
        for (var k = 0; k < c.length; k++) {
          if (f.shownCounts[k] !== c[k]) { f.counts[k].textContent = String(c[k]); f.shownCounts[k] = c[k]; }
          var zero = c[k] === 0 && !f.chosen[k];
          if (f.labels[k].classList.contains("cb-zero") !== zero) f.labels[k].classList.toggle("cb-zero", zero);
        }
        f.groups.forEach(function (d) {
          var n = d.querySelectorAll("input:checked").length;
          var sel = d.querySelector(".cb-facet__sel");
          if (sel) sel.textContent = n ? "（已选 " + n + "）" : "";
        });
      });
      var filtered = facets.some(function (f) { return f.chosenList.length; });
      groups.forEach(function (g) {
        var n = 0;
        for (var k = 0; k < g.rows.length; k++) if (g.rows[k].match) n++;
        g.el.hidden = n === 0;
        if (g.n) g.n.textContent = (filtered ? n + " / " : "") + g.total + " 个案例";
      });
      if (status) status.textContent = String(result.shown);
    }

    function run() {
      var result = evaluate();
      render(result);
      return result;
    }

    /* state <-> the checkboxes and radios <-> the URL */
    function readBoxes() {
      facets.forEach(function (f) {
        f.chosenList = [];
        f.boxes.forEach(function (b, k) { f.chosen[k] = b.checked ? 1 : 0; if (b.checked) f.chosenList.push(k); });
        f.all = f.radios.some(function (r) { return r.checked && r.value === "all"; });
      });
    }
    function writeBoxes() {
      facets.forEach(function (f) {
        f.boxes.forEach(function (b, k) { b.checked = f.chosen[k] === 1; });
        f.radios.forEach(function (r) { r.checked = r.value === (f.all ? "all" : "any"); });
        f.groups.forEach(function (d) { if (d.querySelector("input:checked")) d.open = true; });
      });
    }
    var others = [];  /* parameters that are not ours, kept as they were */
    function fromQuery(search) {
      facets.forEach(function (f) { f.chosen.fill(0); f.chosenList = []; f.all = false; });
      others = [];
      parseQuery(search).forEach(function (pair) {
        var f = byParam[pair[0]];
        if (!f) { others.push(pair); return; }
        if (pair[0] === f.modeParam) { f.all = pair[1] === "all"; return; }
        pair[1].split(",").forEach(function (key) {
          var k = f.index[key];
          if (k !== undefined && !f.chosen[k]) f.chosen[k] = 1;  /* a value this library lacks is dropped */
        });
      });
      facets.forEach(function (f) {
        f.chosenList = [];
        for (var k = 0; k < f.chosen.length; k++) if (f.chosen[k]) f.chosenList.push(k);
      });
      writeBoxes();
    }
    function toQuery() {
      var parts = [];
      facets.forEach(function (f) {
        if (f.chosenList.length) {
          parts.push(f.id + "=" + f.chosenList.map(function (k) { return encode(f.boxes[k].value); }).join(","));
        }
        if (f.modeParam && f.all) parts.push(f.modeParam + "=all");
      });
      others.forEach(function (pair) { parts.push(encode(pair[0]) + (pair[1] ? "=" + encode(pair[1]) : "")); });
      return parts.length ? "?" + parts.join("&") : "";
    }
    function url() { return location.pathname + toQuery() + location.hash; }

    function changed() {
      readBoxes();
      run();
      var next = url();
      if (next !== location.pathname + location.search + location.hash) history.pushState(null, "", next);
    }
    panel.addEventListener("change", changed);
    var clear = panel.querySelector(".cb-clear");
    if (clear) {
      clear.addEventListener("click", function () {
        facets.forEach(function (f) {
          f.boxes.forEach(function (b) { b.checked = false; });
          f.radios.forEach(function (r) { r.checked = r.value === "any"; });
        });
        changed();
      });
    }
    window.addEventListener("popstate", function () { fromQuery(location.search); run(); });

    fromQuery(location.search);
    run();
    var normal = url();
    if (normal !== location.pathname + location.search + location.hash) history.replaceState(null, "", normal);
    panel.hidden = false;

    window.casebookFacets = {
      /* apply a query string (without touching the history) and return how many rows show and the time the
         filter took (ms): the matching, the counts and the changes to the page */
      apply: function (search) {
        var t = performance.now();
        if (search !== undefined) fromQuery(search); else readBoxes();
        var result = run();
        return { shown: result.shown, ms: performance.now() - t };
      },
      query: function () { return toQuery(); }
    };
  }

  if (window.document$ && window.document$.subscribe) { window.document$.subscribe(init); }
  else if (document.readyState !== "loading") { init(); }
  else { document.addEventListener("DOMContentLoaded", init); }
})();
