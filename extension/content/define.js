/*
 * The content script's entry point: when to look a word up, and the messages it answers.
 *
 * In: the reader's gestures on the page (a double-click, or a selection followed by the
 * modifier key chosen in the options) and messages from the worker: "page.capture"
 * (answered with the page, see capture.js) and "bubble.open" (look up the selection, or
 * the given text, as the context menu and the shortcut ask).
 * Out: a "define.lookup" message to the worker with the selection, its sentence and
 * where in the sentence it starts (`offset`, when known), and the bubble showing the answer. Gestures inside editable fields are left alone.
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

  const t = (key, subs) => GlossI18n.t(key, subs);

  /**
   * Looks `text` up; `range` (when the text is the selection) gives the place, the
   * sentence and where the text starts in it; `context` and `offset` are given instead
   * for a suggestion (no offset: the word is not in the sentence) or a part of a compound.
   * `part` ({text, offset}) is what the browser selected when that was widened to a
   * hyphenated compound: looked up instead when the dictionary lacks the compound.
   */
  async function lookup(text, range, context = null, part = null, offset = null) {
    const query = GlossSentence.query(text);
    const rect = range ? range.getBoundingClientRect() : null;
    if (!query) {
      if (text && text.trim()) {
        GlossBubble.open(rect, t("bubbleTheSelection"), null);
        GlossBubble.message(t("bubbleTooLong"));
      }
      return;
    }
    const placed = context === null && range ? GlossSentence.place(range) : { sentence: context ?? "", offset };
    const sentence = placed.sentence;
    const seq = ++lookupSeq;
    // A suggestion is looked up in the same sentence, in the same place.
    GlossBubble.open(rect, query, (word) => lookup(word, null, sentence));
    const message = { type: "define.lookup", query, context: sentence, url: location.href };
    if (placed.offset !== null && sentence) message.offset = placed.offset;
    let reply;
    try {
      reply = await api.runtime.sendMessage(message);
    } catch {
      reply = null;
    }
    if (seq !== lookupSeq) return;
    if (reply && reply.ok && reply.value && reply.value.status === "missing" && part && GlossSentence.query(part.text)) {
      lookup(part.text, range, sentence, null, part.offset);
      return;
    }
    if (!reply) GlossBubble.message(t("bubbleNoAnswer"));
    else if (!reply.ok) GlossBubble.message(reply.error || t("errorLookup"));
    else GlossBubble.show(reply.value);
  }

  function lookupSelection({ widen = false } = {}) {
    let range = currentRange();
    if (!range || range.collapsed) return;
    if (editable(range.commonAncestorContainer) || GlossBubble.contains(range.commonAncestorContainer)) return;
    const part = range.toString();
    const partOffset = GlossSentence.place(range).offset;
    if (widen) {
      const wide = GlossSentence.widen(range);
      if (wide !== range) {
        // Show the reader what is looked up: the whole compound, selected.
        const selection = window.getSelection();
        selection.removeAllRanges();
        selection.addRange(wide);
        range = wide;
      }
    }
    const text = range.toString();
    lookup(text, range, null, text !== part ? { text: part, offset: partOffset } : null);
  }

  // A double-click selects a word only up to a hyphen; the compound is what the reader meant.
  document.addEventListener("dblclick", (event) => {
    if (trigger !== "dblclick" || event.button !== 0) return;
    if (editable(event.target) || GlossBubble.contains(event.target)) return;
    lookupSelection({ widen: true });
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
        GlossBubble.open(null, t("bubbleTheSelection"), null);
        GlossBubble.message(t("bubbleSelectFirst"));
      } else {
        lookup(text, usable ? range : null);
      }
      sendResponse({ ok: true });
      return false;
    }
    return false;
  });
})();
