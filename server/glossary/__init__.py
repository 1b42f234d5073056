"""Print with a glossary: the words a reader looked up, defined where they stand.

    parse_glossary(options.glossary) -> requested words | "auto" | None   (select.py, 422 on bad input)
    choose(article, requested, limit, dictionary) -> tuple[Gloss, ...]     (select.py, needs the store)
    gloss_article(article, glosses) -> Article                             (annotate.py, a new value)
    annotate_body(body, glossary) / closing_glossary(glossary)             (annotate.py, used by typeset)

text.py holds what both sides share: which text of the body may be marked, in which
order, and the sentence around a word.
"""
