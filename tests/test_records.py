"""Records: the ones made for every line keep every behaviour of a frozen dataclass with a quicker ``__init__``."""

from __future__ import annotations

import dataclasses
import pickle
from dataclasses import dataclass, field

import pytest

from pipeline.records import Line, Program, SourceLine, Span, make_quickly


def test_a_record_made_quickly_is_the_dataclass_it_was():
    line = SourceLine(3, "■在宅療養研修事業", page=2)
    for record in (SourceLine, Span, Line, Program):  # no field set through object.__setattr__
        assert "__setattr__" not in record.__init__.__code__.co_names
    assert line == SourceLine(number=3, text="■在宅療養研修事業", page=2, bbox=None, column=None)
    assert (line.bbox, line.column) == (None, None)  # defaults
    assert hash(line) == hash(SourceLine(3, "■在宅療養研修事業", 2))
    assert pickle.loads(pickle.dumps(line)) == line
    assert dataclasses.replace(line, text="○研修") == SourceLine(3, "○研修", 2)
    assert repr(line) == "SourceLine(number=3, text='■在宅療養研修事業', page=2, bbox=None, column=None)"
    with pytest.raises(dataclasses.FrozenInstanceError):
        line.text = "x"  # type: ignore[misc]
    with pytest.raises(TypeError):
        SourceLine(3)  # type: ignore[call-arg]
    span = Span(1, 2)
    assert Line("a", "a", span) == Line(raw="a", text="a", span=span, indented=False, blank_before=True,
                                        blank_after=True, column=None)
    assert Program.__dataclass_fields__["items"].default == ()


def test_a_class_it_cannot_make_is_left_as_it_is():
    @dataclass(frozen=True)
    class Listed:
        names: list[str] = field(default_factory=list)

    init = Listed.__init__
    assert make_quickly(Listed).__init__ is init
    assert Listed().names == []

    @dataclass(frozen=True)
    class Keyed:
        number: int
        text: str = field(default="", kw_only=True)

    init = Keyed.__init__
    assert make_quickly(Keyed).__init__ is init
    with pytest.raises(TypeError):
        Keyed(1, "x")  # type: ignore[misc]

    @dataclass(frozen=True)
    class Named:
        values: int
        self_: int = 0

    init = Named.__init__
    assert make_quickly(Named).__init__ is init
