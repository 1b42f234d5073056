/*
 * Look-ups and completions, asked of the server on behalf of the bubble and the popup.
 *
 * In: `{query, context, offset, url}` from a content script or the popup (`offset`: where
 * the query starts in the context, sent only with a context, when the content script knows it).
 * Out: `lookup()` resolves to one of
 *   {status: "found", entry}                          the server's /api/define JSON,
 *   {status: "missing", query, detail, suggestions}   its 404 problem, with suggestions,
 *   {status: "note", message}                         a 422: the selection is no word (a number,
 *                                                     a stray symbol), said plainly, not as a failure,
 *   {status: "error", message}                        anything else, in words for the reader;
 * and, when history is on, keeps a found look-up (word, sentence, page URL, time; a word
 * looked up again on the same page replaces its earlier entry). Misspellings are not kept.
 * `complete({prefix, limit})` resolves to `{completions: [...]}` (empty on any failure:
 * a search box must never nag).
 */
(() => {
  "use strict";

  async function lookup({ query, context = "", offset = undefined, url = "" }) {
    const settings = await GlossStorage.settings();
    const remember = async (headword) => {
      if (settings.history) await GlossStorage.addLookup({ word: query, sentence: context, url, headword });
    };
    try {
      const response = await GlossServer.request("/api/define", { query: { q: query, context, offset: context ? offset : undefined }, timeout: "define" });
      const entry = await response.json();
      await remember(typeof entry.word === "string" ? entry.word : "");
      return { status: "found", entry };
    } catch (error) {
      if (error instanceof GlossServer.GlossServerError && error.status === 404) {
        const raw = error.problem && Array.isArray(error.problem.suggestions) ? error.problem.suggestions : [];
        const suggestions = raw.filter((s) => typeof s === "string" && s.length <= 100).slice(0, 8);
        return { status: "missing", query, detail: error.message, suggestions };
      }
      if (error instanceof GlossServer.GlossServerError && error.status === 422) {
        return { status: "note", message: error.message };
      }
      const message = error instanceof GlossServer.GlossServerError ? error.message : GlossI18n.t("errorUnexpected", String(error));
      await GlossStorage.recordError("define", message);
      return { status: "error", message };
    }
  }

  async function complete({ prefix, limit = 10 }) {
    try {
      const response = await GlossServer.request("/api/complete", { query: { prefix, limit }, timeout: "complete" });
      const body = await response.json();
      const completions = Array.isArray(body.completions) ? body.completions.filter((c) => typeof c === "string") : [];
      return { completions: completions.slice(0, limit) };
    } catch {
      return { completions: [] };
    }
  }

  globalThis.GlossDefine = Object.freeze({ lookup, complete });
})();
