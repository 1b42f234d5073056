"""Fetching: everything that reaches outside the server or screens what came from outside.

fetch.py is the one guarded HTTP client (public addresses only, redirects checked, bounded
bodies and time); addresses.py decides which addresses are refused; image_guard.py screens
image bytes (type from the bytes, size, pixels, count) before any decoder or the renderer
sees them. Nothing here imports from article/, printing/ or web/ except the Page model.
"""
