"""The pipeline: a file or folder read, checked and turned into results, one form at a time."""
