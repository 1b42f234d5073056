/*
 * Telling the reader that something failed, and what to do about it.
 *
 * In: the action that failed ("print", "preview", "define") and the message to show.
 * Out: a browser notification (title "Gloss could not print", the message as its
 * text) and the same record kept as `lastError` in storage, where the popup shows it.
 */
(() => {
  "use strict";
  const api = globalThis.browser ?? globalThis.chrome;
  const TITLES = Object.freeze({ print: "notifyPrint", preview: "notifyPreview", define: "notifyDefine" });

  /** `tabId`: the tab the failure belongs to (the popup shows it there only). */
  async function failure(action, message, tabId = null) {
    await GlossStorage.recordError(action, message, tabId);
    try {
      await api.notifications.create(`gloss-${action}-${Date.now()}`, {
        type: "basic",
        iconUrl: api.runtime.getURL("icons/icon-128.png"),
        title: TITLES[action] ? GlossI18n.t(TITLES[action]) : "Gloss",
        message,
      });
    } catch (error) {
      // Notifications can be switched off by the reader or the system; the popup still shows lastError.
      console.warn("Gloss: notification not shown:", error);
    }
  }

  globalThis.GlossNotify = Object.freeze({ failure });
})();
