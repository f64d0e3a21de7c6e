"""The pieces of the page frame (:class:`ui.frame.Frame`), one seam each.

``base`` (state and words), ``widgets`` (inputs routed by name), ``layout`` (the instrument
layout and "More settings"), ``presets``, ``conv`` (the Conv2d group and the refusal path)
and ``picking`` (the picked output cell). Pages use them only through ``ui.frame``.
"""
