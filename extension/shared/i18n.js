/*
 * The reader's language: user-facing text comes from _locales/<lang>/messages.json.
 *
 * Out: `GlossI18n.t(key, substitutions)` is the browser's i18n.getMessage (the message
 * in the browser's language, English when it has none), or the key itself when the
 * catalogue lacks it (so a missing message shows up in tests, not as a blank);
 * `GlossI18n.localize(root)` fills every element marked `data-i18n="key"` (its text)
 * and `data-i18n-<attribute>="key"` (aria-label, placeholder, title) under `root`.
 */
(() => {
  "use strict";
  if (globalThis.GlossI18n) return;
  const api = globalThis.browser ?? globalThis.chrome;
  const ATTRIBUTES = ["aria-label", "placeholder", "title"];

  function t(key, substitutions) {
    const subs = substitutions === undefined ? undefined : [].concat(substitutions).map(String);
    const text = api && api.i18n ? api.i18n.getMessage(key, subs) : "";
    return text || key;
  }

  function localize(root) {
    for (const node of root.querySelectorAll("[data-i18n]")) node.textContent = t(node.dataset.i18n);
    for (const attr of ATTRIBUTES) {
      for (const node of root.querySelectorAll(`[data-i18n-${attr}]`)) node.setAttribute(attr, t(node.getAttribute(`data-i18n-${attr}`)));
    }
  }

  globalThis.GlossI18n = Object.freeze({ t, localize });
})();
