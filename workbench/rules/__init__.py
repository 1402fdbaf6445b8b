"""EAR rule data and the determination engine.

Entry points: ``workbench.rules.engine.evaluate`` / ``determination_to_json``,
``workbench.rules.classify.suggest_eccn``, ``workbench.rules.ccl.ccl_heading`` /
``ccl_eccns`` and ``workbench.rules.redflags.checklist``. Rule data is read only
through ``workbench.resources`` (``resources/rules/*.json``).
"""
