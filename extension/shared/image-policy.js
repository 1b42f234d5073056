/*
 * Which images the background may fetch for a print, and with what.
 *
 * In: an image URL and the URL of the page that shows it.
 * Out: `GlossImagePolicy.credentialsFor(imageUrl, pageUrl)` returns
 *   "include"  the image is on the page's own site: send the reader's cookies, so a
 *              paywalled article's figures print as the reader sees them;
 *   "omit"     another site: fetch it as an anonymous visitor would;
 *   null       do not fetch at all: not http(s), or a loopback, private, link-local or
 *              otherwise local address named by a page that is not itself local (a
 *              public page must not make the reader's browser probe their network).
 * Names that merely resolve to a private address cannot be seen from here (the browser
 * gives extensions no DNS); the server's own fetcher checks resolved addresses.
 * "Site" is the registrable domain, approximated without the public suffix list: the
 * last two labels, or three when the second-level label is a generic one (co.uk, com.au,
 * co.kr, ac.jp...).
 */
(() => {
  "use strict";
  if (globalThis.GlossImagePolicy) return;

  const GENERIC_SECOND_LEVEL = new Set(["co", "com", "ac", "or", "ne", "go", "gov", "edu", "org", "net", "re", "pe", "mil"]);

  function ipv4(host) {
    const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
    if (!m) return null;
    const parts = m.slice(1).map(Number);
    return parts.every((p) => p <= 255) ? parts : null;
  }

  /** True for names and addresses that mean "this machine or its network". */
  function isLocalHost(hostname) {
    const host = String(hostname || "").toLowerCase().replace(/^\[|\]$/g, "").replace(/\.$/, "");
    if (!host) return true;
    if (host === "localhost" || host.endsWith(".localhost") || host.endsWith(".local") || host.endsWith(".internal")) return true;
    if (!host.includes(".") && !host.includes(":")) return true; // a single-label intranet name
    const v4 = ipv4(host);
    if (v4) {
      const [a, b] = v4;
      return a === 0 || a === 10 || a === 127 || (a === 169 && b === 254) || (a === 172 && b >= 16 && b <= 31) ||
        (a === 192 && b === 168) || (a === 100 && b >= 64 && b <= 127) || a >= 224;
    }
    if (host.includes(":")) {
      // IPv6: loopback, unspecified, unique local fc00::/7, link-local fe80::/10, v4-mapped local.
      if (host === "::1" || host === "::") return true;
      if (/^f[cd][0-9a-f]{2}:/.test(host) || /^fe[89ab][0-9a-f]:/.test(host)) return true;
      // An IPv4-mapped address, as written or as the URL parser writes it (::ffff:7f00:1).
      const dotted = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(host);
      if (dotted) return isLocalHost(dotted[1]);
      const hex = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(host);
      if (hex) {
        const [high, low] = [parseInt(hex[1], 16), parseInt(hex[2], 16)];
        return isLocalHost(`${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`);
      }
      return false;
    }
    return false;
  }

  /** The registrable domain of a host name (see above); an IP address is its own site. */
  function siteOf(hostname) {
    const host = String(hostname || "").toLowerCase().replace(/\.$/, "");
    if (ipv4(host) || host.includes(":")) return host;
    const labels = host.split(".");
    if (labels.length <= 2) return host;
    const take = GENERIC_SECOND_LEVEL.has(labels[labels.length - 2]) && labels[labels.length - 1].length === 2 ? 3 : 2;
    return labels.slice(-take).join(".");
  }

  function credentialsFor(imageUrl, pageUrl) {
    let image;
    let page;
    try {
      image = new URL(imageUrl);
      page = new URL(pageUrl);
    } catch {
      return null;
    }
    if (!/^https?:$/.test(image.protocol)) return null;
    if (isLocalHost(image.hostname) && !isLocalHost(page.hostname)) return null;
    return siteOf(image.hostname) === siteOf(page.hostname) ? "include" : "omit";
  }

  globalThis.GlossImagePolicy = Object.freeze({ credentialsFor, siteOf, isLocalHost });
})();
