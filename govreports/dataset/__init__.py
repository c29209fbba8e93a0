"""From the crawl's JSON lines to what analysts open: typed tables, a data dictionary, cross-year
checks and a coverage report. Pure functions over plain dicts; pyarrow and matplotlib are imported
only by the modules that write files.
"""
