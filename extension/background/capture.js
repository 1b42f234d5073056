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

  function contentFiles() {
    const scripts = api.runtime.getManifest().content_scripts ?? [];
    return scripts.length ? scripts[0].js : [];
  }

  /** Sends to the tab's top frame; injects the content scripts first when they are not there yet. */
  async function askTab(tabId, message) {
    try {
      return await api.tabs.sendMessage(tabId, message, { frameId: 0 });
    } catch (first) {
      try {
        await api.scripting.executeScript({ target: { tabId, frameIds: [0] }, files: contentFiles() });
      } catch {
        throw new CaptureError("Gloss cannot read this page: browsers keep their own pages and the extension store closed to extensions. Open the article itself and try again.");
      }
      return api.tabs.sendMessage(tabId, message, { frameId: 0 });
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

  async function fetchImage(url, budget) {
    try {
      const response = await fetch(url, { credentials: "include", signal: AbortSignal.timeout(IMAGE_TIMEOUT_MS) });
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

  async function fetchImages(urls, onProgress) {
    const wanted = urls.filter((u) => /^https?:/i.test(u)).slice(0, MAX_IMAGES);
    const images = {};
    const budget = { left: MAX_TOTAL_BYTES };
    let next = 0;
    let finished = 0;
    async function lane() {
      while (next < wanted.length) {
        const url = wanted[next++];
        const data = await fetchImage(url, budget);
        if (data) images[url] = data;
        finished += 1;
        onProgress(finished, wanted.length);
      }
    }
    await Promise.all(Array.from({ length: Math.min(PARALLEL_FETCHES, wanted.length) }, lane));
    return images;
  }

  async function capturePage(tabId, { withImages = true, onProgress = () => {} } = {}) {
    const page = await askTab(tabId, { type: "page.capture", maxImages: MAX_IMAGES });
    if (!page || typeof page.html !== "string" || typeof page.url !== "string") {
      throw new CaptureError("Gloss could not read this page. Reload it and try again.");
    }
    if (!/^https?:/i.test(page.url)) {
      throw new CaptureError("Gloss prints web pages (http or https addresses) only.");
    }
    const urls = Array.isArray(page.images) ? page.images.filter((u) => typeof u === "string") : [];
    const images = withImages ? await fetchImages(urls, onProgress) : {};
    return { url: page.url, title: typeof page.title === "string" ? page.title : "", html: page.html, images };
  }

  globalThis.GlossCapture = Object.freeze({ capturePage, askTab, CaptureError, MAX_IMAGES, MAX_IMAGE_BYTES, MAX_TOTAL_BYTES });
})();
