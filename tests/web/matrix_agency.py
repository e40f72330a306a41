"""Rows of the permission matrix (tests/web/test_permissions.py) for the agency's
pages that show the programme: dashboard and registers. The agency's staff and its
auditors read them; a hotel's staff and an IKM's owner are refused (403), whatever the
page's filters name; who is not logged in is sent to the login."""

from tests.web.conftest import expect

AGENCY = expect(403, anon=302, admin=200, auditor=200)

ROWS: list = [
    ("GET", "/agency/charts/<name>.svg", "/agency/charts/sales.svg", None, AGENCY),
    ("GET", "/agency/charts/<name>.svg", "/agency/charts/share.svg?period=2020-12", None,
     AGENCY),
    ("GET", "/agency/charts/<name>.svg", "/agency/charts/hotels.svg", None, AGENCY),
    ("GET", "/agency/charts/<name>.svg", "/agency/charts/ikm.svg", None, AGENCY),
    ("GET", "/agency/charts/<name>.svg", "/agency/charts/nothing.svg", None,
     expect(403, anon=302, admin=404, auditor=404)),
    ("GET", "/agency/report.pdf", "/agency/report.pdf?period=2020-12", None, AGENCY),
    ("GET", "/agency/programme", "/agency/programme", None, AGENCY),
    ("GET", "/agency/placements", "/agency/placements?hotel=ATRIA", None, AGENCY),
    ("GET", "/agency/placements.<any(csv, xlsx):fmt>", "/agency/placements.csv", None,
     AGENCY),
    ("GET", "/agency/placements.<any(csv, xlsx):fmt>", "/agency/placements.xlsx?hotel=TUGU",
     None, AGENCY),
    ("GET", "/agency/aging", "/agency/aging", None, AGENCY),
    ("GET", "/agency/aging.<any(csv, xlsx):fmt>", "/agency/aging.csv?table=returns", None,
     AGENCY),
    ("GET", "/agency/overdue", "/agency/overdue?consignor=IKM-0002", None, AGENCY),
    ("GET", "/agency/overdue.<any(csv, xlsx):fmt>", "/agency/overdue.xlsx", None, AGENCY),
    ("GET", "/agency/shrinkage", "/agency/shrinkage?period=2020-08&to=2020-12", None,
     AGENCY),
    ("GET", "/agency/shrinkage.<any(csv, xlsx):fmt>", "/agency/shrinkage.csv", None, AGENCY),
    ("GET", "/agency/sales", "/agency/sales?by=sector", None, AGENCY),
    ("GET", "/agency/sales.<any(csv, xlsx):fmt>", "/agency/sales.xlsx?by=product", None,
     AGENCY),
    ("GET", "/agency/log", "/agency/log?record=hotel:ATRIA", None, AGENCY),
    ("GET", "/agency/log.csv", "/agency/log.csv", None, AGENCY),
    # a filter the services refuse: by its field (422), an unknown hotel 404; still 403
    # for a role that may not read the agency's pages at all
    ("GET", "/agency/placements", "/agency/placements?as_of=2020-13-01", None,
     expect(403, anon=302, admin=422, auditor=422)),
    ("GET", "/agency/sales", "/agency/sales?hotel=NOWHERE", None,
     expect(403, anon=302, admin=404, auditor=404)),
]
