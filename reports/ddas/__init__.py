"""The DDAS v1.2 export to CBS (reports/ddas/export.py, `manage.py export_ddas`).

schema/ holds a copy of the standard (VNG-Realisatie/ddas-vroegsignalering): the JSON
schema of the Uitwisselmodel that the tests validate against, and its detail model.
"""
