/*
 * The page as the reader sees it, ready to post to the server.
 *
 * In: a tab id (and a progress callback).
 * Out: `{url, title, html, images}` where `html` is the tab's document after its lazy
 * images were resolved (made by the content script) and `images` maps each absolute
 * image URL the page shows to a `data:` URI fetched here, so the server needs no
 * network and sees what the reader's log-in lets them see. Images are bounded in
 * count and bytes; the ones past a bound are left for the server to drop or fetch.
 */
(() => {
  "use strict";
  const api = globalThis.browser ?? globalThis.chrome;

  // Bounds: an article rarely has more than a few dozen figures, and the whole request
  // (base64 adds a third) must stay well under the server's 40 MiB body limit.
  const MAX_IMAGES = 40;
  const MAX_IMAGE_BYTES = 5 * 1024 * 1024;
  const MAX_TOTAL_BYTES = 20 * 1024 * 1024;
  const IMAGE_TIMEOUT_MS = 15_000;
  const PARALLEL_FETCHES = 4;

  class CaptureError extends Error {}

  // The content scripts, in load order: injected into the tab the reader acts on (activeTab),
  // or registered for every page once the reader grants access to all sites (access.js).
  const CONTENT_SCRIPTS = Object.freeze([
    "shared/protocol.js",
    "shared/i18n.js",
    "shared/storage.js",
    "shared/lazy-images.js",
    "shared/entry-view.js",
    "content/capture.js",
    "content/sentence.js",
    "content/bubble.js",
    "content/define.js",
  ]);
  const t = (key, subs) => GlossI18n.t(key, subs);

  /** Injects the content scripts into every frame of the tab where they are not yet (they guard against a second run). */
  async function inject(tabId) {
    try {
      await api.scripting.executeScript({ target: { tabId, allFrames: true }, files: CONTENT_SCRIPTS });
    } catch {
      throw new CaptureError(t("errorClosedPage"));
    }
  }

  /** Sends to one frame of the tab (the top one by default); injects the content scripts first when they are not there yet. */
  async function askTab(tabId, message, frameId = 0) {
    try {
      return await api.tabs.sendMessage(tabId, message, { frameId });
    } catch {
      await inject(tabId);
      return api.tabs.sendMessage(tabId, message, { frameId });
    }
  }

  /**
   * What the tab shows, for the popup: {printable, reason} where reason is "closed"
   * (a browser page, the store, or no access) or "document" (a PDF, an image: not an article).
   * Injecting here also makes double-click work on this tab from now on.
   */
  async function probe(tabId) {
    try {
      await inject(tabId);
      const [result] = await api.scripting.executeScript({
        target: { tabId, frameIds: [0] },
        func: () => ({ type: document.contentType, protocol: location.protocol }),
      });
      const kind = result && result.result;
      if (!kind || !/^(https?|file):$/.test(kind.protocol)) return { printable: false, reason: "closed" };
      if (!/^(text\/html|application\/xhtml\+xml)$/i.test(kind.type)) return { printable: false, reason: "document" };
      return { printable: true, reason: "" };
    } catch {
      return { printable: false, reason: "closed" };
    }
  }

  function base64(bytes) {
    let binary = "";
    const CHUNK = 0x8000; // fromCharCode takes arguments on the stack; keep each call small
    for (let i = 0; i < bytes.length; i += CHUNK) binary += String.fromCharCode(...bytes.subarray(i, i + CHUNK));
    return btoa(binary);
  }

  /** Reads at most `limit` bytes; null when the body is larger, so a huge image is never held whole. */
  async function readBounded(response, limit) {
    const declared = Number(response.headers.get("Content-Length"));
    if (declared && declared > limit) return null;
    const reader = response.body.getReader();
    const parts = [];
    let size = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > limit) {
        await reader.cancel();
        return null;
      }
      parts.push(value);
    }
    const bytes = new Uint8Array(size);
    let at = 0;
    for (const p of parts) {
      bytes.set(p, at);
      at += p.byteLength;
    }
    return bytes;
  }

  async function fetchImage(url, credentials, budget) {
    try {
      const response = await fetch(url, { credentials, signal: AbortSignal.timeout(IMAGE_TIMEOUT_MS) });
      if (!response.ok) return null;
      const type = (response.headers.get("Content-Type") ?? "").split(";")[0].trim().toLowerCase();
      if (!type.startsWith("image/")) return null;
      const bytes = await readBounded(response, Math.min(MAX_IMAGE_BYTES, budget.left));
      if (!bytes || bytes.byteLength > budget.left) return null;
      budget.left -= bytes.byteLength;
      return `data:${type};base64,${base64(bytes)}`;
    } catch {
      return null; // a missing image must not stop the print
    }
  }

  /** The page's images as data: URIs; cookies go only to the page's own site, local addresses only for a local page. */
  async function fetchImages(urls, pageUrl, onProgress) {
    const wanted = urls
      .map((url) => ({ url, credentials: GlossImagePolicy.credentialsFor(url, pageUrl) }))
      .filter((w) => w.credentials)
      .slice(0, MAX_IMAGES);
    const images = {};
    const budget = { left: MAX_TOTAL_BYTES };
    let next = 0;
    let finished = 0;
    async function lane() {
      while (next < wanted.length) {
        const { url, credentials } = wanted[next++];
        const data = await fetchImage(url, credentials, budget);
        if (data) images[url] = data;
        finished += 1;
        onProgress(finished, wanted.length);
      }
    }
    await Promise.all(Array.from({ length: Math.min(PARALLEL_FETCHES, wanted.length) }, lane));
    return images;
  }

  /** `frameId` picks the frame to print (the context menu's, when the reader right-clicked inside one). */
  async function capturePage(tabId, { withImages = true, onProgress = () => {}, frameId = 0 } = {}) {
    const page = await askTab(tabId, { type: "page.capture", maxImages: MAX_IMAGES }, frameId);
    if (!page || typeof page.html !== "string" || typeof page.url !== "string") {
      throw new CaptureError(t("errorUnreadable"));
    }
    if (!/^https?:/i.test(page.url)) {
      throw new CaptureError(t("errorNotWebPage"));
    }
    if (!/^(text\/html|application\/xhtml\+xml)$/i.test(page.contentType ?? "text/html")) {
      throw new CaptureError(t("errorNotArticle"));
    }
    const urls = Array.isArray(page.images) ? page.images.filter((u) => typeof u === "string") : [];
    const images = withImages ? await fetchImages(urls, page.url, onProgress) : {};
    const title = typeof page.title === "string" ? page.title : "";
    const framed = Number.isSafeInteger(page.framedArticles) ? page.framedArticles : 0;
    return { url: page.url, title, html: page.html, images, framed };
  }

  globalThis.GlossCapture = Object.freeze({
    capturePage, askTab, inject, probe, CaptureError, CONTENT_SCRIPTS, MAX_IMAGES, MAX_IMAGE_BYTES, MAX_TOTAL_BYTES,
  });
})();
