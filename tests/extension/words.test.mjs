// Word and sentence boundaries (content/sentence.js): the compound a double-click meant.
import assert from "node:assert/strict";
import { test } from "node:test";
import { load } from "./load.mjs";

load("shared/protocol.js", "content/sentence.js");
const { compound, query } = globalThis.GlossSentence;

function widen(text, part) {
  const at = text.indexOf(part);
  const [s, e] = compound(text, at, at + part.length);
  return text.slice(s, e);
}

test("a part between hyphens widens to the whole compound", () => {
  const text = "Seoul’s top inter-Korean official, a long-standing well-known critic.";
  assert.equal(widen(text, "Korean"), "inter-Korean");
  assert.equal(widen(text, "inter"), "inter-Korean");
  assert.equal(widen(text, "standing"), "long-standing");
  assert.equal(widen(text, "known"), "well-known");
  assert.equal(widen(text, "official"), "official");
});

test("non-breaking and Unicode hyphens join too; dashes and spaced hyphens do not", () => {
  assert.equal(widen("a state\u2011of\u2011the\u2011art plan", "the"), "state\u2011of\u2011the\u2011art");
  assert.equal(widen("north\u2010south talks", "south"), "north\u2010south");
  assert.equal(widen("peace — talks", "talks"), "talks");
  assert.equal(widen("peace - talks", "talks"), "talks");
  assert.equal(widen("-leading", "leading"), "-leading".slice(1));
  assert.equal(widen("trailing-", "trailing"), "trailing");
});

test("queries are folded, and passages refused", () => {
  assert.equal(query("  working \n group "), "working group");
  assert.equal(query(""), "");
  assert.equal(query("one two three four five six seven"), "");
  assert.equal(query("x".repeat(201)), "");
});
