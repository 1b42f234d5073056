/*
 * The messages the parts of Gloss send each other, and the checks every receiver runs.
 *
 * In: a message `{type, ...fields}` and the `sender` the browser reports for it.
 * Out: `GlossProtocol.check(message, sender, receiver)` returns null when the message is
 * one we define, every field has the declared shape, no field is unknown and the sender
 * is a part of this extension allowed to send it; otherwise a short reason string.
 *
 * Names say what the message does. Who may send what:
 *   "extension" = a page of this extension (popup, options, preview),
 *   "content"   = our content script in a tab (the page around it is untrusted, so it
 *                 may only ask for look-ups),
 *   "worker"    = the background, talking to a tab's content script.
 *
 * Loaded as a plain script everywhere (worker, content scripts, extension pages), so it
 * only defines one frozen global.
 */
(() => {
  "use strict";
  if (globalThis.GlossProtocol) return;

  const api = globalThis.browser ?? globalThis.chrome;

  const text = (max, min = 0) => (v) => typeof v === "string" && v.length >= min && v.length <= max;
  const count = (max) => (v) => Number.isSafeInteger(v) && v >= 0 && v <= max;
  const optional = (check) => (v) => v === undefined || check(v);
  const bool = (v) => typeof v === "boolean";

  // Bounds keep a confused or hostile page from making the worker do large work.
  const MAX_QUERY = 200;
  const MAX_CONTEXT = 1000;
  const MAX_URL = 8192;

  const MESSAGES = Object.freeze({
    "print.tab": { from: ["extension"], fields: { tabId: count(Number.MAX_SAFE_INTEGER), words: optional(bool) } },
    "print.preview": { from: ["extension"], fields: { tabId: count(Number.MAX_SAFE_INTEGER) } },
    "page.probe": { from: ["extension"], fields: { tabId: count(Number.MAX_SAFE_INTEGER) } },
    "access.sync": { from: ["extension"], fields: {} },
    "define.lookup": {
      from: ["extension", "content"],
      fields: { query: text(MAX_QUERY, 1), context: optional(text(MAX_CONTEXT)), offset: optional(count(MAX_CONTEXT)),
        url: optional(text(MAX_URL)) },
    },
    "define.complete": { from: ["extension"], fields: { prefix: text(MAX_QUERY, 1), limit: optional(count(50)) } },
    "server.check": { from: ["extension"], fields: {} },
    "page.capture": { from: ["worker"], fields: { maxImages: count(200) } },
    "bubble.open": { from: ["worker"], fields: { query: optional(text(MAX_QUERY, 1)) } },
  });

  function extensionOrigin() {
    return api.runtime.getURL("");
  }

  /** Which part of this extension sent a message, or null when it is not ours. */
  function senderKind(sender) {
    if (!sender || sender.id !== api.runtime.id) return null;
    const url = typeof sender.url === "string" ? sender.url : "";
    const fromExtensionUrl = url.startsWith(extensionOrigin());
    // A tab showing a web page speaks through our content script; the popup, the options
    // and preview pages and the background have our own URL (and the background no tab).
    if (sender.tab && !fromExtensionUrl) return "content";
    return fromExtensionUrl || (!url && !sender.tab) ? "extension" : null;
  }

  function check(message, sender, { fromWorker = false } = {}) {
    if (!message || typeof message !== "object" || Array.isArray(message)) return "not an object";
    const spec = MESSAGES[message.type];
    if (!spec) return `unknown message type ${String(message.type).slice(0, 40)}`;
    let kind = senderKind(sender);
    // A content script receiving from the background sees an extension sender without a tab.
    if (fromWorker && kind === "extension" && !sender.tab) kind = "worker";
    if (!kind || !spec.from.includes(kind)) return `${message.type} may not come from ${kind ?? "outside"}`;
    for (const key of Object.keys(message)) {
      if (key !== "type" && !(key in spec.fields)) return `${message.type}: unexpected field ${key.slice(0, 40)}`;
    }
    for (const [key, valid] of Object.entries(spec.fields)) {
      if (!valid(message[key])) return `${message.type}: bad ${key}`;
    }
    return null;
  }

  globalThis.GlossProtocol = Object.freeze({ MESSAGES, MAX_QUERY, MAX_CONTEXT, check, senderKind });
})();
