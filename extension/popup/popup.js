/*
 * The popup: Print, Print with my words (the words looked up on this page defined in
 * the PDF) and Preview for the current tab, a word search with completion, and the
 * history of look-ups (with CSV export and clear).
 *
 * In: the active tab (or `?tab=<id>` when the popup is opened as a page), storage.
 * Out: "print.tab", "print.preview" (through the preview page), "define.lookup" and
 * "define.complete" messages to the worker; everything shown is built from text nodes.
 */
(() => {
  "use strict";
  const api = globalThis.browser ?? globalThis.chrome;
  const $ = (id) => document.getElementById(id);
  const COMPLETE_DELAY_MS = 120; // one request per pause in typing, not per key
  const RECENT_ERROR_MS = 60 * 60 * 1000;
  const t = (key, subs) => GlossI18n.t(key, subs);
  let currentTab = null;

  GlossI18n.localize(document);

  document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet(GlossEntryView.CSS)];

  function sheet(css) {
    const s = new CSSStyleSheet();
    s.replaceSync(css);
    return s;
  }

  async function send(message) {
    const reply = await api.runtime.sendMessage(message);
    if (!reply) throw new Error(t("errorNoBackground"));
    if (!reply.ok) throw new Error(reply.error);
    return reply.value;
  }

  function status(text, kind = "") {
    const el = $("status");
    el.textContent = text;
    el.className = `status ${kind}`;
  }

  async function targetTab() {
    const fromQuery = new URLSearchParams(location.search).get("tab");
    if (fromQuery !== null && /^\d+$/.test(fromQuery)) return api.tabs.get(Number(fromQuery));
    const [tab] = await api.tabs.query({ active: true, currentWindow: true });
    return tab ?? null;
  }

  // ---- Print and preview -------------------------------------------------------------

  /** The saved file's name; the browser settles it a moment after the download starts. */
  async function downloadedName(downloadId) {
    for (let i = 0; i < 50; i += 1) {
      const [item] = await api.downloads.search({ id: downloadId });
      if (!item || item.state === "interrupted") return null;
      if (item.filename) return item.filename.split(/[\\/]/).pop();
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return null;
  }

  let printable = false;

  /** "Print with my words" and its note, from the history as it is now (after Clear too). */
  async function updateWords() {
    const words = printable ? await GlossStorage.pageLookups(currentTab.url ?? "") : [];
    $("print-words").disabled = !words.length;
    $("print-words-note").textContent = !printable ? "" : words.length
      ? t(words.length === 1 ? "popupWordsOne" : "popupWordsMany", words.length)
      : t("popupWordsNone");
  }

  async function setUpActions() {
    const tab = await targetTab().catch(() => null);
    currentTab = tab;
    // Asking the tab itself (activeTab) tells a PDF, an image or a browser page from an article.
    const probe = tab && tab.id !== undefined
      ? await send({ type: "page.probe", tabId: tab.id }).catch(() => ({ printable: false, reason: "closed" }))
      : { printable: false, reason: "closed" };
    printable = probe.printable;
    for (const id of ["print", "preview"]) $(id).disabled = !printable;
    if (!printable) status(t(probe.reason === "document" ? "popupNotArticle" : "popupClosedPage"));
    await updateWords();
    let saved = null;
    $("open-pdf").addEventListener("click", () => {
      if (saved !== null) api.downloads.open(saved);
    });
    const print = (button, message) => button.addEventListener("click", async () => {
      button.disabled = true;
      $("open-pdf").hidden = true;
      status(t("popupPrinting"));
      try {
        const { downloadId, framed } = await send(message);
        const name = await downloadedName(downloadId);
        saved = downloadId;
        status(t(framed ? "popupSavedFramed" : "popupSaved", name ?? "PDF"), "ok");
        $("open-pdf").hidden = false;
      } catch (error) {
        status(error.message, "error");
      } finally {
        button.disabled = false;
      }
    });
    print($("print"), { type: "print.tab", tabId: tab && tab.id });
    print($("print-words"), { type: "print.tab", tabId: tab && tab.id, words: true });
    $("preview").addEventListener("click", async () => {
      await api.tabs.create({ url: api.runtime.getURL(`popup/preview.html?tab=${tab.id}`) });
      window.close();
    });
    // A problem is shown in the tab it happened in, not in every tab's popup.
    const last = await GlossStorage.lastError();
    if (last && last.tabId === tab.id && Date.now() - Date.parse(last.at) < RECENT_ERROR_MS && printable) {
      status(t("popupLastProblem", last.message), "error");
      GlossStorage.clearError();
    }
  }

  // ---- Word search -------------------------------------------------------------------

  let completeTimer = 0;
  let completeSeq = 0;
  let lookupSeq = 0;

  function onType() {
    clearTimeout(completeTimer);
    const prefix = $("query").value.trim();
    if (!prefix) return;
    completeTimer = setTimeout(async () => {
      const seq = ++completeSeq;
      const { completions } = await send({ type: "define.complete", prefix: prefix.slice(0, 200), limit: 10 }).catch(() => ({ completions: [] }));
      if (seq !== completeSeq) return;
      $("completions").replaceChildren(...completions.map((word) => {
        const option = document.createElement("option");
        option.value = word;
        return option;
      }));
    }, COMPLETE_DELAY_MS);
  }

  async function define(query) {
    const q = query.trim().slice(0, 200);
    if (!q) return;
    $("query").value = q;
    const seq = ++lookupSeq;
    const box = $("entry");
    box.replaceChildren(GlossEntryView.renderMessage(document, t("bubbleLookingUp", q), { idPrefix: "popup" }));
    let result;
    try {
      result = await send({ type: "define.lookup", query: q });
    } catch (error) {
      result = { status: "error", message: error.message };
    }
    if (seq !== lookupSeq) return;
    box.replaceChildren(GlossEntryView.render(document, result, { onSuggest: define, idPrefix: "popup" }));
    renderHistory();
  }

  // ---- History -----------------------------------------------------------------------

  function describeTime(iso) {
    const date = new Date(iso);
    return Number.isNaN(date.getTime()) ? "" : date.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
  }

  function hostOf(url) {
    try {
      return new URL(url).host;
    } catch {
      return "";
    }
  }

  async function renderHistory() {
    const [items, settings] = await Promise.all([GlossStorage.history(), GlossStorage.settings()]);
    const list = $("history");
    const rows = items.slice().reverse().map((item) => {
      const li = document.createElement("li");
      const word = document.createElement("button");
      word.type = "button";
      word.className = "word";
      word.textContent = item.word;
      word.title = t("popupLookUpAgain", item.word);
      word.addEventListener("click", () => define(item.word));
      li.append(word);
      if (item.headword && item.headword.toLowerCase() !== String(item.word).toLowerCase()) {
        const head = document.createElement("span");
        head.className = "headword";
        head.textContent = ` → ${item.headword}`;
        li.append(head);
      }
      if (item.sentence) {
        const sentence = document.createElement("span");
        sentence.className = "sentence";
        sentence.textContent = item.sentence;
        sentence.title = item.sentence;
        li.append(sentence);
      }
      const where = document.createElement("span");
      where.className = "where";
      where.textContent = [hostOf(item.url), describeTime(item.time)].filter(Boolean).join(" · ");
      li.append(where);
      return li;
    });
    list.replaceChildren(...rows);
    const note = !settings.history
      ? t("popupHistoryOff")
      : items.length ? t(items.length === 1 ? "popupHistoryOne" : "popupHistoryMany", items.length) : t("popupHistoryEmpty");
    $("history-note").textContent = note;
    $("export").disabled = $("clear").disabled = items.length === 0;
  }

  async function exportCsv() {
    const csv = GlossStorage.historyCsv(await GlossStorage.history());
    const url = URL.createObjectURL(new Blob([csv], { type: "text/csv;charset=utf-8" }));
    try {
      await api.downloads.download({ url, filename: "gloss-lookups.csv", conflictAction: "uniquify", saveAs: false });
      status(t("popupExported", "gloss-lookups.csv"), "ok");
    } catch (error) {
      status(t("popupExportFailed", error.message), "error");
    }
    // The download reads the blob asynchronously; revoking at once could cut it short.
    setTimeout(() => URL.revokeObjectURL(url), 30_000);
  }

  let clearArmed = 0;
  async function clearHistory() {
    // Two clicks: a slip of the mouse must not wipe a year of look-ups.
    if (!clearArmed) {
      $("clear").textContent = t("popupClearConfirm");
      clearArmed = setTimeout(() => { clearArmed = 0; $("clear").textContent = t("popupClear"); }, 4000);
      return;
    }
    clearTimeout(clearArmed);
    clearArmed = 0;
    $("clear").textContent = t("popupClear");
    await GlossStorage.clearHistory();
    status(t("popupCleared"), "ok");
    renderHistory();
    updateWords(); // the words this page could be printed with are gone too
  }

  $("open-options").addEventListener("click", () => api.runtime.openOptionsPage());
  $("query").addEventListener("input", onType);
  $("search-form").addEventListener("submit", (event) => {
    event.preventDefault();
    define($("query").value);
  });
  $("export").addEventListener("click", exportCsv);
  $("clear").addEventListener("click", clearHistory);
  setUpActions();
  renderHistory();
})();
