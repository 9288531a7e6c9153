"""Text: the vocabulary of the printed forms, the text forms fields are read in, and Japanese.

Imports no stage; every stage may import it.
"""
