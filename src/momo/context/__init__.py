"""Context notes (补充说明): community fact-checking that bridges divides.

Readers attach context to a post; others rate it; a note shows under the post
only when people who usually disagree both found it helpful (scoring.py). Raters
are known to the fit only by a pseudonym that changes every epoch, and old
pseudonyms are erased, so no lasting rating history of anyone is kept.
"""
