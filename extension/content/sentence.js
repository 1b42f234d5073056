/*
 * What the reader selected, and the sentence around it.
 *
 * In: a DOM Range (the selection).
 * Out: `GlossSentence.around(range)` returns the sentence of the surrounding block that
 * contains the selection (whitespace folded, at most MAX_CONTEXT characters, cut around
 * the selection when longer); the server ranks senses by it. `place(range)` returns
 * `{sentence, offset}`: the same sentence and where the selection starts in it, in
 * characters (code points, as the server counts them), or offset null when it cannot be
 * told (the selection cut off, or not written as selected), so that the server reads the
 * occurrence selected when the word recurs in the sentence. `GlossSentence.query(text)`
 * returns the selection made fit to send (trimmed, folded) or "" when it is not a
 * plausible look-up (empty, too long, many words). `GlossSentence.compound(text, start,
 * end)` widens [start, end) of `text` over the hyphens that join it to its neighbours
 * ("standing" in "long-standing" becomes the whole compound), since a browser's
 * double-click selects only the part between hyphens; `widen(range)` does it to a Range.
 */
(() => {
  "use strict";
  if (globalThis.GlossSentence) return;

  const MAX_CONTEXT = 600;
  const MAX_WORDS = 6; // longer selections are passages, not look-ups
  const BLOCKS = "p, li, dd, dt, td, th, blockquote, figcaption, caption, h1, h2, h3, h4, h5, h6, pre, article, section, div, body";

  const fold = (s) => s.replace(/\s+/g, " ").trim();

  function query(text) {
    const q = fold(String(text || ""));
    if (!q || q.length > GlossProtocol.MAX_QUERY) return "";
    if (q.split(" ").length > MAX_WORDS) return "";
    return q;
  }

  // Letters and digits of any script, and the hyphens that join words (not dashes).
  const WORD_CHAR = /[\p{L}\p{M}\p{N}'’]/u;
  const HYPHENS = new Set(["-", "\u2010", "\u2011"]);

  function compound(text, start, end) {
    let s = start;
    let e = end;
    while (s >= 2 && HYPHENS.has(text[s - 1]) && WORD_CHAR.test(text[s - 2])) {
      s -= 1;
      while (s > 0 && WORD_CHAR.test(text[s - 1])) s -= 1;
    }
    while (e + 1 < text.length && HYPHENS.has(text[e]) && WORD_CHAR.test(text[e + 1])) {
      e += 1;
      while (e < text.length && WORD_CHAR.test(text[e])) e += 1;
    }
    return [s, e];
  }

  /** The range widened to the hyphenated compound it is part of (within one text node). */
  function widen(range) {
    if (!range || range.startContainer !== range.endContainer || range.startContainer.nodeType !== Node.TEXT_NODE) return range;
    const text = range.startContainer.data;
    // A double-click may take the space after the word too; the compound is what is between.
    let end = range.endOffset;
    while (end > range.startOffset && /\s/.test(text[end - 1])) end -= 1;
    const [s, e] = compound(text, range.startOffset, end);
    if (s === range.startOffset && e === end) return range;
    const wide = range.cloneRange();
    wide.setStart(range.startContainer, s);
    wide.setEnd(range.startContainer, e);
    return wide;
  }

  function blockOf(node) {
    const element = node.nodeType === Node.ELEMENT_NODE ? node : node.parentElement;
    return element ? element.closest(BLOCKS) : null;
  }

  function sentences(text, lang) {
    if (typeof Intl !== "undefined" && Intl.Segmenter) {
      try {
        return Array.from(new Intl.Segmenter(lang || undefined, { granularity: "sentence" }).segment(text),
          (s) => ({ start: s.index, text: s.segment }));
      } catch {
        // an unknown language tag: fall back to the rule below
      }
    }
    const out = [];
    const re = /[^.!?]+(?:[.!?]+["”’)\]]*\s*|$)/g;
    let m;
    while ((m = re.exec(text)) && m[0]) out.push({ start: m.index, text: m[0] });
    return out;
  }

  /** Where the selection starts in the folded `sentence`, given where it starts in the raw one. */
  function foldedOffset(raw, rawOffset, sentence, selected) {
    if (rawOffset < 0 || rawOffset >= raw.length) return null;
    const before = raw.slice(0, rawOffset).replace(/\s+/g, " ").replace(/^ /, "");
    if (!selected || !sentence.startsWith(selected, before.length)) return null;
    return Array.from(before).length; // code points: the server counts characters so
  }

  function place(range) {
    if (!range) return { sentence: "", offset: null };
    const block = blockOf(range.commonAncestorContainer);
    if (!block) return { sentence: "", offset: null };
    const whole = document.createRange();
    whole.selectNodeContents(block);
    // A line break in the page's source is a space as the page shows it, not the end of
    // a sentence (the segmenter ends one there); replaced one for one, offsets stay.
    const text = whole.toString().replace(/[\r\n]/g, " ");
    const before = document.createRange();
    before.setStart(block, 0);
    try {
      before.setEnd(range.startContainer, range.startOffset);
    } catch {
      return { sentence: fold(text).slice(0, MAX_CONTEXT), offset: null };
    }
    const selectedRaw = range.toString();
    // What a double-click took before the word (a space) is not part of the query.
    const at = before.toString().length + (selectedRaw.length - selectedRaw.trimStart().length);
    const end = before.toString().length + selectedRaw.length;
    const lang = (block.closest("[lang]") || document.documentElement).getAttribute("lang");
    const parts = sentences(text, lang);
    const hit = parts.filter((s) => s.start + s.text.length > at && s.start < Math.max(end, at + 1));
    let sentence = hit.length ? hit.map((s) => s.text).join("") : text;
    let offset = hit.length ? at - hit[0].start : at;
    if (sentence.length > MAX_CONTEXT) {
      const from = Math.max(0, Math.min(offset - MAX_CONTEXT / 2, sentence.length - MAX_CONTEXT));
      sentence = sentence.slice(from, from + MAX_CONTEXT);
      offset -= from;
    }
    const folded = fold(sentence);
    return { sentence: folded, offset: foldedOffset(sentence, offset, folded, fold(selectedRaw)) };
  }

  function around(range) {
    return place(range).sentence;
  }

  globalThis.GlossSentence = Object.freeze({ around, place, query, compound, widen, MAX_CONTEXT });
})();
