"""Pure renderers: model -> SVG (fishbone, driver diagram, matrix) and model -> Altair
(run chart). No Jupyter imports here."""
