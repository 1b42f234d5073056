// The line under the headword (shared/entry-view.js): how the selection led to the entry.
import assert from "node:assert/strict";
import { test } from "node:test";
import { load } from "./load.mjs";

load("shared/entry-view.js");
const { inflectionNote } = globalThis.GlossEntryView;

test("a form names its relation", () => {
  assert.equal(inflectionNote({ form: "allies", relation: "plural of", lemma: "ally" }), "allies → ally, plural");
  assert.equal(inflectionNote({ form: "ally", relation: "plural of", lemma: "ally" }), "");
});

test("a compound answered by its last word says the entry is that word's", () => {
  assert.equal(inflectionNote({ form: "four-game", relation: "compound of", lemma: "game" }),
    "four-game → game, the entry of its last word");
  assert.equal(inflectionNote({ form: "term", relation: "part of the compound", lemma: "long-term" }),
    "term → long-term, part of the compound");
});
