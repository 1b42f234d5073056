// The message checks every receiver runs (shared/protocol.js).
import assert from "node:assert/strict";
import { test } from "node:test";
import { EXTENSION_ID, load } from "./load.mjs";

load("shared/protocol.js");
const { check, senderKind } = globalThis.GlossProtocol;

const popup = { id: EXTENSION_ID, url: `chrome-extension://${EXTENSION_ID}/popup/popup.html` };
const page = { id: EXTENSION_ID, url: "https://news.example/story", tab: { id: 7 } };
const worker = { id: EXTENSION_ID };
const stranger = { id: "ponmlkjihgfedcbaponmlkjihgfedcba", url: "chrome-extension://ponmlkjihgfedcbaponmlkjihgfedcba/x.html" };

test("senders are told apart by id, URL and tab", () => {
  assert.equal(senderKind(popup), "extension");
  assert.equal(senderKind(page), "content");
  assert.equal(senderKind(worker), "extension");
  assert.equal(senderKind(stranger), null);
  assert.equal(senderKind(null), null);
});

test("a page may only ask for look-ups", () => {
  assert.equal(check({ type: "define.lookup", query: "detente", context: "a sentence" }, page), null);
  assert.match(check({ type: "print.tab", tabId: 7 }, page), /may not come from content/);
  assert.match(check({ type: "page.probe", tabId: 7 }, page), /may not come from content/);
  assert.match(check({ type: "access.sync" }, page), /may not come from content/);
});

test("the popup may print, probe and check the server", () => {
  assert.equal(check({ type: "print.tab", tabId: 7, words: true }, popup), null);
  assert.equal(check({ type: "page.probe", tabId: 7 }, popup), null);
  assert.equal(check({ type: "server.check" }, popup), null);
});

test("shapes, bounds and unknown fields are refused", () => {
  assert.match(check({ type: "print.tab", tabId: "7" }, popup), /bad tabId/);
  assert.match(check({ type: "print.tab", tabId: -1 }, popup), /bad tabId/);
  assert.match(check({ type: "define.lookup", query: "x".repeat(201) }, page), /bad query/);
  assert.match(check({ type: "define.lookup", query: "" }, page), /bad query/);
  assert.match(check({ type: "define.lookup", query: "detente", html: "<b>" }, page), /unexpected field html/);
  assert.match(check({ type: "nope" }, popup), /unknown message type/);
  assert.equal(check([], popup), "not an object");
  assert.match(check({ type: "define.lookup", query: "detente" }, stranger), /outside/);
});

test("a content script hears the extension, never another page", () => {
  assert.equal(check({ type: "page.capture", maxImages: 40 }, worker, { fromWorker: true }), null);
  assert.match(check({ type: "page.capture", maxImages: 40 }, page, { fromWorker: true }), /may not come from content/);
  assert.match(check({ type: "bubble.open", query: "x" }, page, { fromWorker: true }), /may not come from content/);
  assert.match(check({ type: "bubble.open", query: "x" }, stranger, { fromWorker: true }), /outside/);
});
