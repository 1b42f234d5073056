/*
 * The context-menu items and keyboard commands, each mapped to the same actions as
 * the popup: "Print article as PDF" (page and toolbar-button menus, Alt+Shift+G) prints
 * the tab; "Print with my words" prints it with the words looked up on it defined in
 * footnotes; "Define “%s”" (selection menu, Alt+Shift+D) opens the bubble on the selection.
 * A menu used inside a frame acts on that frame: its selection is defined there, with
 * the bubble at the word, and Print prints the frame's document.
 * (Alt+Shift+P, the first choice, is one Chromium keeps for itself: it leaves the
 * command without a shortcut on a fresh profile.)
 */
(() => {
  "use strict";
  const api = globalThis.browser ?? globalThis.chrome;
  const PRINT = "gloss-print";
  const PRINT_WORDS = "gloss-print-words";
  const DEFINE = "gloss-define";

  const ITEMS = [
    { id: PRINT, title: "menuPrint", contexts: ["page", "frame", "action"] },
    { id: PRINT_WORDS, title: "menuPrintWords", contexts: ["page", "frame", "action"] },
    { id: DEFINE, title: "menuDefine", contexts: ["selection"] },
  ];
  let building = Promise.resolve();

  async function build() {
    await api.contextMenus.removeAll();
    for (const item of ITEMS) {
      await new Promise((resolve) => {
        api.contextMenus.create({ ...item, title: GlossI18n.t(item.title) }, () => {
          const error = api.runtime.lastError; // read, so the browser does not log it as unchecked
          if (error) console.warn(`Gloss: menu item ${item.id}:`, error.message);
          resolve();
        });
      });
    }
  }

  /** (Re)creates the items; calls are chained so install and start-up cannot interleave. */
  function createMenus() {
    building = building.then(build, build);
    return building;
  }

  // Failures are already told to the reader (notification, badge); nothing more to do here.
  const print = (tabId, options) => GlossPrint.printTab(tabId, options).catch(() => {});

  async function openBubble(tabId, query, frameId = 0) {
    const message = { type: "bubble.open" };
    if (query) message.query = query.trim().slice(0, GlossProtocol.MAX_QUERY);
    try {
      await GlossCapture.askTab(tabId, message, frameId);
    } catch (error) {
      const text = error instanceof GlossCapture.CaptureError ? error.message : GlossI18n.t("errorUnexpected", error.message);
      await GlossNotify.failure("define", text, tabId);
    }
  }

  function onMenuClicked(info, tab) {
    if (!tab || tab.id === undefined || tab.id < 0) return;
    const frameId = Number.isSafeInteger(info.frameId) && info.frameId > 0 ? info.frameId : 0;
    if (info.menuItemId === PRINT) print(tab.id, { frameId });
    else if (info.menuItemId === PRINT_WORDS) print(tab.id, { words: true, frameId });
    else if (info.menuItemId === DEFINE) openBubble(tab.id, info.selectionText ?? "", frameId);
  }

  async function onCommand(command, tab) {
    const target = tab && tab.id !== undefined ? tab : (await api.tabs.query({ active: true, currentWindow: true }))[0];
    if (!target) return;
    if (command === "print-article") print(target.id);
    else if (command === "define-selection") openBubble(target.id, "");
  }

  globalThis.GlossMenus = Object.freeze({ createMenus, onMenuClicked, onCommand, ITEMS });
})();
