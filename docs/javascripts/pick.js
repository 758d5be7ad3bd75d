/* Pick and compare (issue 17): a reader ticks 2–4 cases, on the cases index or on case pages, and sets them side
   by side on side-by-side/?c=a,b[,c,d].

   - Picking (this file, loaded on every page): every checkbox `.cb-pick` (value = a case id) on any page is shown,
     reflects the selection and toggles it; the selection (at most MAX cases, in the order picked) is kept in
     localStorage under "casebook-pick", shared by every page of the site and kept in step across tabs. A small bar
     at the bottom of the window (the tray) lists the picked cities, each with a button that removes it, and links
     the view once two are picked. A fifth is refused with a message in the tray. Messages are announced
     (aria-live).
   - The view (the page with #cb-sbs) is drawn by side-by-side-view.js, which this file loads only on that page
     (so that every other page, the cases index among them, carries only the picker), handing it the helpers
     below (window.casebookPick.api).
   - Editors' text only ever reaches the page through textContent; links are the site paths of the data files,
     under the site root. Nothing is fetched from another host. A page without these elements is left alone. */
(function () {
  "use strict";

  var KEY = "casebook-pick";
  var MAX = 4;
  var MIN = 2;
  var ID = /^[a-z][a-z0-9-]{0,39}$/;  // casebook.models.Slug
  var DATA = "side-by-side/data/";    // casebook.routes.SIDE_BY_SIDE_DATA

  var SELF = document.currentScript ? document.currentScript.src : "";  // to find side-by-side-view.js beside it

  // ---- small DOM helpers (text only through text nodes) ------------------------------------------------

  function el(tag, attrs) {
    var node = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (k) {
        if (attrs[k] === null || attrs[k] === undefined || attrs[k] === false) return;
        if (k === "text") node.textContent = attrs[k];
        else node.setAttribute(k, attrs[k] === true ? "" : String(attrs[k]));
      });
    }
    for (var i = 2; i < arguments.length; i++) append(node, arguments[i]);
    return node;
  }

  function append(node, child) {
    if (child === null || child === undefined || child === false) return;
    if (Array.isArray(child)) { child.forEach(function (c) { append(node, c); }); return; }
    node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
  }

  /* The site root, as a path relative to this page (Material writes it into every page). */
  function siteRoot() {
    var host = document.getElementById("cb-sbs");
    if (host && host.getAttribute("data-root")) return host.getAttribute("data-root");
    var config = document.getElementById("__config");
    if (config) {
      try {
        var base = JSON.parse(config.textContent).base;
        if (typeof base === "string") return base.replace(/\/?$/, "/");
      } catch (e) { /* fall through */ }
    }
    return "/";
  }

  /* The view's address: written by the templates beside a box or on the view; else under the site root. */
  function viewUrl() {
    var marked = document.querySelector("[data-cb-view]");
    if (marked) return marked.getAttribute("data-cb-view");
    return siteRoot() + (/\.html$/.test(location.pathname) ? "side-by-side.html" : "side-by-side/");
  }

  function viewHref(ids) { return viewUrl() + "?c=" + ids.join(","); }

  /* A site path of a data file (cases/x/#a, sources/x/#q-…) as a link from this page; anything else is refused. */
  function siteHref(path) {
    if (typeof path !== "string" || /^[a-z][a-z0-9+.-]*:/i.test(path) || /^[\/\\]/.test(path)) return null;
    return siteRoot() + path;
  }

  function dataUrl(id) { return siteRoot() + DATA + id + ".json"; }

  // ---- the selection ---------------------------------------------------------------------------------

  var fallback = "[]";  // where localStorage cannot be used (a private window may refuse it)

  function readRaw() {
    try { var raw = window.localStorage.getItem(KEY); return raw === null ? fallback : raw; }
    catch (e) { return fallback; }
  }

  /* The picked cases, [{id, city}], in the order picked; what is not a case id is dropped. */
  function load() {
    var list;
    try { list = JSON.parse(readRaw()); } catch (e) { list = []; }
    if (!Array.isArray(list)) list = [];
    var out = [];
    list.forEach(function (item) {
      var id = typeof item === "string" ? item : item && item.id;
      var city = item && typeof item.city === "string" ? item.city : "";
      if (typeof id === "string" && ID.test(id) && !out.some(function (x) { return x.id === id; })) out.push({ id: id, city: city });
    });
    return out.slice(0, MAX);
  }

  function save(list) {
    fallback = JSON.stringify(list);
    try { window.localStorage.setItem(KEY, fallback); } catch (e) { /* kept in this page only */ }
    refresh();
  }

  function indexOf(list, id) {
    for (var i = 0; i < list.length; i++) if (list[i].id === id) return i;
    return -1;
  }

  var names = {};  // case id -> city, from the boxes and the data files
  function cityOf(item) { return item.city || names[item.id] || item.id; }

  var asked = {};  // case id -> the promise of its city's name
  /* A case's city, from its data file where no box or earlier pick gave it (the id if the file cannot be read). */
  function nameOf(id) {
    if (names[id]) return Promise.resolve(names[id]);
    if (!asked[id]) {
      asked[id] = fetch(dataUrl(id), { credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (data) {
          if (data && typeof data.city === "string") names[id] = data.city;
          return names[id] || id;
        })
        .catch(function () { return id; });
    }
    return asked[id];
  }

  /* Picked cases stored without their city's name (a box that does not carry it): the names, then the tray. */
  function fillNames(list) {
    list.forEach(function (item) {
      if (item.city) return;
      nameOf(item.id).then(function (city) {
        if (city === item.id) return;
        var now = load();
        var i = indexOf(now, item.id);
        if (i >= 0 && !now[i].city) { now[i].city = city; save(now); }
      });
    });
  }

  // ---- the boxes -----------------------------------------------------------------------------------------

  function boxes() { return Array.prototype.slice.call(document.querySelectorAll("input.cb-pick")); }

  function wireBoxes() {
    boxes().forEach(function (box) {
      if (box.getAttribute("data-cb-wired") === "1" || !ID.test(box.value)) return;
      box.setAttribute("data-cb-wired", "1");
      box.hidden = false;
      var label = box.closest("label");
      if (label) label.hidden = false;
      Array.prototype.forEach.call(box.labels || [], function (l) { l.hidden = false; });
      // the city: written beside the box, or the text of the case's link next to it (the cases index writes
      // no more than the link, which keeps the index small: its label is made here, where the box is shown)
      var link = box.parentNode ? box.parentNode.querySelector("a") : null;
      var city = box.getAttribute("data-city") || (link ? link.textContent.trim() : "");
      if (city) names[box.value] = city;
      if (!(box.labels && box.labels.length) && !box.getAttribute("aria-label") && !box.getAttribute("aria-labelledby")) {
        box.setAttribute("aria-label", "选择对照：" + (city || box.value));
      }
      box.addEventListener("change", onBox);
    });
  }

  function onBox(ev) {
    var box = ev.target;
    var id = box.value;
    var list = load();
    var i = indexOf(list, id);
    if (box.checked) {
      if (i >= 0) { refresh(); return; }
      if (list.length >= MAX) {
        box.checked = false;
        say("最多对照 " + MAX + " 个案例：请先移除一个已选案例。", true);
        nameOf(id).then(function (city) {
          say("最多对照 " + MAX + " 个案例：请先移除一个已选案例，再加入" + city + "。", true);
        });
        return;
      }
      list.push({ id: id, city: names[id] || "" });
      save(list);
      var n = list.length;
      nameOf(id).then(function (city) {
        say("已加入对照：" + city + "。已选 " + n + " 个" + (n < MIN ? "，再选 " + (MIN - n) + " 个即可对照。" : "。"));
      });
    } else {
      if (i >= 0) list.splice(i, 1);
      save(list);
      nameOf(id).then(function (city) { say("已移出对照：" + city + "。已选 " + list.length + " 个。"); });
    }
  }

  // ---- the tray ----------------------------------------------------------------------------------------

  var tray = null;
  var message = null;
  var messageIsWarning = false;

  function makeTray() {
    if (tray) return;
    tray = el("section", { "class": "cb-tray", "aria-label": "对照所选案例", "data-empty": "" });
    message = el("p", { "class": "cb-tray__msg", role: "status", "aria-live": "polite" });
    tray.appendChild(el("div", { "class": "cb-tray__bar" }));
    tray.appendChild(message);
    document.body.appendChild(tray);
  }

  function say(text, warning) {
    makeTray();
    messageIsWarning = !!warning;
    message.textContent = text;
    message.classList.toggle("cb-tray__msg--warn", messageIsWarning);
    layoutTray();
  }

  function renderTray(list) {
    makeTray();
    var bar = tray.querySelector(".cb-tray__bar");
    var focused = document.activeElement && tray.contains(document.activeElement) ? document.activeElement.getAttribute("data-cb-focus") : null;
    while (bar.firstChild) bar.removeChild(bar.firstChild);
    if (!list.length) {
      tray.setAttribute("data-empty", "");
    } else {
      tray.removeAttribute("data-empty");
      bar.appendChild(el("span", { "class": "cb-tray__title", text: "已选（" + list.length + "/" + MAX + "）：" }));
      var ul = el("ul", { "class": "cb-tray__list" });
      list.forEach(function (item, k) {
        var name = cityOf(item);
        var remove = el("button", { type: "button", "class": "cb-tray__remove", "aria-label": "移除" + name, title: "移除" + name, "data-cb-focus": "remove-" + k }, "×");
        remove.addEventListener("click", function () {
          var now = load();
          var i = indexOf(now, item.id);
          if (i >= 0) now.splice(i, 1);
          save(now);
          say("已移出对照：" + name + "。已选 " + now.length + " 个。");
          var next = tray.querySelector('[data-cb-focus="remove-' + Math.min(k, now.length - 1) + '"]') || tray.querySelector(".cb-tray__go");
          if (next) next.focus();
        });
        ul.appendChild(el("li", null, el("span", { "class": "cb-tray__city", text: name }), remove));
      });
      bar.appendChild(ul);
      var label = "对照所选（" + list.length + "）";
      if (list.length >= MIN) {
        bar.appendChild(el("a", { "class": "cb-tray__go", href: viewHref(list.map(function (x) { return x.id; })), "data-cb-focus": "go", text: label }));
      } else {
        bar.appendChild(el("a", { "class": "cb-tray__go", "aria-disabled": "true", role: "link", "data-cb-focus": "go", title: "至少选择 " + MIN + " 个案例", text: label }));
        bar.appendChild(el("span", { "class": "cb-tray__hint", text: "再选 " + (MIN - list.length) + " 个即可对照" }));
      }
      var clear = el("button", { type: "button", "class": "cb-tray__clear", "data-cb-focus": "clear", text: "清空" });
      clear.addEventListener("click", function () { save([]); say("已清空所选案例。"); });
      bar.appendChild(clear);
    }
    if (focused) {
      var again = tray.querySelector('[data-cb-focus="' + focused + '"]');
      if (again) again.focus();
    }
    layoutTray();
  }

  /* Room at the foot of the page for the tray, so that it never covers the end of the page. */
  function layoutTray() {
    if (!tray) return;
    var shown = !tray.hasAttribute("data-empty");
    message.classList.toggle("cb-visually-hidden", !shown);
    document.body.style.paddingBottom = shown ? tray.offsetHeight + "px" : "";
  }

  function refresh() {
    var list = load();
    boxes().forEach(function (box) { box.checked = indexOf(list, box.value) >= 0; });
    if (list.length || tray) renderTray(list);
    fillNames(list);
  }

  // ---- start -----------------------------------------------------------------------------------------

  var started = false;
  function init() {
    wireBoxes();
    if (!started) {
      started = true;
      window.addEventListener("storage", function (e) { if (e.key === KEY) refresh(); });
      window.addEventListener("resize", layoutTray);
    }
    refresh();
    var host = document.getElementById("cb-sbs");
    if (host && !host.hasAttribute("data-started")) {
      host.setAttribute("data-started", "");
      loadView(host);
    }
  }

  /* The view's script, on the view's page only; it starts the view with the helpers it is given. */
  function loadView(host) {
    var s = document.createElement("script");
    s.src = SELF ? new URL("side-by-side-view.js", SELF).href : siteRoot() + "javascripts/side-by-side-view.js";
    s.onload = function () { if (window.casebookSideBySide) window.casebookSideBySide.start(host); };
    document.head.appendChild(s);
  }

  // the helpers side-by-side-view.js draws the view with; key and max for the tests (tests/test_side_by_side.py)
  window.casebookPick = {
    key: KEY, max: MAX,
    api: { ID: ID, MAX: MAX, MIN: MIN, append: append, cityOf: cityOf, dataUrl: dataUrl, el: el, load: load, names: names, save: save, say: say, siteHref: siteHref, viewHref: viewHref }
  };

  if (window.document$ && window.document$.subscribe) { window.document$.subscribe(init); }
  else if (document.readyState !== "loading") { init(); }
  else { document.addEventListener("DOMContentLoaded", init); }
})();
