// Loads extension scripts into this Node process the way a page loads them: as plain
// scripts sharing the global scope, each defining its `Gloss...` global. The browser
// APIs they touch at load time are given the little they read: the extension's identity
// (runtime.id, getURL) and its English message catalogue (i18n.getMessage), read from
// _locales/en/messages.json with Chrome's placeholder rules.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import vm from "node:vm";

export const EXTENSION = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "extension");
export const EXTENSION_ID = "ajmeccjpncahkglinakhnejbbkofnhja";

const catalogue = JSON.parse(readFileSync(join(EXTENSION, "_locales", "en", "messages.json"), "utf8"));

function getMessage(key, substitutions = []) {
  const entry = catalogue[key];
  if (!entry) return "";
  const subs = [].concat(substitutions);
  return entry.message.replace(/\$(\w+)\$/g, (_, name) => {
    const content = entry.placeholders?.[name.toLowerCase()]?.content ?? "";
    return content.replace(/\$(\d)/g, (__, n) => subs[Number(n) - 1] ?? "");
  });
}

globalThis.chrome ??= {
  runtime: { id: EXTENSION_ID, getURL: (path) => `chrome-extension://${EXTENSION_ID}/${path}` },
  i18n: { getMessage },
};

/** Runs the given extension files (paths under extension/) in order, once each. */
const loaded = new Set();
export function load(...files) {
  for (const file of files) {
    if (loaded.has(file)) continue;
    loaded.add(file);
    vm.runInThisContext(readFileSync(join(EXTENSION, file), "utf8"), { filename: file });
  }
}
