"""Printing: `Article + PrintOptions -> self-contained HTML -> PDF bytes`.

options.py validates what the caller asked for; typeset.py builds the HTML that is
rendered (print.css, fonts from fonts/); render.py runs WeasyPrint in worker processes
it can kill (worker.py is their side); cache.py keeps recent PDFs; filename.py names
the download; pipeline.py joins the stages for the web layer (server/web/print_api.py)
and the command line (command.py). Image bytes are screened by
server.fetching.image_guard before any decoder sees them.
"""
