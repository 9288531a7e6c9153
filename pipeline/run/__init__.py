"""Run stage: an input folder through the read, parse and output stages.

Input: an input folder, the per-document limits and where to run the documents (worker processes
of this machine, or a Dask cluster). Output: the tables of the output folder, progress on stderr
and a summary on stdout; unchanged documents come from the cache. Its modules: ``folder`` (the
run), ``workers`` (worker processes and the per-document limits), ``cluster`` (the Dask engine),
``cache`` (the last run's rows, the journal, the manifest), ``progress``.
"""
