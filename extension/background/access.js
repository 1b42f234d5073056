/*
 * What Gloss may read, as the reader allowed it.
 *
 * At install Gloss asks for no site at all: `activeTab` lets it read the tab the reader
 * acts on (the toolbar button, the context menu, a shortcut), which is all printing and
 * a look-up need. Defining by double-click on every page needs Gloss's script in every
 * page beforehand: the reader turns that on in the options, which asks for the optional
 * host permission (ALL_SITES); once granted, the content scripts are registered for
 * every http(s) page and frame, and unregistered when the reader takes it back.
 *
 * Out: `GlossAccess.sync()` (registers or unregisters to match what is granted),
 * `GlossAccess.allSites()` (resolves to whether the permission is granted).
 */
(() => {
  "use strict";
  const api = globalThis.browser ?? globalThis.chrome;
  const ALL_SITES = Object.freeze({ origins: ["http://*/*", "https://*/*"] });
  const SCRIPT_ID = "gloss-content";

  const allSites = () => api.permissions.contains(ALL_SITES);

  // One sync at a time: two overlapping ones (start-up, a permission change, the options
  // page) could both find the scripts unregistered and both register them, and the
  // second registration fails with "Duplicate script ID".
  let pending = Promise.resolve();
  function sync() {
    const run = pending.then(syncNow, syncNow);
    pending = run.catch(() => undefined);
    return run;
  }

  async function syncNow() {
    const granted = await allSites();
    const registered = (await api.scripting.getRegisteredContentScripts({ ids: [SCRIPT_ID] })).length > 0;
    if (granted && !registered) {
      await api.scripting.registerContentScripts([{
        id: SCRIPT_ID,
        matches: ALL_SITES.origins,
        js: [...GlossCapture.CONTENT_SCRIPTS],
        allFrames: true,
        runAt: "document_idle",
      }]);
    } else if (!granted && registered) {
      await api.scripting.unregisterContentScripts({ ids: [SCRIPT_ID] });
    }
    return granted;
  }

  globalThis.GlossAccess = Object.freeze({ sync, allSites, ALL_SITES });
})();
