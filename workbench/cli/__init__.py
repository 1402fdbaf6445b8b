"""The ``workbench-cli`` command line."""
