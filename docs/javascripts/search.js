/* Site search: Pagefind's default UI mounted in Material's header, with Material's search conventions.
   The bundle (site/pagefind/) is written by the build; nothing is fetched from another host. */
(function () {
  var script = document.currentScript;
  // absolute, since Pagefind resolves a relative bundle path against its own script, not the page
  var bundle = new URL(script ? script.getAttribute("data-bundle") : "/pagefind/", document.baseURI).href;

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
      bundlePath: bundle,
      showImages: false,
      showSubResults: true,
      resetStyles: false,
      highlightParam: "h",
      translations: { placeholder: "搜索", zero_results: "没有找到“[SEARCH_TERM]”", clear_search: "清除" }
    });
    var input = function () { return host.querySelector("input"); };
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
