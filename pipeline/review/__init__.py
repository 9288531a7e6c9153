"""Review stage: extracted tables to what a reviewer reads.

Input: extraction folders (or git revisions of them), the input folder and the schemas.
Output: table diffs in Markdown, sorted JSON Lines, the HTML report with charts, and the data
dictionary.
"""
