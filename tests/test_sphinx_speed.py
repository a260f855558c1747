"""The bibliography's caches return what pybtex returns, and notice a changed entry."""

from pybtex.database import Entry, Person
from pybtex.plugin import find_plugin

from reportbuild import sphinx_speed


def _entry(title="A study", last="Rødevand", first="Linda"):
    entry = Entry("article", fields={"title": title, "journal": "BMC", "year": "2017"})
    entry.key = "rodevand2017"
    entry.persons["author"] = [Person(f"{last}, {first}")]
    return entry


def _text(formatted) -> str:
    return formatted.text.render_as("text")


def test_a_remembered_entry_is_formatted_as_pybtex_formats_it():
    sphinx_speed.install()
    from pybtex.style.formatting import BaseStyle

    style = find_plugin("pybtex.style.formatting", "unsrt")()
    original = BaseStyle.format_entry.__wrapped__
    assert _text(style.format_entry("1", _entry())) == _text(original(style, "1", _entry()))
    assert style.format_entry("1", _entry()) is style.format_entry("1", _entry())  # remembered


def test_a_changed_field_name_label_or_style_is_formatted_again():
    sphinx_speed.install()
    unsrt = find_plugin("pybtex.style.formatting", "unsrt")()
    first = _text(unsrt.format_entry("1", _entry()))
    assert "Another study" in _text(unsrt.format_entry("1", _entry(title="Another study")))
    assert "Hansen" in _text(unsrt.format_entry("1", _entry(last="Hansen")))
    assert _text(unsrt.format_entry("2", _entry())) == first and unsrt.format_entry("2", _entry()).label == "2"
    abbreviated = find_plugin("pybtex.style.formatting", "unsrt")(abbreviate_names=True)
    assert _text(abbreviated.format_entry("1", _entry())) != first  # "L. Rødevand", not "Linda Rødevand"


def test_entry_point_lookups_are_remembered():
    sphinx_speed.install()
    import pybtex.plugin

    assert pybtex.plugin.entry_points(group="pybtex.style.formatting", name="unsrt") is \
        pybtex.plugin.entry_points(group="pybtex.style.formatting", name="unsrt")
    assert "unsrt" in pybtex.plugin.enumerate_plugin_names("pybtex.style.formatting")  # a group only
