/*
 * The background of Gloss: the only part that talks to the server or the network.
 *
 * Chromium runs this file as the service worker and loads the modules with
 * importScripts; Firefox runs the same files, listed under background.scripts in the
 * manifest, as an event page. Listeners are registered here, at the top level, on the
 * first run of the script: the browser may stop the background at any time and wakes
 * it with the event.
 *
 * Handles the messages "print.tab", "print.preview", "page.probe", "define.lookup",
 * "define.complete", "server.check" and "access.sync" (shapes and senders:
 * shared/protocol.js). Content scripts are injected into the tab the reader acts on
 * (activeTab), or registered for every page when the reader granted that (access.js).
 * Exposes `globalThis.printTab(tabId, {words})`, resolving to the download id, for tests
 * and for anything else that wants to print a tab the way the button does.
 */
"use strict";

// Keep this list the same as background.scripts in manifest.json (a test checks it).
if (typeof importScripts === "function") {
  importScripts(
    "/shared/protocol.js",
    "/shared/i18n.js",
    "/shared/storage.js",
    "/shared/image-policy.js",
    "/background/server.js",
    "/background/badge.js",
    "/background/notify.js",
    "/background/capture.js",
    "/background/access.js",
    "/background/print.js",
    "/background/define.js",
    "/background/menus.js",
  );
}

(() => {
  const api = globalThis.browser ?? globalThis.chrome;

  const HANDLERS = {
    "print.tab": (m) => GlossPrint.printTab(m.tabId, { words: m.words === true }),
    "print.preview": (m) => GlossPrint.previewTab(m.tabId),
    "page.probe": (m) => GlossCapture.probe(m.tabId),
    // A content script speaks for its frame: take the page URL from the browser, not from it.
    "define.lookup": (m, sender) => GlossDefine.lookup({
      query: m.query,
      context: m.context ?? "",
      offset: m.offset,
      url: GlossProtocol.senderKind(sender) === "content" ? (sender.url ?? "") : (m.url ?? ""),
    }),
    "define.complete": (m) => GlossDefine.complete({ prefix: m.prefix, limit: m.limit ?? 10 }),
    "server.check": () => GlossServer.check(),
    "access.sync": () => GlossAccess.sync(),
  };

  api.runtime.onMessage.addListener((message, sender, sendResponse) => {
    const refused = GlossProtocol.check(message, sender);
    const handler = refused ? null : HANDLERS[message.type];
    if (!handler) {
      console.warn("Gloss: message refused:", refused ?? `${message.type} is not handled here`);
      return false;
    }
    handler(message, sender).then(
      (value) => sendResponse({ ok: true, value }),
      (error) => sendResponse({ ok: false, error: error && error.message ? error.message : String(error) }),
    );
    return true; // the answer comes asynchronously
  });

  const syncAccess = () => GlossAccess.sync().catch((error) => console.warn("Gloss: content scripts:", error));
  api.runtime.onInstalled.addListener(() => { GlossMenus.createMenus(); syncAccess(); });
  api.runtime.onStartup.addListener(() => { GlossMenus.createMenus(); syncAccess(); });
  api.permissions.onAdded.addListener(syncAccess);
  api.permissions.onRemoved.addListener(syncAccess);
  api.contextMenus.onClicked.addListener(GlossMenus.onMenuClicked);
  api.commands.onCommand.addListener(GlossMenus.onCommand);

  globalThis.printTab = (tabId, options) => GlossPrint.printTab(tabId, options).then((r) => r.downloadId);
})();
