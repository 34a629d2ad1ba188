"""The library report: where the script-speak of a whole reply library is, which items to fix
first, which phrases to retire, which items say nearly the same thing, and what changed since a
baseline.

Each file is read and linted once, as ``check`` does it; its worker also writes down what the
report needs of it (``facts``: items, words, the text near-duplicates are compared by and its
MinHash ``signature``). The parent process then adds the figures up (``build``): the script
score of each item (``score``), the phrases (``phrases``), the near-duplicate clusters
(``neardup``) and the trend against a baseline. Rendering is the reporters' job.
"""
