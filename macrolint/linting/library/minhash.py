"""MinHash signatures of a text's word pairs, to find candidate near-duplicates without
comparing every item with every other.

A signature is ``BINS`` minima of one hash over the text's word pairs (one-permutation hashing:
each pair falls in the bin its hash picks, and each bin keeps its smallest value), with empty bins
filled from the next full one (rotation densification), so two texts agree on a bin with about
the probability that equals the Jaccard similarity of their sets of word pairs. The signature is cut into ``BANDS`` bands of
``ROWS`` bins (locality-sensitive hashing): two items that agree on a whole band share a bucket,
and they are compared when they share ``MIN_SHARED_BANDS`` buckets. A pair whose word pairs
overlap by a Jaccard similarity of 0.7 (a macro with a few words changed) shares three bands or
more with probability 0.99, at 0.6 about 0.8; at 0.45 about 0.15, at 0.35 about 0.01.

A word's hash is its CRC-32 (stable across processes, unlike ``hash()`` of a string), a pair's the
hash of its two words' (``signature``): a C call a word, the rest in C over all pairs at once.
Signatures are computed in the worker that lints the file, and compared within one run.
"""
from __future__ import annotations

import struct
from itertools import repeat
from operator import and_, rshift
from zlib import crc32

BINS = 128
ROWS = 4
BANDS = BINS // ROWS
#: Bands two items must share to be compared.
MIN_SHARED_BANDS = 3
_SHIFT = 7  # log2(BINS): the low bits of a pair's hash pick its bin, the rest are its value
_MASK = 0xFFFFFFFF
#: The bits of a pair's hash kept: enough for its bin and a 32-bit value.
_WIDE = (1 << (32 + _SHIFT)) - 1
#: Added for each bin a filled-in value was taken across, so a borrowed value differs from its source.
_STEP = 0x5BD1E995
_PACK = struct.Struct(f"<{BINS}I")
_SHIFTS = [k * _STEP for k in range(BINS + 1)]


def signature(tokens: list[str], cache: dict) -> bytes:
    """The packed signature of a text's normalised words (``BINS`` little-endian 32-bit values);
    empty for fewer than two words. ``cache`` keeps each word's hash for the next texts.

    A word pair's hash is ``hash()`` of the pair of its words' CRC-32s: a tuple of integers hashes
    the same in every process of a run (no hash randomisation), and in C. Sorted from the largest,
    the pairs fill a dict bin by bin, so each bin ends with its smallest value."""
    if len(tokens) < 2:
        return b""
    get = cache.get
    hashes = [get(word) for word in tokens]
    if None in hashes:
        for k, word in enumerate(tokens):
            if hashes[k] is None:
                hashes[k] = cache[word] = crc32(word.encode("utf-8", "surrogatepass"))
    pairs = sorted(map(and_, map(hash, zip(hashes, hashes[1:])), repeat(_WIDE)), reverse=True)
    found = dict(zip(map(and_, pairs, repeat(BINS - 1)), map(and_, map(rshift, pairs, repeat(_SHIFT)), repeat(_MASK))))
    if len(found) < BINS:
        _densify(found)
    return _PACK.pack(*map(found.__getitem__, range(BINS)))


def _densify(found: dict[int, int]) -> None:
    """Fill each empty bin from the next full one to its right (wrapping round), shifted by the
    distance, so two signatures agree on a filled bin only when they agree on its source."""
    full = sorted(found)
    for left, right in zip(full, full[1:] + [full[0] + BINS]):
        if right - left > 1:
            value = found[right % BINS]
            for i in range(left + 1, right):
                found[i % BINS] = (value + _SHIFTS[right - i]) & _MASK


def bands(sig: bytes) -> list[bytes]:
    """The signature's ``BANDS`` bands (band ``k`` is compared only with band ``k`` of others)."""
    size = ROWS * 4
    return [sig[k:k + size] for k in range(0, BINS * 4, size)] if sig else []
