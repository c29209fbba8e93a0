"""gov-annual-reports: the ``govreports`` command, the embedded demo portal and dataset tools.

The crawler (``crawler/``) and the report chain (``pipelines/``) are the two other packages of
the project; this one is the user's entry point to them.
"""

__version__ = "0.2.0"
