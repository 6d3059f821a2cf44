"""netlog: log time spent on networking channels and see which ones bring paid work."""

__version__ = "0.1.0"
