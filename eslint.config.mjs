// ESLint for the extension and its unit tests: the recommended rules, nothing more.
// The extension's files are plain scripts sharing one global scope per page (each
// defines one frozen `Gloss...` global), so those globals are declared here.
import js from "@eslint/js";
import globals from "globals";

const glossGlobals = Object.fromEntries([
  "GlossProtocol", "GlossI18n", "GlossStorage", "GlossLazyImages", "GlossImagePolicy", "GlossEntryView",
  "GlossCapturePage", "GlossSentence", "GlossBubble", "GlossContent", "GlossServer", "GlossBadge", "GlossNotify",
  "GlossCapture", "GlossAccess", "GlossPrint", "GlossDefine", "GlossMenus",
].map((name) => [name, "readonly"]));

export default [
  js.configs.recommended,
  {
    files: ["extension/**/*.js"],
    languageOptions: {
      ecmaVersion: 2024,
      sourceType: "script",
      globals: { ...globals.browser, ...globals.serviceworker, ...globals.webextensions, ...glossGlobals },
    },
  },
  {
    files: ["tests/extension/**/*.mjs"],
    languageOptions: { ecmaVersion: 2024, sourceType: "module", globals: { ...globals.node } },
  },
];
