/*
 * Progress on the toolbar button of one tab while a print runs.
 *
 * In: a tab id and a stage (a fraction of the work done, with a short description).
 * Out: the badge shows the percentage, then a check mark or "!" for a few seconds; the
 * button's tooltip says what is happening, for readers who cannot see the badge colour.
 */
(() => {
  "use strict";
  const api = globalThis.browser ?? globalThis.chrome;
  const DEFAULT_TITLE = GlossI18n.t("actionTitle");
  const SHOW_RESULT_MS = 4000;
  const COLORS = Object.freeze({ work: "#3558a8", ok: "#1e7d45", fail: "#b3261e" });

  // Badge calls fail harmlessly when the tab has closed meanwhile.
  const quietly = (promise) => Promise.resolve(promise).catch(() => {});

  function progress(tabId, fraction, what) {
    const percent = Math.max(0, Math.min(99, Math.round(fraction * 100)));
    quietly(api.action.setBadgeBackgroundColor({ tabId, color: COLORS.work }));
    quietly(api.action.setBadgeText({ tabId, text: `${percent}%` }));
    quietly(api.action.setTitle({ tabId, title: `Gloss: ${what}` }));
  }

  function finish(tabId, ok, what) {
    quietly(api.action.setBadgeBackgroundColor({ tabId, color: ok ? COLORS.ok : COLORS.fail }));
    quietly(api.action.setBadgeText({ tabId, text: ok ? "✓" : "!" }));
    quietly(api.action.setTitle({ tabId, title: `Gloss: ${what}` }));
    setTimeout(() => {
      quietly(api.action.setBadgeText({ tabId, text: "" }));
      quietly(api.action.setTitle({ tabId, title: DEFAULT_TITLE }));
    }, SHOW_RESULT_MS);
  }

  globalThis.GlossBadge = Object.freeze({ progress, finish });
})();
