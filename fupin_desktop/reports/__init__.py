"""Printouts as PDF (ReportLab platypus) from plain rows: 明白卡, N+2 plan sheet, 一户一档, 明白栏,
village statistics, the 五最低 register, the visit log and the problem ledger.

Layer: imports domain, errors, paths and resources only. The rows come from services/print_data.py;
callers (CLI, GUI) read them in a session, then call a `write_*` function here, which writes the file
atomically (reports/output.py).
"""
