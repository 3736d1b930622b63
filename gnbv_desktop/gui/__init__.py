"""Qt (PySide6) user interface. The only package besides ``app.py`` that imports Qt."""
