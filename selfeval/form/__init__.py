"""The form and its words: the data model, the vocabulary of field words, the finding codes.

The lowest stage: everything else may import it, it imports nothing of selfeval's.
"""
