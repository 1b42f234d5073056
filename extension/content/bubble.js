/*
 * The Define bubble: a small dialog beside the selection.
 *
 * In: where to show it (the selection's client rectangle) and what to show in it
 * (a look-up result, or a message).
 * Out: one host element, `<div id="gloss-bubble">`, with an open shadow root, so the
 * page's CSS cannot reach inside and ours cannot leak out. Inside: role="dialog" with
 * an aria-label, a close button, the entry built from text nodes (shared/entry-view.js).
 * Focus moves into the bubble when it opens and back where it was when it closes;
 * Esc, the close button or a click outside close it.
 */
(() => {
  "use strict";
  if (globalThis.GlossBubble) return;

  const WIDTH = 360;
  const GAP = 8; // between the selection and the bubble
  const MARGIN = 8; // between the bubble and the viewport's edges

  const FRAME_CSS = `
:host { all: initial; }
.bubble {
  box-sizing: border-box; width: ${WIDTH}px; max-width: calc(100vw - ${2 * MARGIN}px);
  max-height: min(420px, calc(100vh - ${2 * MARGIN}px)); overflow: auto;
  background: var(--g-bg); color: var(--g-fg); border: 1px solid var(--g-border);
  border-radius: 10px; box-shadow: var(--g-shadow); padding: 12px 14px 12px 14px; position: relative;
  text-align: left; direction: ltr;
}
/* The dialog itself takes focus only to hand it on (Tab, Esc); its controls show the ring. */
.bubble:focus, .bubble:focus-visible { outline: none; }
.close {
  position: absolute; top: 6px; right: 6px; width: 28px; height: 28px; padding: 0;
  border: 0; border-radius: 6px; background: transparent; color: var(--g-muted);
  font: 20px/28px system-ui, sans-serif; cursor: pointer;
}
.close:hover { background: var(--g-tag-bg); color: var(--g-fg); }
.close:focus-visible { outline: 2px solid var(--g-focus); }
.g-loading { margin: 0 28px 0 0; color: var(--g-muted); }
`;

  let host = null;
  let dialog = null;
  let body = null;
  let returnFocus = null;
  let onSuggest = null;
  let anchorRect = null;

  function applyStyles(shadow) {
    const css = GlossEntryView.CSS + FRAME_CSS;
    try {
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(css);
      shadow.adoptedStyleSheets = [sheet]; // not subject to the page's style-src CSP
      return;
    } catch {
      // Browsers where content scripts cannot adopt sheets use a <style> element instead.
    }
    const style = document.createElement("style");
    style.textContent = css;
    shadow.append(style);
  }

  function build() {
    host = document.createElement("div");
    host.id = "gloss-bubble";
    for (const [k, v] of Object.entries({ all: "initial", position: "absolute", "z-index": "2147483647", top: "0px", left: "0px", display: "block" })) {
      host.style.setProperty(k, v, "important");
    }
    const shadow = host.attachShadow({ mode: "open" });
    applyStyles(shadow);
    dialog = document.createElement("div");
    dialog.className = "bubble g-entry";
    dialog.setAttribute("role", "dialog");
    dialog.setAttribute("aria-modal", "false");
    dialog.tabIndex = -1;
    const close = document.createElement("button");
    close.type = "button";
    close.className = "close";
    close.setAttribute("aria-label", GlossI18n.t("bubbleClose"));
    close.textContent = "×";
    close.addEventListener("click", () => hide());
    body = document.createElement("div");
    body.className = "body";
    body.setAttribute("aria-live", "polite");
    dialog.append(close, body);
    shadow.append(dialog);
    // "More" (or a late answer) changes the height: placed again, a bubble above the word
    // grows upward, never over the word.
    if (typeof ResizeObserver === "function") {
      new ResizeObserver(() => { if (isOpen()) place(anchorRect); }).observe(dialog);
    }
    dialog.addEventListener("keydown", (e) => {
      if (e.key === "Escape") {
        e.stopPropagation();
        hide();
      }
    });
  }

  function place(rect) {
    const scrollX = window.scrollX;
    const scrollY = window.scrollY;
    const vw = document.documentElement.clientWidth || window.innerWidth;
    const vh = window.innerHeight;
    const width = Math.min(WIDTH, vw - 2 * MARGIN);
    const anchor = rect && (rect.width || rect.height) ? rect : { left: vw / 2 - width / 2, top: vh / 3, bottom: vh / 3, width: 0, height: 0 };
    const left = Math.max(MARGIN, Math.min(anchor.left, vw - width - MARGIN));
    const height = dialog.offsetHeight || 160;
    const below = anchor.bottom + GAP;
    const top = below + height > vh - MARGIN && anchor.top - GAP - height >= MARGIN ? anchor.top - GAP - height : below;
    host.style.setProperty("left", `${Math.round(left + scrollX)}px`, "important");
    host.style.setProperty("top", `${Math.round(top + scrollY)}px`, "important");
  }

  function onOutsidePointer(event) {
    if (host && !event.composedPath().includes(host)) hide();
  }

  function onDocumentKey(event) {
    if (event.key === "Escape" && isOpen()) hide();
  }

  function isOpen() {
    return Boolean(host && host.isConnected);
  }

  /** Opens (or moves) the bubble at `rect`, labelled for `query`, showing that it is working. */
  function open(rect, query, suggest) {
    if (!host) build();
    onSuggest = suggest;
    // Without a place of its own (a suggestion was chosen), an open bubble stays where it is.
    anchorRect = rect || (isOpen() ? anchorRect : null);
    if (!isOpen()) {
      const active = document.activeElement;
      returnFocus = active && active !== document.body ? active : null;
      document.documentElement.append(host);
      document.addEventListener("pointerdown", onOutsidePointer, true);
      document.addEventListener("keydown", onDocumentKey, true);
    }
    dialog.setAttribute("aria-label", GlossI18n.t("bubbleDefinitionOf", query));
    dialog.setAttribute("aria-busy", "true");
    const loading = document.createElement("p");
    loading.className = "g-loading";
    loading.textContent = GlossI18n.t("bubbleLookingUp", query);
    body.replaceChildren(loading);
    host.dataset.state = "loading";
    place(anchorRect);
    dialog.focus({ preventScroll: true });
  }

  /** Replaces the content with a look-up result (see shared/entry-view.js). */
  function show(result) {
    if (!isOpen()) return;
    body.replaceChildren(GlossEntryView.render(document, result, { onSuggest, idPrefix: "gloss-bubble" }));
    dialog.removeAttribute("aria-busy");
    host.dataset.state = result && result.status ? result.status : "error";
    if (result && result.status === "found" && result.entry && result.entry.word) {
      dialog.setAttribute("aria-label", GlossI18n.t("bubbleDefinitionOf", result.entry.word));
    }
    place(anchorRect);
  }

  function message(text) {
    show({ status: "error", message: text });
  }

  function hide() {
    if (!isOpen()) return;
    const hadFocus = host.shadowRoot.activeElement !== null || document.activeElement === host;
    host.remove();
    document.removeEventListener("pointerdown", onOutsidePointer, true);
    document.removeEventListener("keydown", onDocumentKey, true);
    if (hadFocus && returnFocus && returnFocus.isConnected && typeof returnFocus.focus === "function") {
      returnFocus.focus({ preventScroll: true });
    }
    returnFocus = null;
  }

  globalThis.GlossBubble = Object.freeze({ open, show, message, hide, isOpen, contains: (node) => Boolean(host && node && (node === host || host.contains(node))) });
})();
