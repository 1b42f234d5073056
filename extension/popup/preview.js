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

  function status(text, error = false) {
    $("status").textContent = text;
    $("status").className = error ? "status error" : "status";
  }

  async function send(message) {
    const reply = await api.runtime.sendMessage(message);
    if (!reply) throw new Error("Gloss's background did not answer. Reload the extension and try again.");
    if (!reply.ok) throw new Error(reply.error);
    return reply.value;
  }

  async function load() {
    if (tabId === null) {
      status("No tab to preview: open the preview from the Gloss button.", true);
      return;
    }
    try {
      const { html, title, url } = await send({ type: "print.preview", tabId });
      $("article").srcdoc = html;
      document.title = `Gloss preview: ${title || url}`;
      status(`Preview of ${url}`);
      $("print").disabled = false;
    } catch (error) {
      status(error.message, true);
    }
  }

  $("print").addEventListener("click", async () => {
    $("print").disabled = true;
    status("Printing…");
    try {
      await send({ type: "print.tab", tabId });
      status("Saved the PDF to your downloads.");
    } catch (error) {
      status(error.message, true);
    } finally {
      $("print").disabled = false;
    }
  });

  load();
})();
