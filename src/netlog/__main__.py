"""Allow ``python -m netlog``."""

from netlog.main import main

main()
