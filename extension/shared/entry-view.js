/*
 * A dictionary entry as DOM nodes, for the bubble in a page and for the popup.
 *
 * In: a look-up result from the worker ({status: "found", entry} | {status: "missing",
 * query, detail, suggestions} | {status: "error", message}) and the document to build in.
 * Out: `GlossEntryView.render(doc, result, {onSuggest, idPrefix})`, a DocumentFragment
 * built with createElement and textContent only: nothing from the page or the server is
 * ever parsed as HTML. The first senses (the server puts those fitting the sentence
 * first) are shown; a "More" button reveals the rest, the etymology and older senses.
 * `GlossEntryView.CSS` styles it (light and dark by prefers-color-scheme).
 */
(() => {
  "use strict";
  if (globalThis.GlossEntryView) return;

  // What is visible before "More": enough to answer the reader, small enough to glance at.
  const FIRST_MEANING_SENSES = 2;
  const OTHER_MEANING_SENSES = 1;
  const VISIBLE_MEANINGS = 2;
  const VISIBLE_SYNONYMS = 4;

  const str = (v) => (typeof v === "string" ? v : v === null || v === undefined ? "" : String(v));
  const list = (v) => (Array.isArray(v) ? v : []);
  const t = (key, subs) => (globalThis.GlossI18n ? GlossI18n.t(key, subs) : key);

  function el(doc, tag, className, text) {
    const node = doc.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null && text !== "") node.textContent = str(text);
    return node;
  }

  /** "allies → ally, plural" from {"form": "allies", "relation": "plural of", "lemma": "ally"}. */
  function inflectionNote(found) {
    if (!found || typeof found !== "object") return "";
    const form = str(found.form).trim();
    const lemma = str(found.lemma).trim();
    if (!form || !lemma || form.toLowerCase() === lemma.toLowerCase()) return "";
    const relation = str(found.relation).trim().replace(/\s+of$/i, "");
    // A compound the dictionary lacks is shown its last word's entry: say it is that word's.
    if (relation === "compound") return `${form} → ${lemma}, the entry of its last word`;
    return relation ? `${form} → ${lemma}, ${relation}` : `${form} → ${lemma}`;
  }

  function ipaOf(entry) {
    const first = list(entry.pronunciations).find((p) => p && str(p.ipa).trim());
    if (!first) return "";
    const ipa = str(first.ipa).trim();
    return /^[/[]/.test(ipa) ? ipa : `/${ipa}/`;
  }

  function sourceNames(entry) {
    return list(entry.sources)
      .map((s) => (s && typeof s === "object" ? str(s.name || s.title || s.source) : str(s)))
      .filter(Boolean);
  }

  // `extra` collects what "More" reveals; `minor` what it reveals only along with something
  // else (a sense's source line alone is no reason for a More button).
  function renderSense(doc, sense, extra, minor) {
    const li = el(doc, "li", "g-sense");
    if (sense.older) {
      li.classList.add("g-older");
      li.append(el(doc, "span", "g-tag", t("entryOlder")), " ");
    }
    li.append(el(doc, "span", "g-def", str(sense.definition)));
    const examples = list(sense.examples).map(str).filter(Boolean);
    examples.forEach((example, i) => {
      const q = el(doc, "q", "g-example", example);
      if (i > 0) extra.push(q);
      li.append(" ", q);
    });
    const synonyms = list(sense.synonyms).map(str).filter(Boolean);
    if (synonyms.length) {
      const p = el(doc, "span", "g-nyms");
      p.append(el(doc, "span", "g-label", t("entrySimilar")), synonyms.slice(0, VISIBLE_SYNONYMS).join(", "));
      if (synonyms.length > VISIBLE_SYNONYMS) {
        const rest = el(doc, "span", "", `, ${synonyms.slice(VISIBLE_SYNONYMS).join(", ")}`);
        extra.push(rest);
        p.append(rest);
      }
      li.append(p);
    }
    const antonyms = list(sense.antonyms).map(str).filter(Boolean);
    if (antonyms.length) {
      const p = el(doc, "span", "g-nyms");
      p.append(el(doc, "span", "g-label", t("entryOpposite")), antonyms.join(", "));
      extra.push(p);
      li.append(p);
    }
    if (str(sense.source)) {
      const s = el(doc, "span", "g-sense-source", str(sense.source));
      minor.push(s);
      li.append(" ", s);
    }
    return li;
  }

  function renderEntry(doc, entry, idPrefix) {
    const frag = doc.createDocumentFragment();
    const extra = []; // nodes hidden until "More"
    const minor = [];
    let hiddenSenses = 0;

    const header = el(doc, "div", "g-header");
    const word = el(doc, "h2", "g-word", str(entry.word) || str(entry.query));
    word.id = `${idPrefix}-headword`;
    header.append(word);
    const ipa = ipaOf(entry);
    if (ipa) header.append(el(doc, "span", "g-ipa", ipa));
    const band = entry.frequency && typeof entry.frequency === "object" ? str(entry.frequency.band) : "";
    if (band) {
      const b = el(doc, "span", "g-band", band);
      b.title = t("entryFrequencyTitle");
      header.append(b);
    }
    frag.append(header);

    const note = inflectionNote(entry.found);
    if (note) frag.append(el(doc, "p", "g-inflection", note));

    const meanings = list(entry.meanings).filter((m) => m && typeof m === "object");
    meanings.forEach((meaning, mi) => {
      const section = el(doc, "section", "g-meaning");
      section.append(el(doc, "h3", "g-pos", str(meaning.part_of_speech)));
      const ol = el(doc, "ol", "g-senses");
      const senses = list(meaning.senses).filter((s) => s && typeof s === "object");
      const shown = mi >= VISIBLE_MEANINGS ? 0 : mi === 0 ? FIRST_MEANING_SENSES : OTHER_MEANING_SENSES;
      let visibleHere = 0;
      senses.forEach((sense) => {
        const li = renderSense(doc, sense, extra, minor);
        if (visibleHere < shown && !sense.older) {
          visibleHere += 1;
        } else {
          extra.push(li);
          hiddenSenses += 1;
        }
        ol.append(li);
      });
      section.append(ol);
      if (visibleHere === 0) extra.push(section);
      frag.append(section);
    });
    if (!meanings.length) frag.append(el(doc, "p", "g-message", t("entryNoDefinitions")));

    if (str(entry.etymology)) {
      const p = el(doc, "p", "g-etymology");
      p.append(el(doc, "span", "g-label", t("entryOrigin")), str(entry.etymology));
      extra.push(p);
      frag.append(p);
    }
    const sources = sourceNames(entry);
    if (sources.length) frag.append(el(doc, "p", "g-sources", sources.join(" · ")));

    if (extra.length) {
      extra.push(...minor);
      for (const node of extra) node.hidden = true;
      const more = el(doc, "button", "g-more");
      more.type = "button";
      const label = hiddenSenses ? t(hiddenSenses === 1 ? "entryMoreOne" : "entryMoreMany", hiddenSenses) : t("entryMore");
      more.textContent = label;
      more.setAttribute("aria-expanded", "false");
      more.addEventListener("click", () => {
        const open = more.getAttribute("aria-expanded") !== "true";
        for (const node of extra) node.hidden = !open;
        more.setAttribute("aria-expanded", String(open));
        more.textContent = open ? t("entryFewer") : label;
      });
      frag.append(more);
    }
    return frag;
  }

  function renderMissing(doc, result, onSuggest, idPrefix) {
    const frag = doc.createDocumentFragment();
    const head = el(doc, "h2", "g-word", `“${str(result.query)}”`);
    head.id = `${idPrefix}-headword`;
    frag.append(head, el(doc, "p", "g-message", str(result.detail) || t("entryNotFound")));
    const suggestions = list(result.suggestions).map(str).filter(Boolean);
    if (suggestions.length) {
      frag.append(el(doc, "p", "g-label", t("entryDidYouMean")));
      const ul = el(doc, "ul", "g-suggestions");
      for (const word of suggestions) {
        const li = el(doc, "li");
        const button = el(doc, "button", "g-suggestion", word);
        button.type = "button";
        button.addEventListener("click", () => onSuggest && onSuggest(word));
        li.append(button);
        ul.append(li);
      }
      frag.append(ul);
    }
    return frag;
  }

  function renderMessage(doc, text, { error = false, idPrefix = "gloss" } = {}) {
    const frag = doc.createDocumentFragment();
    const p = el(doc, "p", error ? "g-error" : "g-message", text);
    p.id = `${idPrefix}-headword`;
    if (error) p.setAttribute("role", "alert");
    frag.append(p);
    return frag;
  }

  function render(doc, result, { onSuggest = null, idPrefix = "gloss" } = {}) {
    if (result && result.status === "found" && result.entry && typeof result.entry === "object") {
      return renderEntry(doc, result.entry, idPrefix);
    }
    if (result && result.status === "missing") return renderMissing(doc, result, onSuggest, idPrefix);
    // Not a failure: the selection is no word (a number, a symbol); said plainly, not in red.
    if (result && result.status === "note") return renderMessage(doc, str(result.message), { idPrefix });
    const message = result && result.message ? str(result.message) : t("errorLookup");
    return renderMessage(doc, message, { error: true, idPrefix });
  }

  const CSS = `
:host, .g-entry {
  --g-bg: #ffffff; --g-fg: #1d1d1f; --g-muted: #5f6368; --g-accent: #3558a8;
  --g-border: #d0d4dc; --g-tag-bg: #eef1f7; --g-error: #b3261e; --g-focus: #3558a8;
  --g-shadow: 0 6px 24px rgba(0, 0, 0, .18);
}
@media (prefers-color-scheme: dark) {
  :host, .g-entry {
    --g-bg: #22252b; --g-fg: #e8e8ea; --g-muted: #a6abb5; --g-accent: #9db7ff;
    --g-border: #3b404a; --g-tag-bg: #323844; --g-error: #ffb4ab; --g-focus: #9db7ff;
    --g-shadow: 0 6px 24px rgba(0, 0, 0, .6);
  }
}
.g-entry { color: var(--g-fg); font: 14px/1.45 system-ui, -apple-system, "Segoe UI", "Noto Sans", sans-serif; }
.g-header { display: flex; flex-wrap: wrap; align-items: baseline; gap: 4px 10px; margin-right: 28px; }
.g-word { font: 600 19px/1.25 Georgia, "Noto Serif", serif; margin: 0; color: var(--g-fg); }
.g-ipa { color: var(--g-muted); font-family: "Noto Sans", "DejaVu Sans", "Lucida Sans Unicode", sans-serif; }
.g-band { font-size: 11px; color: var(--g-muted); border: 1px solid var(--g-border); border-radius: 9px; padding: 0 7px; }
.g-inflection { margin: 4px 0 0; color: var(--g-muted); font-style: italic; }
.g-meaning { margin-top: 8px; }
.g-pos { margin: 0; font: italic 600 13px/1.3 Georgia, "Noto Serif", serif; color: var(--g-accent); }
.g-senses { margin: 2px 0 0; padding-left: 20px; }
.g-sense { margin: 3px 0; }
.g-example { display: block; color: var(--g-muted); font-style: italic; }
.g-example::before { content: "“"; } .g-example::after { content: "”"; }
.g-nyms { display: block; font-size: 12.5px; color: var(--g-muted); }
.g-label { font-weight: 600; }
.g-tag { font-size: 11px; background: var(--g-tag-bg); border-radius: 4px; padding: 0 5px; color: var(--g-muted); }
.g-sense-source, .g-sources { font-size: 11.5px; color: var(--g-muted); }
.g-sources { margin: 8px 0 0; }
.g-etymology { margin: 8px 0 0; font-size: 13px; }
.g-message { margin: 6px 0 0; }
.g-error { margin: 0 28px 0 0; color: var(--g-error); }
.g-suggestions { list-style: none; display: flex; flex-wrap: wrap; gap: 6px; padding: 0; margin: 4px 0 0; }
button.g-more, button.g-suggestion {
  font: inherit; color: var(--g-accent); background: transparent; cursor: pointer;
  border: 1px solid var(--g-border); border-radius: 6px; padding: 2px 10px; margin-top: 8px;
}
button.g-suggestion { margin-top: 0; }
button.g-more:hover, button.g-suggestion:hover { background: var(--g-tag-bg); }
.g-entry button:focus-visible { outline: 2px solid var(--g-focus); outline-offset: 2px; }
[hidden] { display: none !important; }
`;

  globalThis.GlossEntryView = Object.freeze({ render, renderMessage, inflectionNote, CSS });
})();
