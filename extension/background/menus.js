/*
 * The context-menu items and keyboard commands, each mapped to the same actions as
 * the popup: "Print article as PDF" (page and toolbar-button menus, Alt+Shift+P) prints
 * the tab; "Print with my words" prints it with the words looked up on it defined in
 * footnotes; "Define “%s”" (selection menu, Alt+Shift+D) opens the bubble on the selection.
 */
(() => {
  "use strict";
  const api = globalThis.browser ?? globalThis.chrome;
  const PRINT = "gloss-print";
  const PRINT_WORDS = "gloss-print-words";
  const DEFINE = "gloss-define";

  const ITEMS = [
    { id: PRINT, title: "Print article as PDF", contexts: ["page", "action"] },
    { id: PRINT_WORDS, title: "Print with my words", contexts: ["page", "action"] },
    { id: DEFINE, title: "Define “%s”", contexts: ["selection"] },
  ];
  let building = Promise.resolve();

  async function build() {
    await api.contextMenus.removeAll();
    for (const item of ITEMS) {
      await new Promise((resolve) => {
        api.contextMenus.create(item, () => {
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

  async function openBubble(tabId, query) {
    const message = { type: "bubble.open" };
    if (query) message.query = query.trim().slice(0, GlossProtocol.MAX_QUERY);
    try {
      await GlossCapture.askTab(tabId, message);
    } catch (error) {
      await GlossNotify.failure("define", error instanceof GlossCapture.CaptureError ? error.message : `Gloss failed: ${error.message}`);
    }
  }

  function onMenuClicked(info, tab) {
    if (!tab || tab.id === undefined || tab.id < 0) return;
    if (info.menuItemId === PRINT) print(tab.id);
    else if (info.menuItemId === PRINT_WORDS) print(tab.id, { words: true });
    else if (info.menuItemId === DEFINE) openBubble(tab.id, info.selectionText ?? "");
  }

  async function onCommand(command, tab) {
    const target = tab && tab.id !== undefined ? tab : (await api.tabs.query({ active: true, currentWindow: true }))[0];
    if (!target) return;
    if (command === "print-article") print(target.id);
    else if (command === "define-selection") openBubble(target.id, "");
  }

  globalThis.GlossMenus = Object.freeze({ createMenus, onMenuClicked, onCommand });
})();
