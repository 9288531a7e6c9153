"""Text: the vocabulary of the printed forms, the forms fields are read in, and Japanese.

Input: strings as printed. Output: their parse and display forms, name keys and answers about
lines. Imports no stage; every stage may import it.
"""
