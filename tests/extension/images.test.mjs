// Which images a print may fetch, and with the reader's cookies or not (shared/image-policy.js).
import assert from "node:assert/strict";
import { test } from "node:test";
import { load } from "./load.mjs";

load("shared/image-policy.js");
const { credentialsFor, siteOf, isLocalHost } = globalThis.GlossImagePolicy;

test("the page's own site gets cookies, other sites none", () => {
  const page = "https://www.koreaherald.com/view.php?ud=1";
  assert.equal(credentialsFor("https://res.koreaherald.com/a.jpg", page), "include");
  assert.equal(credentialsFor("http://www.koreaherald.com/a.jpg", page), "include");
  assert.equal(credentialsFor("https://cdn.example.net/a.jpg", page), "omit");
  assert.equal(credentialsFor("https://img.bbc.co.uk/a.jpg", "https://www.bbc.co.uk/news"), "include");
  assert.equal(credentialsFor("https://other.co.uk/a.jpg", "https://www.bbc.co.uk/news"), "omit");
});

test("a public page never makes the browser fetch local addresses", () => {
  const page = "https://news.example/story";
  for (const url of ["http://127.0.0.1/a.png", "http://localhost:8080/a.png", "http://10.1.2.3/a.png",
    "http://192.168.1.1/a.png", "http://172.20.0.1/a.png", "http://169.254.169.254/latest", "http://[::1]/a.png",
    "http://[fd00::1]/a.png", "http://[::ffff:127.0.0.1]/a.png", "http://router/a.png", "http://printer.local/a.png"]) {
    assert.equal(credentialsFor(url, page), null, url);
  }
  assert.equal(credentialsFor("data:image/png;base64,AAAA", page), null);
  assert.equal(credentialsFor("not a url", page), null);
});

test("a local page may show its local images", () => {
  assert.equal(credentialsFor("http://127.0.0.1:9000/a.png", "http://127.0.0.1:9000/story"), "include");
  assert.equal(credentialsFor("http://192.168.1.5/a.png", "http://intranet/story"), "omit");
});

test("sites and local hosts", () => {
  assert.equal(siteOf("a.b.news.example"), "news.example");
  assert.equal(siteOf("www.joongang.co.kr"), "joongang.co.kr");
  assert.equal(siteOf("203.0.113.5"), "203.0.113.5");
  assert.equal(isLocalHost("203.0.113.5"), false);
  assert.equal(isLocalHost("100.64.0.1"), true);
});
