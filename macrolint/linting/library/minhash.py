"""MinHash signatures of a text's word pairs, to find candidate near-duplicates without
comparing every item with every other.

A signature is ``BINS`` minima of one hash over the text's word pairs (one-permutation hashing:
each pair falls in the bin its hash picks, and each bin keeps its smallest value), with empty bins
filled from the next full one (rotation densification), so two texts agree on a bin with about
the probability that equals the Jaccard similarity of their sets of word pairs. The signature is
cut into ``BANDS`` bands of ``ROWS`` bins (locality-sensitive hashing): two items that agree on a
whole band share a bucket, and they are compared when they share ``MIN_SHARED_BANDS`` buckets and
the low bytes of their bins (``agreement``) say their word pairs overlap enough. A pair whose
word pairs overlap by a Jaccard similarity of 0.6 shares two bands or more with probability
about 0.92, at 0.7 over 0.99; at 0.35, about 0.08.

The hash is CRC-32 (stable across processes and platforms, unlike ``hash()``) of each word, mixed
by a multiplication and combined for each pair: one C call a word, a few integer operations a
pair. Signatures are computed in the worker that lints the file.
"""
from __future__ import annotations

import struct
from zlib import crc32

BINS = 128
ROWS = 4
BANDS = BINS // ROWS
#: Bands two items must share to be compared.
MIN_SHARED_BANDS = 3
_SHIFT = 7  # log2(BINS): the low bits of a pair's hash pick its bin, the rest are its value
_EMPTY = 1 << 25
_MASK = 0xFFFFFFFF
_GOLDEN = 0x9E3779B1
#: Added for each bin a filled-in value was taken across, so a borrowed value differs from its source.
_STEP = 0x5BD1E995
_PACK = struct.Struct(f"<{BINS}I")


def signature(tokens: list[str], cache: dict) -> bytes:
    """The packed signature of a text's normalised words (``BINS`` little-endian 32-bit values);
    empty for fewer than two words. ``cache`` keeps each word's hash for the next texts."""
    if len(tokens) < 2:
        return b""
    get = cache.get
    hashes = [get(word) for word in tokens]
    if None in hashes:
        for k, word in enumerate(tokens):
            if hashes[k] is None:
                hashes[k] = cache[word] = (crc32(word.encode("utf-8", "surrogatepass")) * _GOLDEN) & _MASK
    pairs = [((a * 0x01000193) ^ b) * _GOLDEN & _MASK for a, b in zip(hashes, hashes[1:])]
    pairs.sort(reverse=True)
    bins = [_EMPTY] * BINS
    low = BINS - 1
    for pair in pairs:  # largest first: each bin ends with its smallest value
        bins[pair & low] = pair >> _SHIFT
    _densify(bins)
    return _PACK.pack(*bins)


def _densify(bins: list[int]) -> None:
    """Fill each empty bin from the next full one to its right (wrapping round), shifted by the
    distance, so two signatures agree on a filled bin only when they agree on its source."""
    if _EMPTY not in bins:
        return
    n = len(bins)
    full = [i for i, v in enumerate(bins) if v != _EMPTY]
    if not full:
        return
    source = bins[:]
    nxt = full[0] + n  # the first full bin, met again after wrapping round
    for i in range(n - 1, -1, -1):
        if source[i] != _EMPTY:
            nxt = i
            continue
        bins[i] = (source[nxt % n] + (nxt - i) * _STEP) & _MASK


def bands(sig: bytes) -> list[bytes]:
    """The signature's ``BANDS`` bands (band ``k`` is compared only with band ``k`` of others)."""
    size = ROWS * 4
    return [sig[k:k + size] for k in range(0, BINS * 4, size)] if sig else []


def low_bytes(sig: bytes) -> int:
    """The lowest byte of every bin, as one integer (for ``agreement``)."""
    return int.from_bytes(sig[::4], "little") if sig else 0


def agreement(a: int, b: int) -> float:
    """The share of bins two signatures agree on, from their ``low_bytes``, corrected for the
    1 in 256 bins whose low bytes agree by chance: an estimate of the Jaccard similarity of the
    two texts' word pairs."""
    same = (a ^ b).to_bytes(BINS, "little").count(0) / BINS
    return max(0.0, (same - 1 / 256) / (1 - 1 / 256))
