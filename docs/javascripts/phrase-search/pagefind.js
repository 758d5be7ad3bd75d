/* Pagefind's API, with phrases ranked: the module PagefindUI loads as its bundle (search.js points the UI here).

   The index holds one word per Han character (src/casebook/search.py), and search.js sends a Chinese query as
   phrases of those characters in quotation marks: 网格 as "网 格". Pagefind finds a quoted phrase exactly (the
   characters next to each other, in that order: never a page with only 网页 and 格), but scores every page it
   finds alike, in page order. So a query with phrases is searched twice, in parallel:
   - each phrase in quotation marks: which pages hold it, and excerpts centred on it;
   - all its words without quotation marks: the ranking (Pagefind's BM25 over the characters).
   The result is the pages that hold every phrase, best ranked first. Anything without a phrase goes to Pagefind
   unchanged. Everything else (options, filters, preload, …) is Pagefind's own. */
const bundle = (window.casebookSearch && window.casebookSearch.bundle) || new URL("../../pagefind/", import.meta.url).href;
const pagefind = await import(bundle + "pagefind.js");

const PHRASE = /"([^"]*)"/g;

export const options = (o) => pagefind.options(o);
export const init = () => pagefind.init();
export const filters = () => pagefind.filters();
export const preload = (term, o) => pagefind.preload(term.replace(/"/g, " "), o);
export const mergeIndex = (path, o) => pagefind.mergeIndex(path, o);
export const destroy = () => pagefind.destroy();
export const createInstance = (...args) => pagefind.createInstance(...args);

export function phrasesOf(term) { // the quoted phrases of more than one word
  return Array.from(term.matchAll(PHRASE), (m) => m[1].trim().replace(/\s+/g, " ")).filter((p) => p.includes(" "));
}

export async function search(term, o) {
  const phrases = phrasesOf(term || "");
  if (!phrases.length) return pagefind.search(term, o);
  const loose = term.replace(/"/g, " ").replace(/\s+/g, " ").trim();
  const [ranked, ...exact] = await Promise.all(
    [pagefind.search(loose, o)].concat(phrases.map((p) => pagefind.search('"' + p + '"', o)))
  );
  if (!ranked || exact.some((e) => !e)) return null;
  const held = exact.map((e) => new Set(e.results.map((r) => r.id)));
  const centred = new Map(exact[0].results.map((r) => [r.id, r]));
  const results = ranked.results
    .filter((r) => held.every((ids) => ids.has(r.id)))
    .map((r) => Object.assign({}, centred.get(r.id), { score: r.score }));
  return Object.assign({}, ranked, { results: results, unfilteredResultCount: results.length });
}

let pending = null;
export async function debouncedSearch(term, o, ms) { // as Pagefind's: only the last of quick calls searches
  const mine = {};
  pending = mine;
  await new Promise((resolve) => setTimeout(resolve, ms === undefined ? 300 : ms));
  return pending === mine ? search(term, o) : null;
}
