"""The outputs pasted in docs/python.md are real: every ```python block of the page runs, in
order and in one namespace, from the repository's root, and what it prints equals the ```text
block that follows it (before the next ```python block), if there is one.

ELIGO_BLESS_DOCS=1 rewrites the ```text blocks with what the examples print (read the diff)."""

import contextlib
import io
import os
import re

from conftest import REPO

PAGE = REPO / "docs" / "python.md"
FENCE = re.compile(r"^```(\w*)\n(.*?)^```\n", re.S | re.M)


def examples(text):
    """(code, (start, end) of its output block's body or None) for every python block."""
    found = []
    for m in FENCE.finditer(text):
        lang = m.group(1)
        if lang == "python":
            found.append([m.group(2), None])
        elif lang == "text" and found and found[-1][1] is None:
            found[-1][1] = (m.start(2), m.end(2))
    return found


def test_the_outputs_in_docs_python_md_are_real():
    text = PAGE.read_text()
    blocks = examples(text)
    assert len(blocks) >= 3, "docs/python.md lost its examples"
    namespace = {"__name__": "__docs__"}
    fixes, wrong = [], []
    cwd = os.getcwd()
    os.chdir(REPO)
    try:
        for code, span in blocks:
            out = io.StringIO()
            with contextlib.redirect_stdout(out):
                exec(compile(code, str(PAGE), "exec"), namespace)
            printed = out.getvalue()
            if span is None:
                assert printed == "", f"an example prints but has no output block:\n{code}"
                continue
            if text[span[0]:span[1]] != printed:
                wrong.append(f"{code}\n--- documented:\n{text[span[0]:span[1]]}--- printed:\n{printed}")
                fixes.append((span, printed))
    finally:
        os.chdir(cwd)
    if fixes and os.environ.get("ELIGO_BLESS_DOCS") == "1":
        for (start, end), printed in sorted(fixes, reverse=True):
            text = text[:start] + printed + text[end:]
        PAGE.write_text(text)
        return
    assert not wrong, "docs/python.md: outputs differ (ELIGO_BLESS_DOCS=1 rewrites them)\n" + "\n".join(wrong)
