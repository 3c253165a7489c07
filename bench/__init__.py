"""Benchmarks of `compliance` at the scale of a large institution, side by side with the usual way
(a docxtpl DOCX converted by LibreOffice). Run `python -m bench`; see bench/README.md."""
