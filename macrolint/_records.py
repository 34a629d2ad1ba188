"""Value classes declared as dataclasses, with their methods written on first use.

``dataclasses.dataclass`` writes and compiles ``__init__``, ``__repr__``, ``__eq__`` (and, when
frozen, ``__hash__``, ``__setattr__``, ``__delattr__``) as soon as a class is defined: most of a
millisecond a class, about a tenth of a one-file run with the two dozen classes here. Many
are never used in a given run, and the rules and phrases come out of the pack cache without
calling ``__init__`` at all. ``record`` stands in those methods; the first one called turns the
class into the very dataclass ``@dataclass(frozen=...)`` would have made, then runs. Making
instances is the one use most classes see in a run, so ``__init__`` alone is written first, the
same function dataclass would write, without loading the dataclasses module (and the inspect
module it imports, ~8 ms): ``field`` here stands in for ``dataclasses.field``.
"""
from __future__ import annotations

import sys
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
                import dataclasses

                for name in _METHODS:
                    if getattr(cls.__dict__.get(name), "_record_stub", False):
                        delattr(cls, name)
                for name, value in list(cls.__dict__.items()):
                    if isinstance(value, _Field):
                        setattr(cls, name, dataclasses.field(**value.options))
                dataclasses.dataclass(cls, frozen=frozen)

        def stub(name: str):
            def method(self, *args, **kwargs):
                if name == "__init__" and _init_alone(cls):
                    with _LOCK:
                        if cls.__dict__["__init__"] is method:
                            cls.__init__ = _write_init(cls, frozen)
                else:
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


def _init_alone(cls) -> bool:
    """Whether ``__init__`` can be written before the rest: the class is not built, and has no
    record base (whose fields dataclass would merge) nor fields dataclass keeps out of it."""
    if "__dataclass_fields__" in cls.__dict__ or any("_record_build" in base.__dict__ for base in cls.__mro__[1:]):
        return False
    dataclasses = sys.modules.get("dataclasses")  # a dataclasses.field() default: leave it to dataclass
    foreign = dataclasses.Field if dataclasses is not None else ()
    return not any(isinstance(value, foreign) or (isinstance(value, _Field) and "init" in value.options)
                   for value in cls.__dict__.values())


class _Factory:
    """The default of a parameter whose field has a ``default_factory``."""


def _write_init(cls, frozen: bool):
    """The ``__init__`` dataclass writes for ``cls`` (no record bases, every field in init)."""
    params, lines = [], []
    names = {"_F": _Factory, "_set": object.__setattr__}
    for name in cls.__dict__.get("__annotations__", {}):
        default = cls.__dict__.get(name, _Factory)
        options = default.options if isinstance(default, _Field) else {} if default is _Factory else {"default": default}
        if "default_factory" in options:
            names[f"_f_{name}"] = options["default_factory"]
            params.append(f"{name}=_F")
            lines.append(f"{name} = _f_{name}() if {name} is _F else {name}")
        elif "default" in options:
            names[f"_d_{name}"] = options["default"]
            params.append(f"{name}=_d_{name}")
        else:
            params.append(name)
        lines.append(f"_set(self, {name!r}, {name})" if frozen else f"self.{name} = {name}")
    source = f"def __init__(self, {', '.join(params)}):\n" + "".join(f"    {line}\n" for line in lines or ["pass"])
    exec(source, names)
    init = names["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    init._record_stub = True  # building the class puts dataclass's own in its place
    return init


class _Field:
    __slots__ = ("options",)

    def __init__(self, options: dict):
        self.options = options


def field(**options):
    """``dataclasses.field(**options)`` for a record."""
    return _Field(options)


def built(cls):
    """``cls`` as a finished dataclass (for ``dataclasses.fields`` and the like)."""
    build = getattr(cls, "_record_build", None)
    if build is not None:
        build()
    return cls


def replace(obj, /, **changes):
    """``dataclasses.replace`` for a record."""
    import dataclasses

    built(type(obj))
    return dataclasses.replace(obj, **changes)
