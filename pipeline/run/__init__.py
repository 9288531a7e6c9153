"""Run stage: an input folder through the read, parse and output stages.

Input: an input folder and the per-document limits. Output: the tables of the output folder,
progress on stderr and a summary on stdout; unchanged documents come from the cache.
"""
