/*
 * The one place that talks to the Gloss server.
 *
 * In: a path under the configured server URL, a method, an optional JSON body or query.
 * Out: the `Response` when its status is 2xx; otherwise a thrown `GlossServerError`
 * whose message is what the reader should read: the server's problem `detail`, or how
 * to get the server running when it cannot be reached, or that it timed out.
 */
(() => {
  "use strict";

  class GlossServerError extends Error {
    constructor(message, { status = 0, problem = null } = {}) {
      super(message);
      this.name = "GlossServerError";
      this.status = status;
      this.problem = problem;
    }
  }

  // A print waits for extraction and a WeasyPrint render (the server itself gives up on a
  // render after a minute); a look-up answers in milliseconds when the server is healthy.
  const TIMEOUTS_MS = Object.freeze({ print: 120_000, define: 15_000, complete: 5_000, health: 5_000 });

  const t = (key, subs) => GlossI18n.t(key, subs);

  function unreachable(base) {
    return new GlossServerError(t("errorUnreachable", base));
  }

  async function problemOf(response) {
    const type = response.headers.get("Content-Type") ?? "";
    if (!/json/i.test(type)) return null;
    try {
      const body = await response.json();
      return body && typeof body === "object" ? body : null;
    } catch {
      return null;
    }
  }

  async function request(path, { method = "GET", query = null, json = undefined, timeout = "define" } = {}) {
    const settings = await GlossStorage.settings();
    const base = settings.serverUrl;
    const url = new URL(base + path);
    if (query) for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== "") url.searchParams.set(k, String(v));
    const headers = { Accept: "application/json, application/pdf, text/html;q=0.9, */*;q=0.1" };
    if (settings.token) headers.Authorization = `Bearer ${settings.token}`;
    const init = { method, headers, signal: AbortSignal.timeout(TIMEOUTS_MS[timeout] ?? TIMEOUTS_MS.define), credentials: "omit" };
    if (json !== undefined) {
      headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(json);
    }
    let response;
    try {
      response = await fetch(url, init);
    } catch (error) {
      if (error && (error.name === "TimeoutError" || error.name === "AbortError")) {
        const seconds = Math.round((TIMEOUTS_MS[timeout] ?? TIMEOUTS_MS.define) / 1000);
        throw new GlossServerError(t("errorTimeout", [base, seconds]));
      }
      throw unreachable(base);
    }
    if (response.ok) return response;
    const problem = await problemOf(response);
    let message = problem && typeof problem.detail === "string" && problem.detail
      ? problem.detail
      : problem && typeof problem.title === "string" && problem.title
        ? problem.title
        : t("errorStatus", [base, `${response.status} ${response.statusText}`.trim()]);
    // The server's words for these are for whoever runs it; the reader gets what to do.
    if (response.status === 401) message = t(settings.token ? "errorWrongToken" : "errorNeedsToken");
    if (response.status === 403 && problem && problem.code === "unknown-extension") message = t("errorRefused", base);
    throw new GlossServerError(message, { status: response.status, problem });
  }

  async function health() {
    const response = await request("/healthz", { timeout: "health" });
    return response.json();
  }

  /**
   * What "Check connection" shows: the server's version once a request that needs the
   * token (a one-word completion) went through, so a missing or wrong token is caught here
   * and not at the first print.
   */
  async function check() {
    const info = await health();
    await request("/api/complete", { query: { prefix: "a", limit: 1 }, timeout: "health" });
    return info;
  }

  globalThis.GlossServer = Object.freeze({ request, health, check, GlossServerError, TIMEOUTS_MS });
})();
