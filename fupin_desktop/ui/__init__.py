"""The PySide6 desktop GUI: a thin client of `fupin_desktop.services`.

Only `app.py` and `startup.py` (wiring) and `ops.py` (sessions) touch `fupin_desktop.db`; every other
module calls services through `ops.DbOps` and shows the plain rows they return.
"""
