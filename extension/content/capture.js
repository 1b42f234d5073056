/*
 * The page as the reader sees it, for printing.
 *
 * In: the live document of the tab (never changed: the work happens on a copy in an
 * inert document, where nothing loads and no script runs).
 * Out: `GlossCapturePage.capture(maxImages)` returns `{url, title, html, images}`:
 * the HTML of that copy with every lazy image resolved to the absolute URL of the
 * picture to print (`data-src` and friends, the best `srcset`/`<picture>` candidate,
 * `<noscript>` copies turned back into elements), scripts other than JSON-LD
 * metadata removed, Gloss's own bubble left out; and `images`, the absolute URLs of
 * the images worth sending, article images first, at most `maxImages`; `contentType`
 * (a PDF or an image shown in a tab is no article) and `framedArticles`, how many frames
 * are big enough to hold an article of their own (they are not in `html`).
 */
(() => {
  "use strict";
  if (globalThis.GlossCapturePage) return;

  // The one list of lazy-image attributes, shared with the server (shared/lazy-images.js).
  const LAZY_SRC = GlossLazyImages.src;
  const LAZY_SRCSET = GlossLazyImages.srcset;
  // Print wants more pixels than a screen at 1x; past this width files grow for nothing.
  const PRINT_WIDTH = 2000;
  // Smaller than this on screen is an icon, a tracker or a spacer, not an article image.
  const MIN_SIDE = 48;
  const ARTICLE_ROOTS = "article, [itemprop=articleBody], [role=main], main, .article, .post, .entry-content";

  function absolute(url) {
    try {
      const u = new URL(url.trim(), document.baseURI);
      return /^https?:$/.test(u.protocol) ? u.href : null;
    } catch {
      return null;
    }
  }

  /** Candidates of a srcset: [{url, w}] with w the width descriptor (or density × 1000). */
  function parseSrcset(srcset) {
    const out = [];
    for (const part of String(srcset || "").split(/,\s+(?=\S)/)) {
      const [url, descriptor = ""] = part.trim().split(/\s+/, 2);
      const abs = url ? absolute(url) : null;
      if (!abs) continue;
      const m = /^(\d+(?:\.\d+)?)([wx])$/.exec(descriptor);
      out.push({ url: abs, w: m ? (m[2] === "w" ? Number(m[1]) : Number(m[1]) * 1000) : 1 });
    }
    return out;
  }

  function bestOfSrcset(srcset) {
    const candidates = parseSrcset(srcset).sort((a, b) => a.w - b.w);
    if (!candidates.length) return null;
    const fitting = candidates.filter((c) => c.w <= PRINT_WIDTH);
    return (fitting.length ? fitting[fitting.length - 1] : candidates[0]).url;
  }

  const isPlaceholder = (url) => !url || /^data:/i.test(url) || /^about:/i.test(url);

  /** The URL the print should show for a live <img>. */
  function printSource(img) {
    const sources = [];
    const picture = img.parentElement && img.parentElement.tagName === "PICTURE" ? img.parentElement : null;
    if (picture) for (const source of picture.querySelectorAll("source")) sources.push(source.getAttribute("srcset") || source.getAttribute("data-srcset"));
    for (const attr of ["srcset", ...LAZY_SRCSET]) sources.push(img.getAttribute(attr));
    const lazy = LAZY_SRC.map((a) => img.getAttribute(a)).find((v) => v && !isPlaceholder(v));
    const loadedSmall = img.complete && img.naturalWidth > 0 && img.naturalWidth <= 2; // a 1×1 placeholder
    const current = img.currentSrc || img.src;
    const fromSrcset = sources.filter(Boolean).map(bestOfSrcset).find(Boolean);
    if (fromSrcset) return fromSrcset;
    if (lazy && (isPlaceholder(current) || loadedSmall || !img.getAttribute("src"))) return absolute(lazy);
    if (!isPlaceholder(current)) return absolute(current);
    return lazy ? absolute(lazy) : null;
  }

  function visibleEnough(img) {
    const w = img.width || img.naturalWidth;
    const h = img.height || img.naturalHeight;
    // Unknown size (not laid out yet, or not loaded) is kept: a lazy image often is both.
    return !(w && h && w < MIN_SIDE && h < MIN_SIDE);
  }

  /** Turns each <noscript>'s text back into inert elements so the server sees its images. */
  function reviveNoscript(doc) {
    const parser = new DOMParser(); // its documents are inert: nothing loads, nothing runs
    for (const noscript of doc.querySelectorAll("noscript")) {
      const parsed = parser.parseFromString(noscript.textContent, "text/html");
      noscript.replaceChildren(...Array.from(parsed.body.childNodes, (node) => doc.importNode(node, true)));
    }
  }

  /** Frames big enough to hold an article of their own: the print leaves them out, and the reader is told. */
  function framedArticles() {
    const viewport = window.innerWidth * window.innerHeight;
    return Array.from(document.querySelectorAll("iframe, frame")).filter((frame) => {
      const box = frame.getBoundingClientRect();
      return box.width >= 300 && box.height >= 200 && box.width * box.height >= viewport / 4;
    }).length;
  }

  function capture(maxImages) {
    const inert = document.implementation.createHTMLDocument("");
    const copy = inert.importNode(document.documentElement, true);
    inert.replaceChild(copy, inert.documentElement);

    const liveImages = Array.from(document.documentElement.querySelectorAll("img"));
    const copyImages = Array.from(copy.querySelectorAll("img"));
    const inArticle = [];
    const elsewhere = [];
    liveImages.forEach((img, i) => {
      const twin = copyImages[i];
      const src = printSource(img);
      if (!twin) return;
      if (src) {
        twin.setAttribute("src", src);
        for (const a of ["srcset", "sizes", "loading", ...LAZY_SRC, ...LAZY_SRCSET]) twin.removeAttribute(a);
        if (twin.parentElement && twin.parentElement.tagName === "PICTURE") {
          for (const s of twin.parentElement.querySelectorAll("source")) s.remove();
        }
        if (visibleEnough(img)) (img.closest(ARTICLE_ROOTS) ? inArticle : elsewhere).push(src);
      }
    });
    const og = document.querySelector('meta[property="og:image"], meta[name="og:image"]');
    const ogUrl = og ? absolute(og.getAttribute("content") || "") : null;
    if (ogUrl) elsewhere.unshift(ogUrl);

    for (const node of copy.querySelectorAll("#gloss-bubble")) node.remove();
    for (const script of copy.querySelectorAll("script")) {
      if ((script.getAttribute("type") || "").toLowerCase() !== "application/ld+json") script.remove();
    }
    reviveNoscript(inert);

    const doctype = document.doctype ? `<!DOCTYPE ${document.doctype.name}>` : "<!DOCTYPE html>";
    const images = [...new Set([...inArticle, ...elsewhere])].slice(0, maxImages);
    return {
      url: location.href, title: document.title, html: `${doctype}\n${copy.outerHTML}`, images,
      contentType: document.contentType, framedArticles: framedArticles(),
    };
  }

  globalThis.GlossCapturePage = Object.freeze({ capture, parseSrcset, bestOfSrcset });
})();
