/*
 * The options page: every setting of the extension, saved as soon as it changes.
 *
 * In: the stored settings (shared/storage.js). Out: the same, updated field by field;
 * an invalid server URL or font size is marked and not saved. "Check connection"
 * asks the worker ("server.check") to reach the server and make a request that needs the
 * token, and shows the answer beside the button. "Define on every page" asks the browser
 * for the optional access to all sites (and gives it back when unticked).
 */
(() => {
  "use strict";
  const api = globalThis.browser ?? globalThis.chrome;
  const $ = (id) => document.getElementById(id);

  function status(text, kind = "") {
    $("status").textContent = text;
    $("status").className = `status ${kind}`;
  }

  function fill(s) {
    $("serverUrl").value = s.serverUrl;
    $("token").value = s.token;
    $("pageSize").value = s.pageSize;
    $("fontSize").value = String(s.fontSize);
    $("images").checked = s.images;
    $("links").checked = s.links === "footnotes";
    $("trigger").value = s.trigger;
    $("history").checked = s.history;
    $("autoGlossary").value = s.autoGlossary;
  }

  /** The form's values, or null (with the bad field marked) when one is invalid. */
  function read() {
    const url = $("serverUrl").value.trim();
    let urlOk = false;
    try {
      urlOk = /^https?:$/.test(new URL(url).protocol);
    } catch {
      urlOk = false;
    }
    const size = Number($("fontSize").value);
    const sizeOk = Number.isFinite(size) && size >= 8 && size <= 18;
    $("serverUrl").setAttribute("aria-invalid", String(!urlOk));
    $("fontSize").setAttribute("aria-invalid", String(!sizeOk));
    if (!urlOk) return status(GlossI18n.t("optionsBadUrl"), "error"), null;
    if (!sizeOk) return status(GlossI18n.t("optionsBadFontSize"), "error"), null;
    return {
      serverUrl: url,
      token: $("token").value,
      pageSize: $("pageSize").value,
      fontSize: size,
      images: $("images").checked,
      links: $("links").checked ? "footnotes" : "none",
      trigger: $("trigger").value,
      history: $("history").checked,
      autoGlossary: $("autoGlossary").value,
    };
  }

  async function save() {
    const values = read();
    if (!values) return;
    await GlossStorage.saveSettings(values);
    status(GlossI18n.t("optionsSaved"), "ok");
  }

  function checkStatus(text, kind = "") {
    $("check-status").textContent = text;
    $("check-status").className = `status ${kind}`;
  }

  async function check() {
    await save();
    checkStatus(GlossI18n.t("optionsChecking"));
    const reply = await api.runtime.sendMessage({ type: "server.check" }).catch(() => null);
    const { serverUrl } = await GlossStorage.settings();
    if (reply && reply.ok) {
      const version = reply.value && reply.value.version ? String(reply.value.version) : "";
      checkStatus(GlossI18n.t("optionsConnected", [version, serverUrl]).replace(/\s+/g, " "), "ok");
    } else {
      checkStatus(reply && reply.error ? reply.error : GlossI18n.t("errorUnreachable", serverUrl), "error");
    }
  }

  const ALL_SITES = { origins: ["http://*/*", "https://*/*"] };

  async function toggleAllSites() {
    const want = $("allSites").checked;
    // Asked within the click: browsers only show the permission prompt for a user gesture.
    const done = want ? await api.permissions.request(ALL_SITES).catch(() => false) : await api.permissions.remove(ALL_SITES);
    $("allSites").checked = await api.permissions.contains(ALL_SITES);
    if (done) await api.runtime.sendMessage({ type: "access.sync" }).catch(() => null);
  }

  GlossI18n.localize(document);
  GlossStorage.settings().then(fill);
  api.permissions.contains(ALL_SITES).then((granted) => { $("allSites").checked = granted; });
  $("own-origin").textContent = location.origin;
  $("allSites").addEventListener("change", (event) => {
    event.stopPropagation(); // not a setting in storage: the browser keeps it
    toggleAllSites();
  });
  $("options").addEventListener("change", save);
  $("options").addEventListener("submit", (event) => {
    event.preventDefault();
    save();
  });
  $("check").addEventListener("click", check);
})();
