/*
 * The attributes lazy-loading libraries keep an image's real address in: one list for
 * the extension (content/capture.js resolves the live page's images with it) and the
 * server (server/article/images.py resolves pages it fetched or was sent with it).
 *
 * In: nothing. Out: `GlossLazyImages.src` (attributes holding one URL) and
 * `GlossLazyImages.srcset` (attributes holding a srcset), most specific first.
 * The object between the JSON markers is read by the server as JSON: keep it JSON
 * (double quotes, no comments, no trailing commas).
 */
(() => {
  "use strict";
  if (globalThis.GlossLazyImages) return;
  const LISTS = /* BEGIN JSON */ {
    "src": [
      "data-lazy-src", "data-src", "data-original", "data-lazy", "data-url", "data-hi-res-src",
      "data-full-src", "data-large-src", "data-img-src", "data-image", "data-echo", "data-actualsrc",
      "data-orig-src", "data-delayed-url", "data-native-src", "data-pagespeed-lazy-src",
      "original-src", "lazy-src"
    ],
    "srcset": [
      "data-lazy-srcset", "data-srcset", "data-original-srcset", "data-original-set"
    ]
  } /* END JSON */;
  globalThis.GlossLazyImages = Object.freeze({ src: Object.freeze(LISTS.src), srcset: Object.freeze(LISTS.srcset) });
})();
