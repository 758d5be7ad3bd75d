/* The pick-and-compare view (issue 17): the page with #cb-sbs, side-by-side/?c=a,b[,c,d]. Loaded by pick.js on that
   page only, with its helpers (window.casebookPick.api).

   The URL, not the reader's selection, says which cases are shown, so a shared link shows the same cases in a
   fresh browser. It loads each case's data file (side-by-side/data/<id>.json, written by casebook.side_by_side)
   and shows the cases in columns, in the URL's order: metadata, a row per mechanism any of them reports, and the
   indicators at least two of them report, with comparability flags computed for the chosen set by the rules of
   casebook.compare.build_column (ported below; a test checks the two agree). Editors' text only ever reaches the
   page through textContent. */
(function () {
  "use strict";

  var api = (window.casebookPick || {}).api;
  if (!api) return;
  var ID = api.ID;
  var MAX = api.MAX;
  var MIN = api.MIN;
  var append = api.append;
  var cityOf = api.cityOf;
  var dataUrl = api.dataUrl;
  var el = api.el;
  var load = api.load;
  var names = api.names;
  var save = api.save;
  var say = api.say;
  var siteHref = api.siteHref;
  var viewHref = api.viewHref;

  // ---- the comparability rules of casebook.compare (build_column, _own_reasons, _mode) -------------------

  /* What the value is, whatever its column: derived, projected, a bound or an approximation. */
  function ownReasons(v) {
    if (v.derived) return ["推算值：来源没有直接陈述这个数"];
    if (v.qualifier === "projected") return ["预计值（" + v.shown + "），不是已实现的数"];
    if (v.qualifier === "more_than" || v.qualifier === "at_least") return ["下限（" + v.shown + "）：实际数不低于此"];
    if (v.qualifier === "less_than" || v.qualifier === "at_most") return ["上限（" + v.shown + "）：实际数不高于此"];
    if (v.qualifier === "about") return ["约数（" + v.shown + "）"];
    return [];
  }

  /* The most common item; a tie goes to the one that comes first in `order`. */
  function mode(items, order) {
    var counts = {};
    var seen = [];
    items.forEach(function (x) {
      if (!(x in counts)) { counts[x] = 0; seen.push(x); }
      counts[x] += 1;
    });
    var best = null;
    seen.forEach(function (x) {
      if (best === null || counts[x] > counts[best] || (counts[x] === counts[best] && order.indexOf(x) < order.indexOf(best))) best = x;
    });
    return best;
  }

  function addOnce(items, item) { if (items.indexOf(item) < 0) items.push(item); }

  /* One indicator across the chosen cases: entries [{id: case id, v: value}] in the order of the chosen cases.
     Returns {cells: [{id, values, reasons}] in that order, varies: what differs within the column}. */
  function buildColumn(indicatorUnit, entries, rules) {
    var order = rules.levels.map(function (l) { return l[0]; });
    var levelZh = {};
    rules.levels.forEach(function (l) { levelZh[l[0]] = l[1]; });
    var cells = [];
    var byId = {};
    entries.forEach(function (e) {
      if (!byId[e.id]) { byId[e.id] = { id: e.id, values: [], reasons: [] }; cells.push(byId[e.id]); }
      byId[e.id].values.push(e.v);
    });
    var levels = entries.map(function (e) { return e.v.level; });
    var usual = levels.length ? mode(levels, order) : "city";
    var years = entries.map(function (e) { return e.v.year; })
      .filter(function (y) { return y !== null && y !== undefined; })
      .sort(function (a, b) { return a - b; });
    var median = years.length ? years[Math.floor((years.length - 1) / 2)] : null;
    var varies = [];
    cells.forEach(function (cell) {
      var reasons = [];
      cell.values.forEach(function (v) {
        if (v.level !== usual) {
          reasons.push("统计层级不同：本格为" + levelZh[v.level] + "（" + v.scope_full + "），本列多为" + levelZh[usual]);
          addOnce(varies, "统计层级");
        }
        if (!v.convertible) {
          reasons.push("单位为“" + v.value_unit + "”，不能换算为本列的“" + indicatorUnit + "”");
          addOnce(varies, "单位");
        }
        var year = v.year === undefined ? null : v.year;
        if (year === null && median !== null) {
          reasons.push("时间不明：来源既未注明时间，也无发表日期");
          addOnce(varies, "年份");
        } else if (year === null && cells.length > 1) {
          addOnce(varies, "年份（各值均不明）");
        } else if (year !== null && median !== null && Math.abs(year - median) > rules.year_gap) {
          var how = v.year_stated ? "" : "（未注明时间，按发表年份）";
          reasons.push("年份相差" + Math.abs(year - median) + "年：本格为" + year + "年" + how + "，本列中位为" + median + "年");
          addOnce(varies, "年份");
        }
        ownReasons(v).forEach(function (r) {
          reasons.push(r);
          addOnce(varies, r.split("（")[0].split("：")[0]);
        });
      });
      if (cell.values.length > 1) reasons.push("该市有多个范围的数值，各注其范围");
      cell.reasons = reasons.filter(function (r, i) { return reasons.indexOf(r) === i; });
    });
    return { cells: cells, varies: varies };
  }
  // ---- the view ----------------------------------------------------------------------------------------

  function sourceText(c, text) {
    return c.source.script === "zh-Hant" ? el("span", { lang: "zh-Hant", text: text }) : document.createTextNode(text);
  }

  function link(path, text, attrs) {
    var href = siteHref(path);
    var a = el("a", Object.assign({ href: href }, attrs || {}));
    append(a, text);
    return a;
  }

  function scroll(label, table) {
    return el("div", { "class": "cb-scroll cb-sbs-scroll", tabindex: "0", role: "region", "aria-label": label + "（表格可左右滚动）" }, table);
  }

  function headRow(cases, corner) {
    return el("thead", null, el("tr", null,
      el("th", { scope: "col", text: corner }),
      cases.map(function (c) { return el("th", { scope: "col", "data-case": c.id }, link(c.links.case, c.city)); })));
  }

  function printAddress(path) {
    var href = siteHref(path);
    return el("span", { "class": "print-only cb-sbs-address", text: href ? new URL(href, location.href).href : "" });
  }

  function metaTable(cases) {
    var rows = [
      ["城市", function (c) { return [link(c.links.case, c.city), " ", el("small", { lang: "en", text: c.city_en }), printAddress(c.links.case)]; }],
      ["省区", function (c) { return c.province; }],
      ["行政级别", function (c) { return c.level + (c.parent ? "，属" + c.parent : ""); }],
      ["来源标题", function (c) { return c.source.title ? sourceText(c, c.source.title) : "文本未注明"; }],
      ["作者", function (c) { return c.source.author ? c.source.author + (c.source.author_role ? "（" + c.source.author_role + "）" : "") : "文本未注明"; }],
      ["刊发", function (c) { return (c.source.outlet || "文本未注明") + (c.source.edition ? "，" + c.source.edition : ""); }],
      ["日期", function (c) { return c.source.published || "文本未注明"; }],
      ["文字", function (c) { return c.source.script_zh + "（" + c.source.script + "）"; }],
      ["存档原文", function (c) { return [link(c.links.source, "查看原文与引文位置", { "class": "source-link" }), printAddress(c.links.source)]; }],
      ["引用数值", function (c) { return c.n_values + " 个"; }],
    ];
    var body = el("tbody", null, rows.map(function (row) {
      return el("tr", null, el("th", { scope: "row", text: row[0] }), cases.map(function (c) { return el("td", { "data-case": c.id }, row[1](c)); }));
    }));
    return scroll("基本信息", el("table", { "class": "cb-sbs-table cb-sbs-meta" }, headRow(cases, "项目"), body));
  }

  function mechanismTable(cases) {
    var rows = {};
    var list = [];
    cases.forEach(function (c) {
      c.mechanisms.forEach(function (m) {
        if (!rows[m.id]) { rows[m.id] = { id: m.id, name: m.name, order: m.order, href: m.href.split("#")[0], tags: {} }; list.push(rows[m.id]); }
        rows[m.id].tags[c.id] = m;
      });
    });
    list.sort(function (a, b) { return a.order - b.order || (a.id < b.id ? -1 : 1); });
    if (!list.length) return el("p", { text: "所选案例都没有报告机制。" });
    var body = el("tbody", null, list.map(function (row) {
      var n = Object.keys(row.tags).length;
      return el("tr", { "data-mechanism": row.id },
        el("th", { scope: "row" }, link(row.href, row.name), el("span", { "class": "cb-sbs-count", text: n + "/" + cases.length + " 个案例报告" })),
        cases.map(function (c) {
          var t = row.tags[c.id];
          if (!t) return el("td", { "data-case": c.id }, el("span", { "class": "not-reported", text: "来源未报告" }));
          return el("td", { "data-case": c.id },
            el("p", { "class": "cb-sbs-local" },
              el("span", { "class": "evidence evidence-" + t.evidence, title: t.evidence_text, "aria-hidden": "true", text: t.mark }),
              el("span", { "class": "cb-visually-hidden", text: "（" + t.evidence_text + "）" }),
              " ", el("strong", null, sourceText(c, t.local_name))),
            el("blockquote", { "class": "cb-sbs-quotes" }, t.quotes.map(function (q) {
              return el("p", null, sourceText(c, q.text),
                el("span", { "class": "quote-cite" }, "—— ", link(q.href, c.city + " ¶" + q.paragraph)));
            })),
            el("p", { "class": "cb-sbs-more-link" }, link(t.href, "机制页上的证据")));
        }));
    }));
    return scroll("机制", el("table", { "class": "cb-sbs-table cb-sbs-mechanisms" }, headRow(cases, "机制"), body));
  }

  /* Indicators by key: {key, name, unit, group, group_name, group_order, order, compare, values: {case id: [v]}}. */
  function indicators(cases) {
    var by = {};
    var list = [];
    cases.forEach(function (c) {
      c.values.forEach(function (v) {
        if (!by[v.key]) {
          by[v.key] = { key: v.key, name: v.name, unit: v.indicator_unit, group: v.group, group_name: v.group_name, group_order: v.group_order, order: v.order, compare: v.compare, values: {}, n: 0 };
          list.push(by[v.key]);
        }
        var ind = by[v.key];
        if (!ind.values[c.id]) { ind.values[c.id] = []; ind.n += 1; }
        ind.values[c.id].push(v);
      });
    });
    list.sort(function (a, b) { return a.group_order - b.group_order || a.order - b.order; });
    return list;
  }

  function valueBlock(c, v) {
    var first = v.cites.length ? v.cites[0].href : v.page;
    return el("div", { "class": "cb-sbs-value" },
      link(first, v.text, { "class": "cited-value", "data-value": String(v.value) }),
      v.unit ? " " + v.unit : "",
      el("span", { "class": "cell-when", text: v.when + "；" + v.scope }),
      el("span", { "class": "print-cite", text: "（" + v.cite_label + "）" }),
      v.note ? el("span", { "class": "cb-sbs-note" }, el("strong", { text: "编者注：" }), v.note) : null);
  }

  function indicatorTable(cases, shared, rules) {
    var body = el("tbody");
    var group = null;
    shared.forEach(function (ind) {
      if (ind.group !== group) {
        group = ind.group;
        body.appendChild(el("tr", { "class": "cb-sbs-group" }, el("th", { scope: "colgroup", colspan: String(cases.length + 1), text: ind.group_name })));
      }
      var entries = [];
      cases.forEach(function (c) { (ind.values[c.id] || []).forEach(function (v) { entries.push({ id: c.id, v: v }); }); });
      var column = buildColumn(ind.unit, entries, rules);
      var cells = {};
      column.cells.forEach(function (cell) { cells[cell.id] = cell; });
      var head = el("th", { scope: "row" }, link(ind.compare, ind.name), "（" + ind.unit + "）");
      if (column.varies.length) head.appendChild(el("span", { "class": "col-varies", text: "本列差异：" + column.varies.join("、") }));
      body.appendChild(el("tr", { "data-indicator": ind.key }, head, cases.map(function (c) {
        var cell = cells[c.id];
        if (!cell) return el("td", { "data-case": c.id }, el("span", { "class": "not-reported", text: "来源未报告" }));
        return el("td", { "data-case": c.id, "class": cell.reasons.length ? "cb-sbs-flagged" : null },
          cell.values.map(function (v) { return valueBlock(c, v); }),
          cell.reasons.length ? el("ul", { "class": "cb-sbs-flags", "aria-label": "比较提示" }, cell.reasons.map(function (r) {
            return el("li", null, el("span", { "class": "flag", "aria-hidden": "true", text: "⚠" }), el("span", { "class": "cb-sbs-reason", text: r }));
          })) : null);
      })));
    });
    return scroll("共同指标", el("table", { "class": "cb-sbs-table cb-sbs-indicators" }, headRow(cases, "指标"), body));
  }

  function othersBlock(cases, others) {
    var wrap = el("div", { "class": "cb-sbs-others cb-collapsed" });
    var panel = el("div", { "class": "cb-sbs-others__list", id: "cb-sbs-others-list" });
    var button = el("button", { type: "button", "class": "cb-sbs-toggle", "aria-expanded": "false", "aria-controls": "cb-sbs-others-list", text: "显示这 " + others.length + " 项指标" });
    button.addEventListener("click", function () {
      var open = button.getAttribute("aria-expanded") !== "true";
      button.setAttribute("aria-expanded", open ? "true" : "false");
      button.textContent = (open ? "收起这 " : "显示这 ") + others.length + " 项指标";
      wrap.classList.toggle("cb-collapsed", !open);
    });
    cases.forEach(function (c) {
      var mine = others.filter(function (ind) { return ind.values[c.id]; });
      if (!mine.length) return;
      panel.appendChild(el("h3", null, c.city, el("small", { text: " 只有本案例报告的 " + mine.length + " 项" })));
      panel.appendChild(el("ul", { "class": "cb-sbs-single" }, mine.map(function (ind) {
        return el("li", { "data-indicator": ind.key, "data-case": c.id }, link(ind.compare, ind.name), "：",
          ind.values[c.id].map(function (v) { return valueBlock(c, v); }));
      })));
    });
    wrap.appendChild(el("p", null, button));
    wrap.appendChild(el("p", { "class": "cb-sbs-print-note", text: "（另有 " + others.length + " 项指标只有一个所选案例报告，未印出，见各案例页。）" }));
    wrap.appendChild(panel);
    return wrap;
  }

  function heading(level, id, text) {
    return el("h" + level, { id: id, text: text });
  }

  function showMessage(host, parts) {
    var status = host.querySelector(".cb-sbs-status");
    while (status.firstChild) status.removeChild(status.firstChild);
    var box = el("div", { "class": "admonition warning cb-sbs-message" });
    parts.forEach(function (p) { box.appendChild(el("p", null, p)); });
    status.appendChild(box);
    host.querySelector(".cb-sbs-help").hidden = false;
    host.querySelector(".cb-sbs-view").hidden = true;
  }

  function backLinks(host, extra) {
    var casesIndex = el("a", { href: host.getAttribute("data-cases-index"), text: "回到案例索引重新选择" });
    return [extra ? [extra, "；或"] : null, casesIndex, "。"];
  }

  function viewLink(ids, text) { return el("a", { href: viewHref(ids), text: text }); }

  function picker(host) {
    var list = load();
    var parts = [["尚未选择要对照的案例：地址中没有 ", el("code", { text: "?c=" }), "。请在",
      el("a", { href: host.getAttribute("data-cases-index"), text: "案例索引" }), "或案例页勾选“加入对照”。"]];
    if (list.length >= MIN) {
      parts.push(["你已选了 " + list.length + " 个案例：", viewLink(list.map(function (x) { return x.id; }), "对照" + list.map(cityOf).join("、")), "。"]);
    }
    var example = host.getAttribute("data-example");
    if (example) parts.push(["例如：", viewLink(example.split(","), "对照" + host.getAttribute("data-example-label")), "。"]);
    var status = host.querySelector(".cb-sbs-status");
    while (status.firstChild) status.removeChild(status.firstChild);
    var box = el("div", { "class": "cb-sbs-picker" });
    parts.forEach(function (p) { box.appendChild(el("p", null, p)); });
    status.appendChild(box);
  }

  function parseIds(raw) {
    var ids = [];
    raw.split(",").forEach(function (s) {
      s = s.trim();
      if (s && ids.indexOf(s) < 0) ids.push(s);
    });
    return ids;
  }

  function startView(host) {
    var rules = JSON.parse(host.getAttribute("data-rules"));
    var params = new URLSearchParams(location.search);
    var raw = params.get("c");
    if (raw === null || !raw.trim()) { picker(host); return; }
    var ids = parseIds(raw);
    if (ids.length > MAX) {
      showMessage(host, [["地址中有 " + ids.length + " 个案例，一次最多对照 " + MAX + " 个。"],
        backLinks(host, viewLink(ids.slice(0, MAX), "只对照前 " + MAX + " 个"))]);
      return;
    }
    if (ids.length < MIN) {
      showMessage(host, [["至少需要 " + MIN + " 个不同的案例才能对照，地址中" + (ids.length ? "只有 1 个：" + ids[0] + "。" : "没有案例。")],
        backLinks(host)]);
      return;
    }
    var status = host.querySelector(".cb-sbs-status");
    status.textContent = "正在读取 " + ids.length + " 个案例……";
    Promise.all(ids.map(function (id) {
      if (!ID.test(id)) return Promise.resolve({ id: id, missing: true });
      return fetch(dataUrl(id), { credentials: "same-origin" }).then(function (r) {
        if (r.status === 404) return { id: id, missing: true };
        if (!r.ok) throw new Error(String(r.status));
        return r.json().then(function (data) { return { id: id, data: data }; });
      });
    })).then(function (results) {
      var missing = results.filter(function (r) { return r.missing; }).map(function (r) { return r.id; });
      if (missing.length) {
        var known = results.filter(function (r) { return !r.missing; });
        var rest = known.length >= MIN ? viewLink(known.map(function (r) { return r.id; }), "只对照其余 " + known.length + " 个（" + known.map(function (r) { return r.data.city; }).join("、") + "）") : null;
        showMessage(host, [["本库没有这些案例：" + missing.join("、") + "。请检查地址中 ", el("code", { text: "?c=" }), " 后的案例名。"], backLinks(host, rest)]);
        return;
      }
      render(host, results.map(function (r) { return r.data; }), rules);
    }).catch(function () {
      showMessage(host, [["无法读取案例数据，请稍后重新载入本页。"], backLinks(host)]);
    });
  }

  function render(host, cases, rules) {
    var view = host.querySelector(".cb-sbs-view");
    while (view.firstChild) view.removeChild(view.firstChild);
    var cities = cases.map(function (c) { return c.city; });
    cases.forEach(function (c) { names[c.id] = c.city; });
    document.title = "案例对照：" + cities.join("、") + " - " + document.title.replace(/^.*? - /, "");
    var actions = el("p", { "class": "cb-sbs-actions" });
    var keep = el("button", { type: "button", "class": "md-button", text: "设为我的所选" });
    keep.addEventListener("click", function () {
      save(cases.map(function (c) { return { id: c.id, city: c.city }; }));
      say("所选案例已设为：" + cities.join("、") + "。");
    });
    var print = el("button", { type: "button", "class": "md-button", text: "打印或存为 PDF" });
    print.addEventListener("click", function () { window.print(); });
    append(actions, [el("a", { href: host.getAttribute("data-cases-index"), "class": "md-button", text: "更改选择" }), " ", keep, " ", print]);
    view.appendChild(el("p", { "class": "cb-sbs-lead" }, "对照 " + cases.length + " 个案例：", el("strong", { text: cities.join("、") }), "。"));
    view.appendChild(actions);

    view.appendChild(heading(2, "cb-sbs-meta", "基本信息"));
    view.appendChild(metaTable(cases));

    view.appendChild(heading(2, "cb-sbs-mechanisms", "报告的机制"));
    view.appendChild(el("p", { text: "每行一种机制，只列所选案例中至少一个报告的机制；“来源未报告”指该案例的来源没有写到，不等于没有这种做法。" }));
    var legend = host.querySelector(".cb-sbs-parts .evidence-legend");
    if (legend) view.appendChild(legend.cloneNode(true));
    view.appendChild(mechanismTable(cases));

    var all = indicators(cases);
    var shared = all.filter(function (ind) { return ind.n >= MIN; });
    var others = all.filter(function (ind) { return ind.n < MIN; });
    view.appendChild(heading(2, "cb-sbs-indicators", "共同报告的指标"));
    if (shared.length) {
      view.appendChild(el("p", { text: "下表列出所选案例中至少两个报告的指标（" + shared.length + " 项），每个数值链接到原文中陈述它的段落，带 ≈ 的是推算值。"
        + "⚠ 比较提示按所选的这 " + cases.length + " 个案例计算：统计层级与本行多数不同、年份与本行中位年份相差超过 " + rules.year_gap
        + " 年、时间不明、单位不能换算，以及下限、上限、约数、预计值和推算值；全库比较页的提示按全部城市计算，可能不同。" }));
      view.appendChild(indicatorTable(cases, shared, rules));
    } else {
      view.appendChild(el("p", { "class": "cb-sbs-none", text: "所选案例没有共同报告的指标：每项指标最多只有一个所选案例报告。" }));
    }
    if (others.length) {
      view.appendChild(heading(2, "cb-sbs-others", "只有一个案例报告的指标"));
      view.appendChild(el("p", { text: "另有 " + others.length + " 项指标只有一个所选案例报告，无从对照，默认收起。" }));
      view.appendChild(othersBlock(cases, others));
    }
    host.querySelector(".cb-sbs-status").textContent = "";
    host.querySelector(".cb-sbs-help").hidden = true;
    view.hidden = false;
    host.setAttribute("data-ready", "");
  }

  // start(host): draw the view; the rules as ported, for the tests (tests/test_side_by_side.py)
  window.casebookSideBySide = { start: startView, buildColumn: buildColumn, ownReasons: ownReasons };
})();
