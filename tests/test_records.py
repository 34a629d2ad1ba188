"""``records.record`` behaves as ``dataclasses.dataclass`` does, whichever method is used first."""
from __future__ import annotations

import dataclasses
from dataclasses import field
from typing import Optional

import pytest

from macrolint import _records as records
from macrolint._records import record


def make(frozen: bool):
    @record(frozen=frozen)
    class Point:
        x: int
        y: int = 0
        tags: list = field(default_factory=list, hash=False)
        note: str = field(default="", compare=False)

        def total(self) -> int:
            return self.x + self.y

    return Point


@dataclasses.dataclass(frozen=True)
class _Plain:
    x: int
    y: int = 0
    tags: list = field(default_factory=list, hash=False)
    note: str = field(default="", compare=False)


@pytest.mark.parametrize("frozen", [True, False])
def test_same_behaviour_as_dataclass(frozen):
    P = make(frozen)
    p = P(1, 2, note="a")
    assert repr(p) == "make.<locals>.Point(x=1, y=2, tags=[], note='a')"
    assert p == P(1, 2, note="b") and p != P(1, 3) and p.total() == 3
    assert P(1).tags is not P(1).tags
    assert [f.name for f in dataclasses.fields(P)] == [f.name for f in dataclasses.fields(_Plain)]
    assert records.replace(p, y=7) == P(1, 7)
    if frozen:
        assert hash(p) == hash(P(1, 2, note="b")) == hash(_Plain(1, 2))
        with pytest.raises(dataclasses.FrozenInstanceError):
            p.x = 5
        with pytest.raises(dataclasses.FrozenInstanceError):
            del p.x
    else:
        p.x = 5
        assert p.x == 5
        with pytest.raises(TypeError):
            hash(p)


@pytest.mark.parametrize("use", ["eq", "hash", "repr", "setattr"])
def test_made_without_init(use):
    """Rules come out of the pack cache without ``__init__`` being called: whatever is done to
    them first must build the class and act as the dataclass would."""
    P = make(True)
    a = object.__new__(P)
    a.__dict__.update(x=1, y=2, tags=[], note="")  # as unpickling does
    assert "__dataclass_fields__" not in P.__dict__
    if use == "eq":
        assert a == P(1, 2)
    elif use == "hash":
        assert hash(a) == hash(_Plain(1, 2))
    elif use == "repr":
        assert repr(a).endswith("Point(x=1, y=2, tags=[], note='')")
    else:
        with pytest.raises(dataclasses.FrozenInstanceError):
            a.y = 3
    assert "__dataclass_fields__" in P.__dict__


def test_records_field_is_dataclasses_field():
    @record(frozen=True)
    class Line:
        text: str
        marks: list = records.field(default_factory=list, hash=False)
        shown: str = records.field(default="", compare=False)

    a = Line("x", shown="a")
    assert a == Line("x", shown="b") and a.marks == [] and a.marks is not Line("x").marks
    assert hash(a) == hash(Line("x"))
    assert [f.name for f in dataclasses.fields(Line) if f.compare] == ["text", "marks"]


def test_subclass_of_record():
    Base = make(True)

    @record(frozen=True)
    class Child(Base):
        z: Optional[int] = None

    c = Child(1, 2, z=3)  # building the subclass builds its base first
    assert (c.x, c.y, c.z) == (1, 2, 3)
    assert [f.name for f in dataclasses.fields(Child)] == ["x", "y", "tags", "note", "z"]
    assert c != Base(1, 2)


def test_every_model_class_builds():
    from macrolint import model
    from macrolint.matching import checks
    from macrolint.packs import config, phrases
    from macrolint.packs import load as packs
    from macrolint.text import document

    for module in (model, config, document, checks, packs, phrases):
        for value in vars(module).values():
            if isinstance(value, type) and "_record_build" in value.__dict__:
                records.built(value)
                assert dataclasses.is_dataclass(value), value


@pytest.mark.parametrize("frozen", [True, False])
def test_init_written_alone_is_dataclasses_init(frozen):
    """Making instances writes ``__init__`` alone; it takes and sets the same arguments as the
    one dataclass writes, which replaces it when the class is built."""

    def declare():
        @record(frozen=frozen)
        class Ticket:
            id: int
            subject: str = "?"
            tags: list = records.field(default_factory=list)
            note: str = records.field(default="", compare=False)

        return Ticket

    Fast, Full = declare(), records.built(declare())
    for args, kwargs in (((1,), {}), ((1, "Hi", ["a"]), {"note": "n"}), ((), {"id": 2, "tags": ["b"]})):
        fast, full = Fast(*args, **kwargs), Full(*args, **kwargs)
        assert vars(fast) == vars(full)
    assert "__dataclass_fields__" not in Fast.__dict__ and Fast(1).tags is not Fast(1).tags
    for bad in (((), {}), ((1, "a", [], "n", 5), {}), ((1,), {"nope": 1})):
        with pytest.raises(TypeError) as fast_error:
            Fast(*bad[0], **bad[1])
        with pytest.raises(TypeError) as full_error:
            Full(*bad[0], **bad[1])
        assert str(fast_error.value).split("__init__()")[1] == str(full_error.value).split("__init__()")[1]
    fast_init = Fast.__init__
    records.built(Fast)
    assert Fast.__init__ is not fast_init and vars(Fast(1, "x")) == vars(Full(1, "x"))
