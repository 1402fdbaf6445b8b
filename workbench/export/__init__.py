"""File formats the workbench reads and writes: case files, workbooks, atomic writes."""
