"""Printing: `Article + PrintOptions -> self-contained HTML -> PDF bytes`.

options.py validates what the caller asked for, typeset.py builds the HTML that is
rendered, render.py runs WeasyPrint in worker processes it can kill, cache.py keeps
recent PDFs, pipeline.py joins the stages for the web layer and the command line.
"""
