/* Site search: Pagefind's default UI mounted in Material's header, with Material's search conventions.
   The bundle (site/pagefind/) is written by the build; nothing is fetched from another host.

   Pagefind indexes a copy of each page with one word per Han character and a Simplified copy of Traditional
   text (src/casebook/search.py). A Chinese query is sent in Simplified (the build's character table,
   casebook-search.json), each run of characters as a quoted phrase: 网格 as "网 格". The UI's bundle is
   phrase-search/pagefind.js, Pagefind's API with phrases ranked: only pages where the characters stand together
   match (not 网页 … 格), in either script, ranked by the characters. A query that is a glossary term or one of
   its written forms shows that term's entry above the results. window.casebookSearch exposes the query
   rewriting and the engine (tests and benchmarks/search_eval.py query through them). */
(function () {
  var script = document.currentScript;
  // absolute, since Pagefind resolves a relative bundle path against its own script, not the page
  var bundle = new URL(script ? script.getAttribute("data-bundle") : "/pagefind/", document.baseURI).href;
  var siteRoot = new URL("../", bundle).href;
  var engine = new URL("phrase-search/", script ? script.src : new URL("javascripts/", siteRoot).href).href;
  var HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff";
  var HAN_RE = new RegExp("[" + HAN + "]");
  var HAN_RUN_SPLIT = new RegExp("([" + HAN + "]{2,})");
  var HAN_RUN_ONLY = new RegExp("^[" + HAN + "]{2,}$");
  var GAP = new RegExp("([" + HAN + "])(?=\\S)|(\\S)(?=[" + HAN + "])", "g");
  // the spaces the index copy put around characters, in an excerpt (marks may stand between them): those
  // beside a Han character or Chinese punctuation, unless the other side is a Latin letter (克拉玛依市 Karamay)
  var CJK = "[" + HAN + "\u3000-\u303f\uff00-\uffef“”‘’…—·]";
  var JOINED = new RegExp("(" + CJK + ")((?:\\s|</?mark>)+)(?=[^\\sA-Za-z])|([^\\sA-Za-z])((?:\\s|</?mark>)+)(?=" +
    CJK + ")", "g");
  var QUOTES = "“”‘’\"'「」『』《》〈〉";
  var data = { t2s: {}, forms: {}, entries: [] };
  var lastQuery = "";

  var ready = fetch(bundle + "casebook-search.json").then(function (r) {
    return r.ok ? r.json() : null;
  }).then(function (d) {
    if (!d) return;
    var table = {};
    var chars = Array.from(d.t2s || "");
    for (var i = 0; i + 1 < chars.length; i += 2) table[chars[i]] = chars[i + 1];
    data = { t2s: table, forms: d.forms || {}, entries: d.entries || [] };
  }).catch(function () { /* no data file (a page opened from disk): queries are sent as typed */ });

  function fold(text) { // full-width forms to ASCII, Traditional to Simplified (one character at a time)
    return Array.from(text).map(function (ch) {
      var code = ch.codePointAt(0);
      if (code >= 0xff01 && code <= 0xff5e) return String.fromCharCode(code - 0xfee0);
      if (code === 0x3000) return " ";
      return data.t2s[ch] || ch;
    }).join("");
  }

  function key(text) { // as casebook.search.query_key: folded, no whitespace or quotation marks, lower case
    return Array.from(fold(text)).filter(function (ch) {
      return !/\s/.test(ch) && QUOTES.indexOf(ch) < 0;
    }).join("").toLowerCase();
  }

  function spaced(text) { return text.replace(GAP, "$1$2 "); }

  function processTerm(query) {
    lastQuery = query.trim();
    var folded = fold(lastQuery).replace(/["“”]/g, " ").replace(/\s+/g, " ").trim();
    if (!HAN_RE.test(folded)) return query; // Latin letters and numbers: Pagefind's own prefix search
    // each run of Han characters as a phrase of its characters (phrase-search/pagefind.js finds the pages that
    // hold it and ranks them); the index holds one word per character (casebook.search)
    var words = [];
    folded.split(" ").forEach(function (part) {
      var pieces = part.split(HAN_RUN_SPLIT);
      pieces.forEach(function (piece) {
        if (!piece) return;
        if (HAN_RUN_ONLY.test(piece)) words.push('"' + Array.from(piece).join(" ") + '"');
        else spaced(piece).split(" ").forEach(function (w) { if (w) words.push(w); });
      });
    });
    return words.filter(function (w, i) { return words.indexOf(w) === i; }).join(" ");
  }

  function joined(html) {
    if (!html) return html;
    return html.replace(JOINED, function (m, a, between, b, between2) {
      return (a || b) + (between || between2).replace(/\s+/g, "");
    })
      .replace(/<\/mark><mark>/g, "");
  }

  function highlighted(url) { // the query as typed (and in Simplified) highlighted, not its single characters
    if (!url) return url;
    try {
      var u = new URL(url, document.baseURI);
      u.searchParams.delete("h");
      var terms = [lastQuery.replace(/"/g, "")];
      var simplified = fold(terms[0]);
      if (simplified !== terms[0]) terms.push(simplified);
      terms.forEach(function (t) { if (t) u.searchParams.append("h", t); });
      return u.origin === location.origin ? u.pathname + u.search + u.hash : u.href;
    } catch (e) {
      return url;
    }
  }

  function processResult(result) {
    if (result.meta && result.meta.title) result.meta.title = joined(result.meta.title);
    result.excerpt = joined(result.excerpt);
    result.url = highlighted(result.url);
    (result.sub_results || []).forEach(function (sub) {
      sub.title = joined(sub.title);
      sub.excerpt = joined(sub.excerpt);
      sub.url = highlighted(sub.url);
    });
    return result;
  }

  window.casebookSearch = {
    processTerm: processTerm, processResult: processResult, key: key, ready: ready,
    bundle: bundle, engine: engine + "pagefind.js"
  };

  function element(tag, className, text) {
    var el = document.createElement(tag);
    if (className) el.className = className;
    if (text) el.textContent = text;
    return el;
  }

  function termEntry(query) { // the glossary entry a query names, or null
    var i = data.forms[key(query)];
    return i === undefined ? null : data.entries[i];
  }

  function renderTerm(host, query) {
    var old = host.querySelector(".cb-search-term");
    var entry = query ? termEntry(query) : null;
    if (!entry) {
      if (old) old.remove();
      return;
    }
    if (old && old.getAttribute("data-term") === entry.term) return;
    var box = element("section", "cb-search-term");
    box.setAttribute("data-term", entry.term);
    box.setAttribute("aria-label", "术语：" + entry.term);
    var head = element("p", "cb-search-term__head");
    var link = element("a", "cb-search-term__term", entry.term);
    link.href = new URL(entry.href, siteRoot).href;
    link.lang = "zh-Hans";
    head.appendChild(link);
    if (entry.pinyin) head.appendChild(element("span", "cb-search-term__pinyin", entry.pinyin));
    if (entry.en) {
      var en = element("span", "cb-search-term__en", entry.en);
      en.lang = "en";
      head.appendChild(en);
    }
    box.appendChild(head);
    if (entry.short) box.appendChild(element("p", "cb-search-term__def", entry.short + "。"));
    if (entry.cases && entry.cases.length) {
      var where = element("p", "cb-search-term__cases", "见于：");
      entry.cases.forEach(function (c, k) {
        if (k) where.appendChild(document.createTextNode("、"));
        var a = element("a", "", c[0]);
        a.href = new URL(c[1], siteRoot).href;
        where.appendChild(a);
      });
      box.appendChild(where);
    }
    var drawer = host.querySelector(".pagefind-ui__drawer");
    if (old) old.remove();
    if (drawer) drawer.insertBefore(box, drawer.firstChild);
  }

  function mount() {
    var header = document.querySelector(".md-header__inner");
    if (!header || document.getElementById("cb-search") || typeof PagefindUI === "undefined") return;
    var host = document.createElement("div");
    host.id = "cb-search";
    host.className = "cb-search";
    host.setAttribute("role", "search");
    header.insertBefore(host, header.querySelector(".md-header__source"));
    new PagefindUI({
      element: "#cb-search",
      bundlePath: engine,
      showImages: false,
      showSubResults: true,
      resetStyles: false,
      highlightParam: "h",
      excerptLength: 60, // words: a word is one character in this index (Pagefind's default is 30)
      processTerm: processTerm,
      processResult: processResult,
      translations: {
        placeholder: "搜索",
        search_label: "搜索本站",
        zero_results: "没有找到“[SEARCH_TERM]”",
        clear_search: "清除"
      }
    });
    var input = function () { return host.querySelector("input"); };
    var field = input();
    if (field) {
      field.setAttribute("aria-label", "搜索本站");
      field.addEventListener("input", function () {
        var q = field.value;
        ready.then(function () { if (field.value === q) renderTerm(host, q.trim()); });
      });
    }
    // the clear button is invisible while the box is empty (pagefind-ui__suppressed): no Tab stop then
    var clearButton = host.querySelector(".pagefind-ui__search-clear");
    if (clearButton) {
      var sync = function () {
        var hidden = clearButton.classList.contains("pagefind-ui__suppressed");
        if (hidden) clearButton.setAttribute("tabindex", "-1"); else clearButton.removeAttribute("tabindex");
        if (hidden) clearButton.setAttribute("aria-hidden", "true"); else clearButton.removeAttribute("aria-hidden");
        if (hidden) renderTerm(host, "");
      };
      new MutationObserver(sync).observe(clearButton, { attributes: true, attributeFilter: ["class"] });
      sync();
    }
    document.addEventListener("keydown", function (e) {
      var active = document.activeElement;
      var typing = active && (active.tagName === "INPUT" || active.tagName === "TEXTAREA" || active.isContentEditable);
      if (!typing && (e.key === "/" || e.key === "s" || e.key === "f") && !e.ctrlKey && !e.metaKey && !e.altKey) {
        e.preventDefault();
        if (input()) input().focus();
      } else if (e.key === "Escape" && active === input()) {
        var clear = host.querySelector(".pagefind-ui__search-clear");
        if (clear) clear.click();
        active.blur();
      }
    });
  }

  function highlight() {
    if (!/[?&]h=/.test(location.search)) return;
    import(bundle + "pagefind-highlight.js").then(function (m) {
      new m.default({ highlightParam: "h" });
    }).catch(function () { /* no bundle (e.g. a page opened from disk): nothing to highlight */ });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { mount(); highlight(); });
  } else {
    mount();
    highlight();
  }
})();
