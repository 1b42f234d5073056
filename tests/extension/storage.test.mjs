// What storage keeps: settings sanitised, history one entry per word and page, CSV.
import assert from "node:assert/strict";
import { test } from "node:test";
import { load } from "./load.mjs";

globalThis.chrome.storage ??= { local: {}, onChanged: { addListener() {} } };
load("shared/storage.js");
const { sanitize, withLookup, historyCsv, DEFAULTS } = globalThis.GlossStorage;

test("settings keep only valid values", () => {
  assert.deepEqual(sanitize(null), { ...DEFAULTS });
  const s = sanitize({ serverUrl: " https://gloss.example:8443/ ", fontSize: "12.5", pageSize: "Tabloid", trigger: "Meta", extra: 1 });
  assert.equal(s.serverUrl, "https://gloss.example:8443");
  assert.equal(s.fontSize, 12.5);
  assert.equal(s.pageSize, "auto");
  assert.equal(s.trigger, "dblclick");
  assert.equal("extra" in s, false);
  assert.equal(sanitize({ serverUrl: "ftp://x" }).serverUrl, DEFAULTS.serverUrl);
  assert.equal(sanitize({ fontSize: 40 }).fontSize, DEFAULTS.fontSize);
});

test("a word looked up again on the same page is kept once, latest last", () => {
  let items = [];
  items = withLookup(items, { word: "detente", sentence: "s1", url: "https://a.example/x#p2" }, "t1");
  items = withLookup(items, { word: "allies", sentence: "s2", url: "https://a.example/x" }, "t2");
  items = withLookup(items, { word: "Detente", sentence: "s3", url: "https://a.example/x" }, "t3");
  assert.deepEqual(items.map((i) => [i.word, i.sentence, i.time]), [["allies", "s2", "t2"], ["Detente", "s3", "t3"]]);
  // The same word on another page is another entry.
  items = withLookup(items, { word: "detente", sentence: "s4", url: "https://b.example/y" }, "t4");
  assert.equal(items.length, 3);
});

test("a search without a page keeps the word's sentence and page", () => {
  let items = withLookup([], { word: "detente", sentence: "months of detente", url: "https://a.example/x", headword: "detente" }, "t1");
  items = withLookup(items, { word: "detente", headword: "detente" }, "t2");
  assert.deepEqual(items, [{ word: "detente", sentence: "months of detente", url: "https://a.example/x", headword: "detente", time: "t2" }]);
  items = withLookup(items, { word: "liberal" }, "t3");
  assert.deepEqual(items[1], { word: "liberal", sentence: "", url: "", headword: "", time: "t3" });
});

test("history CSV quotes and defuses formulas", () => {
  const csv = historyCsv([{ time: "t", word: "=HYPERLINK(1)", headword: "", sentence: 'He said "no", then left.', url: "http://x/" }]);
  assert.equal(csv, 'time,word,headword,sentence,url\r\nt,\'=HYPERLINK(1),,"He said ""no"", then left.",http://x/\r\n');
});
