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

  document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet(GlossEntryView.CSS)];

  function sheet(css) {
    const s = new CSSStyleSheet();
    s.replaceSync(css);
    return s;
  }

  async function send(message) {
    const reply = await api.runtime.sendMessage(message);
    if (!reply) throw new Error("Gloss's background did not answer. Reload the extension and try again.");
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

  async function setUpActions() {
    const tab = await targetTab().catch(() => null);
    const printable = tab && tab.id !== undefined && (!tab.url || /^(https?|file):/i.test(tab.url));
    for (const id of ["print", "preview"]) $(id).disabled = !printable;
    if (!printable) status("Open an article (a web page) to print it.");
    const words = printable ? await GlossStorage.pageLookups(tab.url ?? "") : [];
    $("print-words").disabled = !words.length;
    $("print-words-note").textContent = !printable ? "" : words.length
      ? `${words.length} ${words.length === 1 ? "word" : "words"} you looked up here will be defined where they stand.`
      : "Words you look up on this page can be printed with it, defined in footnotes.";
    const print = (button, message) => button.addEventListener("click", async () => {
      button.disabled = true;
      status("Printing… the toolbar button shows the progress.");
      try {
        const { downloadId } = await send(message);
        const name = await downloadedName(downloadId);
        status(`Saved ${name ?? "the PDF"} to your downloads.`, "ok");
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
    const last = await GlossStorage.lastError();
    if (last && Date.now() - Date.parse(last.at) < RECENT_ERROR_MS && printable) {
      status(`Last problem: ${last.message}`, "error");
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
    box.replaceChildren(GlossEntryView.renderMessage(document, `Looking up “${q}”…`, { idPrefix: "popup" }));
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
      word.title = `Look up ${item.word} again`;
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
      ? "History is off: turn it on in Options to keep your look-ups."
      : items.length ? `${items.length} ${items.length === 1 ? "word" : "words"} looked up.` : "Words you look up appear here.";
    $("history-note").textContent = note;
    $("export").disabled = $("clear").disabled = items.length === 0;
  }

  async function exportCsv() {
    const csv = GlossStorage.historyCsv(await GlossStorage.history());
    const url = URL.createObjectURL(new Blob([csv], { type: "text/csv;charset=utf-8" }));
    try {
      await api.downloads.download({ url, filename: "gloss-lookups.csv", conflictAction: "uniquify", saveAs: false });
      status("Exported your look-ups as gloss-lookups.csv.", "ok");
    } catch (error) {
      status(`Could not export: ${error.message}`, "error");
    }
    // The download reads the blob asynchronously; revoking at once could cut it short.
    setTimeout(() => URL.revokeObjectURL(url), 30_000);
  }

  let clearArmed = 0;
  async function clearHistory() {
    // Two clicks: a slip of the mouse must not wipe a year of look-ups.
    if (!clearArmed) {
      $("clear").textContent = "Really clear?";
      clearArmed = setTimeout(() => { clearArmed = 0; $("clear").textContent = "Clear"; }, 4000);
      return;
    }
    clearTimeout(clearArmed);
    clearArmed = 0;
    $("clear").textContent = "Clear";
    await GlossStorage.clearHistory();
    status("History cleared.", "ok");
    renderHistory();
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
