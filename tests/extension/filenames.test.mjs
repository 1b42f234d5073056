// The names the PDFs are saved under (background/print.js).
import assert from "node:assert/strict";
import { test } from "node:test";
import { load } from "./load.mjs";

load("shared/i18n.js", "background/print.js");
const { safeFilename, filenameFromDisposition } = globalThis.GlossPrint;

test("reserved characters go, and a long headline is cut at a word", () => {
  assert.equal(safeFilename('A/B: "C"?'), "A B C.pdf");
  assert.equal(safeFilename("  ..hidden.  "), "hidden.pdf");
  assert.equal(safeFilename(""), "article.pdf");
  assert.equal(safeFilename("Report.PDF"), "Report.pdf");
  const long = "Scientists find that the ocean beneath the ice shell of Jupiter's moon Europa is saltier and warmer than anyone had expected";
  const name = safeFilename(long);
  assert.equal(name, "Scientists find that the ocean beneath the ice shell of Jupiter's moon Europa is saltier and warmer than anyone had….pdf");
  assert.ok(!/\bE\.pdf$/.test(name));
});

test("the print with the reader's words has a name of its own", () => {
  assert.equal(safeFilename("Talks resume", " (with my words)"), "Talks resume (with my words).pdf");
});

test("Content-Disposition: the UTF-8 name first", () => {
  assert.equal(filenameFromDisposition("attachment; filename=\"a.pdf\"; filename*=UTF-8''%ED%95%9C.pdf"), "한.pdf");
  assert.equal(filenameFromDisposition('attachment; filename="say \\"hi\\".pdf"'), 'say "hi".pdf');
  assert.equal(filenameFromDisposition(null), null);
});
