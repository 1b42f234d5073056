"""Gloss server: prints web articles as clean PDFs and defines the words in them."""

__version__ = "0.1.0"
