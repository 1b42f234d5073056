/*
 * The preview page: the clean article exactly as the server would typeset it.
 *
 * In: `?tab=<id>`, the tab to preview. Out: a "print.preview" message to the worker;
 * the HTML it answers goes into a sandboxed iframe's srcdoc (no scripts, opaque
 * origin), never into this page. "Print as PDF" sends "print.tab" for the same tab.
 */
(() => {
  "use strict";
  const api = globalThis.browser ?? globalThis.chrome;
  const $ = (id) => document.getElementById(id);
  const tabParam = new URLSearchParams(location.search).get("tab");
  const tabId = tabParam !== null && /^\d+$/.test(tabParam) ? Number(tabParam) : null;

  const t = (key, subs) => GlossI18n.t(key, subs);
  GlossI18n.localize(document);

  function status(text, error = false) {
    $("status").textContent = text;
    $("status").className = error ? "status error" : "status";
  }

  async function send(message) {
    const reply = await api.runtime.sendMessage(message);
    if (!reply) throw new Error(t("errorNoBackground"));
    if (!reply.ok) throw new Error(reply.error);
    return reply.value;
  }

  async function load() {
    if (tabId === null) {
      status(t("previewNoTab"), true);
      return;
    }
    try {
      const { html, title, url } = await send({ type: "print.preview", tabId });
      $("article").srcdoc = html;
      document.title = t("previewTitleOf", title || url);
      status(t("previewOf", url));
      $("print").disabled = false;
    } catch (error) {
      status(error.message, true);
    }
  }

  $("print").addEventListener("click", async () => {
    $("print").disabled = true;
    status(t("previewPrinting"));
    try {
      await send({ type: "print.tab", tabId });
      status(t("previewSaved"));
    } catch (error) {
      status(error.message, true);
    } finally {
      $("print").disabled = false;
    }
  });

  load();
})();
