"""`themehub import`: another generator's site (a WordPress export, a Hugo or a Jekyll site) made a hub.

A reader per format (wordpress.py, hugo.py, jekyll.py) reads and converts into one model (model.py);
one pipeline names everything (names.py), gets the pictures (pictures.py), writes the files (files.py)
and reports (report.py); run.py drives it."""
