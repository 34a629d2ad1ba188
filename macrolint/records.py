"""Value classes declared as dataclasses, with their methods written on first use.

``dataclasses.dataclass`` writes and compiles ``__init__``, ``__repr__``, ``__eq__`` (and, when
frozen, ``__hash__``, ``__setattr__``, ``__delattr__``) as soon as a class is defined: most of a
millisecond a class, about a tenth of a one-file run with the two dozen classes here. Many
are never used in a given run, and the rules and phrases come out of the pack cache without
calling ``__init__`` at all. ``record`` stands in those methods; the first one called turns the
class into the very dataclass ``@dataclass(frozen=...)`` would have made, then runs.
"""
from __future__ import annotations

import dataclasses
from _thread import allocate_lock

_LOCK = allocate_lock()
_FROZEN_ONLY = ("__hash__", "__setattr__", "__delattr__")
_METHODS = ("__init__", "__repr__", "__eq__", *_FROZEN_ONLY)


def record(cls=None, /, *, frozen: bool = False):
    """``@dataclass`` / ``@dataclass(frozen=True)``, built on first use (see the module docs)."""

    def wrap(cls):
        def build() -> None:
            if "__dataclass_fields__" in cls.__dict__:
                return
            for base in reversed(cls.__mro__[1:]):  # dataclass reads the fields of built bases
                if "_record_build" in base.__dict__:
                    base._record_build()
            with _LOCK:
                if "__dataclass_fields__" in cls.__dict__:
                    return
                for name in _METHODS:
                    if getattr(cls.__dict__.get(name), "_record_stub", False):
                        delattr(cls, name)
                dataclasses.dataclass(cls, frozen=frozen)

        def stub(name: str):
            def method(self, *args, **kwargs):
                build()
                return getattr(cls, name)(self, *args, **kwargs)

            method._record_stub = True
            method.__name__ = name
            return method

        for name in _METHODS:
            if name in cls.__dict__:
                continue
            if name in _FROZEN_ONLY and not frozen:
                if name == "__hash__":
                    cls.__hash__ = None  # what dataclass does to a mutable class that compares
                continue
            setattr(cls, name, stub(name))
        cls._record_build = staticmethod(build)
        return cls

    return wrap if cls is None else wrap(cls)


def built(cls):
    """``cls`` as a finished dataclass (for ``dataclasses.fields`` and the like)."""
    build = getattr(cls, "_record_build", None)
    if build is not None:
        build()
    return cls


def replace(obj, /, **changes):
    """``dataclasses.replace`` for a record."""
    built(type(obj))
    return dataclasses.replace(obj, **changes)
