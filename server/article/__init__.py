"""Finding the article in a page: parse, extract, clean (fetching is server.fetching)."""
