"""The summary's first line says what a pasted summary covers: the filters and their dates."""


def test_the_title_names_the_filters_and_the_dates_of_what_they_count(ok):
    ok("add", "email", "1h", "cold emails", "--tag", "cold", "--at", "2010-09-14 10:00")
    ok("add", "linkedin", "2h", "messages", "--at", "2010-09-20 10:00")
    ok("outcome", "email", "win", "--value", "£500", "--at", "2010-10-05 10:00")

    assert ok("summary").stdout.splitlines()[0] == (
        "netlog summary, 2010-09-14 to 2010-10-05, time unpriced"
    )
    assert ok("summary", "--tag", "cold").stdout.splitlines()[0] == (
        "netlog summary (tagged cold), 2010-09-14 to 2010-09-14, time unpriced"
    )
    assert ok("summary", "--kind", "win").stdout.splitlines()[0] == (
        "netlog summary (kind win), 2010-10-05 to 2010-10-05, time unpriced"
    )
    assert ok("summary", "--search", "messages", "--kind", "activity").stdout.splitlines()[0] == (
        'netlog summary (kind activity; matching "messages"), 2010-09-20 to 2010-09-20,'
        " time unpriced"
    )
    # --since and --until are the dates, whatever is counted
    assert (
        ok(
            "summary", "--tag", "cold", "--since", "2010-09", "--until", "2010-09"
        ).stdout.splitlines()[0]
        == "netlog summary (tagged cold), 2010-09-01 to 2010-09-30, time unpriced"
    )
