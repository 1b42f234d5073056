/*
 * Everything Gloss keeps, in `storage.local`, behind one small interface.
 *
 * Keys: "settings" (the options, merged over DEFAULTS), "history" (look-ups, newest
 * last, at most MAX_HISTORY, one entry per word and page: looking a word up again on the
 * same page moves it to the end), "lastError" ({at, action, message, tabId} of the latest
 * failure the reader was told about; the popup shows it in that tab only).
 * Out: `GlossStorage.settings()`, `saveSettings(partial)`, `history()`,
 * `addLookup(item)`, `clearHistory()`, `recordError(action, message)`, `lastError()`,
 * `historyCsv(items)`, `onSettingsChanged(fn)`, `pageLookups(url)` (one page's look-ups
as a print glossary).
 */
(() => {
  "use strict";
  if (globalThis.GlossStorage) return;

  const api = globalThis.browser ?? globalThis.chrome;
  const area = api.storage.local;

  const DEFAULTS = Object.freeze({
    serverUrl: "http://127.0.0.1:8080",
    token: "",
    pageSize: "auto", // auto | A4 | Letter | A5; auto lets the server choose from the locale
    fontSize: 11, // points, 8 to 18 (the server's bounds)
    images: true,
    links: "footnotes", // footnotes | none
    trigger: "dblclick", // dblclick | Alt | Shift | Control | menu
    history: true,
    autoGlossary: "off", // off | few | many: the article's rarest words defined on every print
  });
  // Words the server's "auto" glossary picks at each level (options.glossary_max).
  const AUTO_GLOSSARY = Object.freeze({ off: 0, few: 6, many: 20 });
  // The server's bounds for options.glossary: at most 50 words of at most 64 characters.
  const MAX_GLOSSARY_WORDS = 50;
  const MAX_GLOSSARY_WORD = 64;
  const PAGE_SIZES = ["auto", "A4", "Letter", "A5"];
  const TRIGGERS = ["dblclick", "Alt", "Shift", "Control", "menu"];
  const LINKS = ["footnotes", "none"];
  // A reader's year of look-ups fits; the list must stay cheap to read on every popup.
  const MAX_HISTORY = 1000;

  /** Keeps only known settings with valid values; anything else falls back to the default. */
  function sanitize(raw) {
    const s = { ...DEFAULTS };
    if (!raw || typeof raw !== "object") return s;
    if (typeof raw.serverUrl === "string" && /^https?:\/\/[^\s]+$/i.test(raw.serverUrl.trim())) {
      s.serverUrl = raw.serverUrl.trim().replace(/\/+$/, "");
    }
    if (typeof raw.token === "string") s.token = raw.token.trim();
    if (PAGE_SIZES.includes(raw.pageSize)) s.pageSize = raw.pageSize;
    const size = Number(raw.fontSize);
    if (Number.isFinite(size) && size >= 8 && size <= 18) s.fontSize = size;
    if (typeof raw.images === "boolean") s.images = raw.images;
    if (LINKS.includes(raw.links)) s.links = raw.links;
    if (TRIGGERS.includes(raw.trigger)) s.trigger = raw.trigger;
    if (typeof raw.history === "boolean") s.history = raw.history;
    if (Object.hasOwn(AUTO_GLOSSARY, raw.autoGlossary)) s.autoGlossary = raw.autoGlossary;
    return s;
  }

  async function settings() {
    const { settings: raw } = await area.get("settings");
    return sanitize(raw);
  }

  async function saveSettings(partial) {
    const next = sanitize({ ...(await settings()), ...partial });
    await area.set({ settings: next });
    return next;
  }

  function onSettingsChanged(fn) {
    api.storage.onChanged.addListener((changes, areaName) => {
      if (areaName === "local" && changes.settings) fn(sanitize(changes.settings.newValue));
    });
  }

  async function history() {
    const { history: items } = await area.get("history");
    return Array.isArray(items) ? items : [];
  }

  /**
   * The history with `item` added last: an earlier look-up of the same word (any case) on
   * the same page is dropped; a look-up without a page (the popup's search box) replaces
   * the word's latest entry and keeps its sentence and page. Pure, for the tests.
   */
  function withLookup(items, { word, sentence = "", url = "", headword = "" }, time) {
    const key = String(word ?? "").trim().toLowerCase();
    const same = (it) => String(it.word ?? "").trim().toLowerCase() === key && (!url || pageKey(it.url) === pageKey(url));
    const earlier = items.filter(same);
    const last = earlier.length ? earlier[earlier.length - 1] : null;
    const dropped = url ? new Set(earlier) : new Set(last ? [last] : []);
    const kept = items.filter((it) => !dropped.has(it));
    kept.push({
      word,
      sentence: sentence || (last && !url ? String(last.sentence ?? "") : ""),
      url: url || (last ? String(last.url ?? "") : ""),
      headword: headword || (last ? String(last.headword ?? "") : ""),
      time,
    });
    return kept.slice(-MAX_HISTORY);
  }

  /** Keeps {word, sentence, url, headword?} as the newest look-up (see withLookup). */
  async function addLookup(item) {
    await area.set({ history: withLookup(await history(), item, new Date().toISOString()) });
  }

  /** The page a look-up was made on, without its #fragment (the same article either way). */
  function pageKey(url) {
    return String(url ?? "").split("#")[0];
  }

  /**
   * The words looked up on one page, as options.glossary takes them: [{word, context}],
   * each word once (its latest sentence), the most recent MAX_GLOSSARY_WORDS.
   */
  async function pageLookups(url) {
    const key = pageKey(url);
    if (!key) return [];
    const byWord = new Map();
    for (const item of await history()) {
      const word = String(item.word ?? "").trim();
      if (pageKey(item.url) !== key || !word || word.length > MAX_GLOSSARY_WORD) continue;
      byWord.delete(word.toLowerCase()); // re-inserted: the Map keeps the latest look-up last
      byWord.set(word.toLowerCase(), { word, context: String(item.sentence ?? "").slice(0, 1000) });
    }
    return [...byWord.values()].slice(-MAX_GLOSSARY_WORDS);
  }

  async function clearHistory() {
    await area.remove("history");
  }

  async function recordError(action, message, tabId = null) {
    await area.set({ lastError: { at: new Date().toISOString(), action, message, tabId } });
  }

  async function lastError() {
    const { lastError: value } = await area.get("lastError");
    return value ?? null;
  }

  async function clearError() {
    await area.remove("lastError");
  }

  /** RFC 4180 CSV; cells that a spreadsheet would run as a formula are prefixed with '. */
  function historyCsv(items) {
    const cell = (value) => {
      let v = String(value ?? "");
      if (/^[=+\-@\t\r]/.test(v)) v = `'${v}`;
      return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
    };
    const rows = [["time", "word", "headword", "sentence", "url"]];
    for (const it of items) rows.push([it.time, it.word, it.headword, it.sentence, it.url]);
    return rows.map((r) => r.map(cell).join(",")).join("\r\n") + "\r\n";
  }

  globalThis.GlossStorage = Object.freeze({
    DEFAULTS, PAGE_SIZES, TRIGGERS, LINKS, MAX_HISTORY, AUTO_GLOSSARY,
    sanitize, settings, saveSettings, onSettingsChanged,
    history, addLookup, withLookup, pageKey, clearHistory, historyCsv, pageLookups,
    recordError, lastError, clearError,
  });
})();
