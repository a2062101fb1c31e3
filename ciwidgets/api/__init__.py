"""The Python API for researchers: build diagrams from code or dicts, and read a
project's or a network's work as tidy pandas DataFrames (`ciwidgets.api.frames`).
pandas is imported only when a table is asked for."""
