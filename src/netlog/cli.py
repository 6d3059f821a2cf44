"""The `netlog` command line: the app with every command group registered on it.

Each module in netlog.commands holds one group of commands and registers them here; none
imports another. The console script (netlog.main) builds a smaller app for `add`, `outcome`
and `spend`, which run after every session and must start fast.
"""

from netlog.commands import (
    budget,
    channels,
    completion,
    corrections,
    data,
    insight,
    logging,
    man,
    report,
    reports,
    review,
    settings,
    sync,
    timer,
)
from netlog.commands.common import new_app

app = new_app()
GROUPS = (
    logging,
    corrections,
    timer,
    channels,
    budget,
    reports,
    insight,
    report,
    review,
    data,
    settings,
    man,
    completion,
    sync,
)
for group in GROUPS:
    group.register(app)


def main() -> None:
    app(prog_name="netlog")  # the console script uses netlog.main, which may skip this module
