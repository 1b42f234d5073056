/*
 * The content script's entry point: when to look a word up, and the messages it answers.
 *
 * In: the reader's gestures on the page (a double-click, or a selection followed by the
 * modifier key chosen in the options) and messages from the worker: "page.capture"
 * (answered with the page, see capture.js) and "bubble.open" (look up the selection, or
 * the given text, as the context menu and the shortcut ask).
 * Out: a "define.lookup" message to the worker with the selection and its sentence,
 * and the bubble showing the answer. Gestures inside editable fields are left alone.
 */
(() => {
  "use strict";
  if (globalThis.GlossContent) return;
  globalThis.GlossContent = true;

  const api = globalThis.browser ?? globalThis.chrome;
  let trigger = GlossStorage.DEFAULTS.trigger;
  let lookupSeq = 0; // answers to superseded look-ups are dropped
  let modifierArmed = false;

  GlossStorage.settings().then((s) => { trigger = s.trigger; }, () => {});
  GlossStorage.onSettingsChanged((s) => { trigger = s.trigger; });

  function editable(node) {
    const element = node && (node.nodeType === Node.ELEMENT_NODE ? node : node.parentElement);
    return Boolean(element && element.closest("input, textarea, select, [contenteditable=''], [contenteditable=true]"));
  }

  function currentRange() {
    const selection = window.getSelection();
    return selection && selection.rangeCount ? selection.getRangeAt(0) : null;
  }

  /** Looks `text` up; `range` (when the text is the selection) gives the place and the sentence. */
  async function lookup(text, range, context = null) {
    const query = GlossSentence.query(text);
    const rect = range ? range.getBoundingClientRect() : null;
    if (!query) {
      if (text && text.trim()) {
        GlossBubble.open(rect, "the selection", null);
        GlossBubble.message("Select a word or a short phrase (up to six words) to look it up.");
      }
      return;
    }
    const sentence = context ?? (range ? GlossSentence.around(range) : "");
    const seq = ++lookupSeq;
    // A suggestion is looked up in the same sentence, in the same place.
    GlossBubble.open(rect, query, (word) => lookup(word, null, sentence));
    let reply;
    try {
      reply = await api.runtime.sendMessage({ type: "define.lookup", query, context: sentence, url: location.href });
    } catch {
      reply = null;
    }
    if (seq !== lookupSeq) return;
    if (!reply) GlossBubble.message("Gloss is not answering in this tab. Reload the page and try again.");
    else if (!reply.ok) GlossBubble.message(reply.error || "Gloss could not look this up.");
    else GlossBubble.show(reply.value);
  }

  function lookupSelection() {
    const range = currentRange();
    if (!range || range.collapsed) return;
    if (editable(range.commonAncestorContainer) || GlossBubble.contains(range.commonAncestorContainer)) return;
    lookup(range.toString(), range);
  }

  document.addEventListener("dblclick", (event) => {
    if (trigger !== "dblclick" || event.button !== 0) return;
    if (editable(event.target) || GlossBubble.contains(event.target)) return;
    lookupSelection();
  });

  // "Select, then press Alt" means the key pressed and released alone, so that shortcuts
  // using the same modifier (Shift+arrow to extend a selection) do not open the bubble.
  document.addEventListener("keydown", (event) => {
    modifierArmed = event.key === trigger && !event.repeat;
  }, true);
  document.addEventListener("keyup", (event) => {
    if (modifierArmed && event.key === trigger && ["Alt", "Shift", "Control"].includes(trigger)) {
      modifierArmed = false;
      if (!editable(event.target)) lookupSelection();
    }
  }, true);
  document.addEventListener("pointerdown", () => { modifierArmed = false; }, true);

  api.runtime.onMessage.addListener((message, sender, sendResponse) => {
    const refused = GlossProtocol.check(message, sender, { fromWorker: true });
    if (refused) return false;
    if (message.type === "page.capture") {
      sendResponse(GlossCapturePage.capture(message.maxImages));
      return false;
    }
    if (message.type === "bubble.open") {
      const range = currentRange();
      const text = message.query || (range ? range.toString() : "");
      const usable = range && !range.collapsed && (!message.query || GlossSentence.query(range.toString()) === GlossSentence.query(message.query));
      if (!text.trim()) {
        GlossBubble.open(null, "the selection", null);
        GlossBubble.message("Select a word first, then ask Gloss to define it.");
      } else {
        lookup(text, usable ? range : null);
      }
      sendResponse({ ok: true });
      return false;
    }
    return false;
  });
})();
