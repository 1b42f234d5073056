/*
 * Print a tab: capture it, have the server typeset it, save the PDF.
 *
 * In: a tab id, and `{words: true}` for "Print with my words": the words the reader
 * looked up on this page (the history) go with it as `options.glossary`, so the PDF
 * defines them in footnotes where they stand. Otherwise the options' automatic glossary
 * level, if any, asks the server for the article's rarest words ("auto").
 * Out: `printTab(tabId, {words, frameId})` resolves to `{downloadId, filename, framed}`:
 * the browser download that holds the PDF, saved under the filename the server gave
 * (made from the headline; "… (with my words)" for a print with the reader's words, so
 * the two never collide), and how many frames big enough for an article of their own
 * the print left out (the reader is told; a print started from the context menu inside
 * a frame prints that frame, `frameId`);
 * it rejects with the message the reader was shown in a notification. The toolbar
 * button's badge shows progress meanwhile. The button (through the popup), the context
 * menu and the keyboard shortcut all call this one function; a second call for a tab
 * that is already printing joins the first.
 * `previewTab(tabId)` resolves to `{url, html}`: the clean article the server would print.
 */
(() => {
  "use strict";
  const api = globalThis.browser ?? globalThis.chrome;
  const running = new Map();
  const t = (key, subs) => GlossI18n.t(key, subs);
  // Long headlines make unwieldy names; this keeps the whole phrase in practice.
  const MAX_FILENAME = 120;

  class PrintError extends Error {}

  function printOptions(settings, words = null) {
    const options = { font_size: settings.fontSize, images: settings.images, links: settings.links };
    if (settings.pageSize !== "auto") options.page_size = settings.pageSize;
    if (words && words.length) {
      options.glossary = words;
    } else if (settings.autoGlossary !== "off") {
      options.glossary = "auto";
      options.glossary_max = GlossStorage.AUTO_GLOSSARY[settings.autoGlossary];
    }
    return options;
  }

  /** The reader's look-ups on the tab's page; a PrintError saying what to do when none. */
  async function wordsOf(tabId) {
    const tab = await api.tabs.get(tabId);
    const words = await GlossStorage.pageLookups(tab.url);
    if (!words.length) {
      throw new PrintError(t("errorNoWords"));
    }
    return words;
  }

  /**
   * What a file system accepts everywhere: no separators, reserved or control characters;
   * a long name is cut at a word's end (with "…"), never mid-word; `suffix` goes before ".pdf".
   */
  function safeFilename(name, suffix = "") {
    let clean = String(name ?? "")
      .normalize("NFC")
      .replace(/[\p{Cc}/\\:*?"<>|~]/gu, " ") // control characters, separators, reserved
      .replace(/\s+/g, " ")
      .trim()
      .replace(/^[.\s]+|[.\s]+$/g, "");
    if (clean.toLowerCase().endsWith(".pdf")) clean = clean.slice(0, -4).trim();
    if (clean.length > MAX_FILENAME) {
      const cut = clean.slice(0, MAX_FILENAME + 1);
      const end = cut.search(/[\s\p{P}]+\S*$/u); // the last break before the limit
      clean = `${(end > MAX_FILENAME / 2 ? cut.slice(0, end) : clean.slice(0, MAX_FILENAME)).trim()}…`;
    }
    return `${clean || "article"}${suffix}.pdf`;
  }

  /** The filename of an RFC 6266 Content-Disposition, preferring the UTF-8 `filename*`. */
  function filenameFromDisposition(header) {
    if (!header) return null;
    const extended = /filename\*\s*=\s*([^']*)'[^']*'([^;]+)/i.exec(header);
    if (extended) {
      try {
        return decodeURIComponent(extended[2].trim().replace(/^"|"$/g, ""));
      } catch {
        // fall through to the plain filename
      }
    }
    const quoted = /filename\s*=\s*"((?:[^"\\]|\\.)*)"/i.exec(header);
    if (quoted) return quoted[1].replace(/\\(.)/g, "$1");
    const token = /filename\s*=\s*([^;\s]+)/i.exec(header);
    return token ? token[1] : null;
  }

  async function save(blob, filename) {
    // A service worker (Chrome) has no object URLs; an event page (Firefox) has them and
    // its downloads API does not take data: URLs, so use whichever this browser has.
    if (typeof URL.createObjectURL === "function") {
      const url = URL.createObjectURL(blob);
      try {
        return await api.downloads.download({ url, filename, conflictAction: "uniquify", saveAs: false });
      } finally {
        setTimeout(() => URL.revokeObjectURL(url), 60_000);
      }
    }
    const bytes = new Uint8Array(await blob.arrayBuffer());
    let binary = "";
    for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    const url = `data:application/pdf;base64,${btoa(binary)}`;
    return api.downloads.download({ url, filename, conflictAction: "uniquify", saveAs: false });
  }

  function messageOf(error) {
    if (error instanceof GlossServer.GlossServerError || error instanceof GlossCapture.CaptureError ||
        error instanceof PrintError) return error.message;
    return t("errorUnexpected", error && error.message ? error.message : String(error));
  }

  async function run(tabId, withWords, frameId) {
    GlossBadge.progress(tabId, 0.02, t("progressReading"));
    let framed = 0;
    try {
      const settings = await GlossStorage.settings();
      const words = withWords ? await wordsOf(tabId) : null;
      const page = await GlossCapture.capturePage(tabId, {
        withImages: settings.images,
        frameId,
        onProgress: (done, total) => GlossBadge.progress(tabId, 0.1 + (0.4 * done) / total, t("progressImages", [done, total])),
      });
      framed = page.framed;
      GlossBadge.progress(tabId, 0.55, t("progressTypesetting"));
      const response = await GlossServer.request("/api/print", {
        method: "POST",
        timeout: "print",
        json: { url: page.url, html: page.html, images: page.images, options: printOptions(settings, words) },
      });
      const blob = await response.blob();
      const type = (response.headers.get("Content-Type") ?? "").toLowerCase();
      if (!type.startsWith("application/pdf")) {
        throw new GlossServer.GlossServerError(t("errorNotPdf", settings.serverUrl));
      }
      const filename = safeFilename(filenameFromDisposition(response.headers.get("Content-Disposition")) ?? page.title,
        withWords ? t("filenameWithWords") : "");
      GlossBadge.progress(tabId, 0.95, t("progressSaving"));
      const downloadId = await save(blob, filename);
      GlossBadge.finish(tabId, true, t("progressSaved", filename));
      return { downloadId, filename, framed: page.framed };
    } catch (error) {
      let message = messageOf(error);
      // The page itself holds no article, but a frame on it might: say where to click.
      if (framed && error instanceof GlossServer.GlossServerError && error.status === 422) message += ` ${t("errorFramed")}`;
      GlossBadge.finish(tabId, false, message);
      await GlossNotify.failure("print", message, tabId);
      throw new Error(message);
    }
  }

  function printTab(tabId, { words = false, frameId = 0 } = {}) {
    if (!Number.isSafeInteger(tabId) || tabId < 0) return Promise.reject(new Error("printTab needs a tab id"));
    const key = `${tabId}:${frameId}:${words ? "words" : "plain"}`;
    if (!running.has(key)) running.set(key, run(tabId, words === true, frameId).finally(() => running.delete(key)));
    return running.get(key);
  }

  async function previewTab(tabId) {
    try {
      const settings = await GlossStorage.settings();
      const page = await GlossCapture.capturePage(tabId, { withImages: settings.images });
      const response = await GlossServer.request("/api/preview", {
        method: "POST",
        timeout: "print",
        json: { url: page.url, html: page.html, images: page.images, options: printOptions(settings) },
      });
      return { url: page.url, title: page.title, html: await response.text() };
    } catch (error) {
      const message = messageOf(error);
      await GlossStorage.recordError("preview", message, tabId);
      throw new Error(message);
    }
  }

  globalThis.GlossPrint = Object.freeze({ printTab, previewTab, safeFilename, filenameFromDisposition, printOptions });
})();
