"""A test-only module that plugs into Archipel through its manifest and nothing else.

It is installed only when the tests run (``archipel/settings.py`` adds ``tests.plugcheck`` to
``INSTALLED_APPS`` when ``TESTING``), and ``test_plug_point.py`` proves that a module written
this way appears everywhere a module should, with no edit outside this folder.
"""
