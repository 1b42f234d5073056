"""Finding the article in a page: fetch (guarded), parse, extract, clean."""
