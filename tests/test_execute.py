"""A prose edit is known not to need the jupyter cache; any doubt about the code means a lookup."""

import json
import shutil
import sys

import pytest

from reportbuild import execute

CHAPTER = """---
kernelspec:
  name: python3
---

# A chapter

Some prose.

```{code-cell} ipython3
:tags: [hide-input]

1 + 1
```

More prose.
"""


def test_prose_does_not_change_the_code_signature():
    edited = CHAPTER.replace("Some prose.", "Some other prose,\nover two lines.").replace("More", "Less")
    assert execute.code_signature(edited) == execute.code_signature(CHAPTER)


@pytest.mark.parametrize("edit", [
    ("1 + 1", "1 + 2"),                                # the code
    (":tags: [hide-input]", ":tags: [remove-input]"),  # a cell option
    ("name: python3", "name: python2"),                # the kernel in the front matter
    ("More prose.", "```{code-cell} ipython3\n2\n```"),  # a new cell
    ("Some prose.", "+++ {\"tags\": []}"),             # a cell break with metadata
])
def test_code_options_kernel_and_cells_change_it(edit):
    assert execute.code_signature(CHAPTER.replace(*edit)) != execute.code_signature(CHAPTER)


@pytest.mark.parametrize("edit", [
    ("```{code-cell} ipython3", "  ```{code-cell} ipython3"),  # indented: not read here
    ("1 + 1\n```", "1 + 1\n"),                                 # never closed
    ("Some prose.", ":::{code-cell}\n1\n:::"),                 # another fence
    ("name: python3\n---\n", "name: python3\n"),               # front matter never closed
    (":tags: [hide-input]", ":load: cell.py"),                 # code in another file
])
def test_what_it_cannot_read_surely_it_leaves_to_jupyter_cache(edit):
    assert execute.code_signature(CHAPTER.replace(*edit, 1)) is None


def test_a_known_chapter_is_not_looked_up_until_its_code_or_the_cache_changes(tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    (cache / "executed" / "a1").mkdir(parents=True)
    chapter = tmp_path / "chapter.md"
    chapter.write_text(CHAPTER, encoding="utf-8")
    execute._remember(cache, {str(chapter): execute.code_signature(CHAPTER)})
    monkeypatch.setitem(sys.modules, "jupyter_cache", None)  # any lookup would fail to import

    chapter.write_text(CHAPTER.replace("Some prose.", "Edited prose."), encoding="utf-8")
    assert execute.execute(cache, [chapter]) == 0

    chapter.write_text(CHAPTER.replace("1 + 1", "1 + 2"), encoding="utf-8")
    with pytest.raises(ImportError):
        execute.execute(cache, [chapter])

    chapter.write_text(CHAPTER, encoding="utf-8")
    (cache / "executed" / "b2").mkdir()  # an entry added (or removed) since: look again
    with pytest.raises(ImportError):
        execute.execute(cache, [chapter])


def test_the_memory_lives_in_the_cache_folder(tmp_path):
    """Clearing the cache folder (reportbuild.inputs) forgets it too."""
    cache = tmp_path / "cache"
    (cache / "executed").mkdir(parents=True)
    chapter = tmp_path / "chapter.md"
    execute._remember(cache, {str(chapter): execute.code_signature(CHAPTER), "unsure.md": None})
    assert execute._known(cache) == {str(chapter): execute.code_signature(CHAPTER)}
    shutil.rmtree(cache)
    assert execute._known(cache) == {}


def test_an_indented_fence_inside_the_code_does_not_end_the_cell():
    """A line of backticks indented four spaces (Markdown in a string) is code, as CommonMark reads it."""
    inner = CHAPTER.replace("1 + 1", 'text = """\n    ```\n"""\nx = 1')
    assert execute.code_signature(inner.replace("x = 1", "x = 2")) != execute.code_signature(inner)


def test_what_was_looked_up_is_remembered_not_what_the_file_holds_later(tmp_path, monkeypatch):
    """An edit saved after the lookup is not remembered as found in the cache."""
    cache = tmp_path / "cache"
    (cache / "executed").mkdir(parents=True)
    chapter = tmp_path / "chapter.md"
    chapter.write_text(CHAPTER, encoding="utf-8")
    execute._remember(cache, {str(chapter): execute.code_signature(CHAPTER)})
    original = execute.code_signature

    def edited_meanwhile(text):  # the author saves new code while the lookup runs
        chapter.write_text(CHAPTER.replace("1 + 1", "1 + 3"), encoding="utf-8")
        return original(text)

    monkeypatch.setattr(execute, "code_signature", edited_meanwhile)
    assert execute.execute(cache, [chapter]) == 0
    monkeypatch.setattr(execute, "code_signature", original)
    assert execute._known(cache) == {str(chapter): original(CHAPTER)}
