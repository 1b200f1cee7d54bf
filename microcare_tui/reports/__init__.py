"""Reports for commissioners: impact, gaps, the register; CSV, XLSX and printable renderers.

It sits beside `services`, on top of `store` and `domain`. Each figure is reported with its
inputs and its as-at date, so a commissioner can check it.
"""
