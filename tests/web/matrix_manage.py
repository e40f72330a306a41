"""Rows of the permission matrix (tests/web/test_permissions.py) for the agency's
pages that manage the programme: registry, terms, users, settling and closing.

Every role runs these rows in turn, the administrator first, in one test on one
programme: the administrator's writes touch only what its own earlier rows made (hotel
BATU, IKM IKM-0900, product BTU-001, user gita), so that the rows after them, and the roles
after it, find the programme as they expect. A hotel's staff and an IKM's owner are refused
every agency page (403); an auditor reads them and is refused every form (403), the users'
pages too."""

from tests.web.conftest import expect

READ = expect(403, anon=302, admin=200, auditor=200)
WRITE = expect(403, anon=302, admin=302)
ADMIN_ONLY = expect(403, anon=302, admin=200)

IKM = {"code": "IKM-0900", "name": "Gerabah Dinoyo", "owner": "Bu Wati", "sector": "kriya",
       "nib": "", "phone": "0812 3456 7890", "email": "", "address": "Dinoyo, Malang",
       "bank": "BRI", "account": "0021-01-000555-30-1", "holder": "Wati"}

ROWS = [
    # the registry: hotels
    ("GET", "/agency/hotels", "/agency/hotels", None, READ),
    ("POST", "/agency/hotels", "/agency/hotels",
     {"code": "BATU", "name": "Hotel Batu", "commission": "15%", "address": "",
      "phone": "0341-403388", "phri_no": ""}, WRITE),
    ("GET", "/agency/hotels/<code>", "/agency/hotels/BATU", None, READ),
    ("POST", "/agency/hotels/<code>", "/agency/hotels/BATU",
     {"name": "Hotel Batu Malang", "address": "Jl. Raya Batu 1", "phone": "0341-403388",
      "phri_no": ""}, WRITE),
    # IKM
    ("GET", "/agency/ikm", "/agency/ikm", None, READ),
    ("POST", "/agency/ikm", "/agency/ikm", IKM, WRITE),
    ("GET", "/agency/ikm/<code>", "/agency/ikm/IKM-0900", None, READ),
    ("POST", "/agency/ikm/<code>", "/agency/ikm/IKM-0900",
     {**{key: value for key, value in IKM.items() if key not in ("code", "sector")},
      "public": "yes"}, WRITE),
    # products
    ("GET", "/agency/products", "/agency/products?consignor=IKM-0900", None, READ),
    ("POST", "/agency/products", "/agency/products",
     {"sku": "BTU-001", "consignor": "IKM-0900", "name": "Vas gerabah", "price": "75.000",
      "category": "keramik"}, WRITE),
    ("GET", "/agency/products/<sku>", "/agency/products/BTU-001", None, READ),
    ("POST", "/agency/products/<sku>", "/agency/products/BTU-001",
     {"name": "Vas gerabah besar", "price": "Rp80.000", "category": "keramik"}, WRITE),
    # terms
    ("GET", "/agency/terms", "/agency/terms?hotel=BATU", None, READ),
    ("POST", "/agency/terms", "/agency/terms",
     {"hotel": "BATU", "consignor": "IKM-0900", "commission": "12,5%",
      "from": "2020-12-01", "to": "", "display_days": "", "payment_days": ""}, WRITE),
    # users: the administrator's alone
    ("GET", "/agency/users", "/agency/users", None, ADMIN_ONLY),
    ("POST", "/agency/users", "/agency/users", {"name": "gita", "role": "auditor"},
     expect(403, anon=302, admin=302)),
    ("POST", "/agency/users/role", "/agency/users/role",
     {"name": "gita", "role": "consignor:IKM-0900"}, WRITE),
    ("POST", "/agency/users/password", "/agency/users/password",
     {"name": "gita", "password": "gerabah-dinoyo-1", "again": "gerabah-dinoyo-1"}, WRITE),
    ("POST", "/agency/users/deactivate", "/agency/users/deactivate", {"name": "gita"},
     WRITE),
    # a hotel's month: BATU has no goods, so closing November issues no statement
    ("GET", "/agency/periods", "/agency/periods?hotel=BATU&period=2020-11", None, READ),
    ("POST", "/agency/periods/settle", "/agency/periods/settle",
     {"hotel": "BATU", "period": "2020-11"}, WRITE),
    ("GET", "/agency/periods/close", "/agency/periods/close?hotel=BATU&period=2020-11",
     None, ADMIN_ONLY),
    ("POST", "/agency/periods/close", "/agency/periods/close",
     {"hotel": "BATU", "period": "2020-11", "confirm": "yes"}, WRITE),
    ("POST", "/agency/periods/close", "/agency/periods/close",  # once closed, it stays so
     {"hotel": "BATU", "period": "2020-11", "confirm": "yes"},
     expect(403, anon=302, admin=409)),
    ("GET", "/agency/statements", "/agency/statements?hotel=BATU", None, READ),
    # no statement is issued in this programme
    ("GET", "/agency/statements/<number>", "/agency/statements/ST-000001", None,
     expect(403, anon=302, admin=404, auditor=404)),
    ("GET", "/agency/statements/<number>.pdf", "/agency/statements/ST-000001.pdf", None,
     expect(403, anon=302, admin=404, auditor=404)),
    ("POST", "/agency/statements/<number>/pay", "/agency/statements/ST-000001/pay",
     {"on": "2020-12-10", "ref": "TRF-1", "amount": ""},
     expect(403, anon=302, admin=404, auditor=404)),
    ("POST", "/agency/statements/<number>/payments/<int:payment>/void",
     "/agency/statements/ST-000001/payments/1/void", {"reason": "salah"},
     expect(403, anon=302, admin=404, auditor=404)),
    # handing the statements of a month to their IKM: the administrator's alone
    ("GET", "/agency/deliveries", "/agency/deliveries", None, ADMIN_ONLY),
    # the point-of-sale API's tokens: the administrator's alone (made for hotel BATU)
    ("GET", "/agency/tokens", "/agency/tokens", None, ADMIN_ONLY),
    ("POST", "/agency/tokens", "/agency/tokens", {"hotel": "BATU", "label": "kasir 1"},
     ADMIN_ONLY),
    ("POST", "/agency/tokens/<int:token>/revoke", "/agency/tokens/99999/revoke", {},
     expect(403, anon=302, admin=404)),
    # retiring what the rows above made
    ("POST", "/agency/products/<sku>/deactivate", "/agency/products/BTU-001/deactivate", {},
     WRITE),
    ("POST", "/agency/ikm/<code>/deactivate", "/agency/ikm/IKM-0900/deactivate", {}, WRITE),
    ("POST", "/agency/hotels/<code>/deactivate", "/agency/hotels/BATU/deactivate", {},
     WRITE),
]
