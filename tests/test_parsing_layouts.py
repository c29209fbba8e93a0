"""The layout matrix: the same numbers in every layout, container, encoding and page template give
the same item (every cell, ``validation.ok``, no chrome in ``text``). See ``tests/layouts.py``.

Every layout x container x encoding x case is run; the template axis is sampled (each combination
takes the next template in turn, so every template is used many times).
"""

from __future__ import annotations

import itertools

from pipelines.chain import run_chain
from pipelines.cleaning import CHROME_STRINGS
from pipelines.parsing import keys
from tests import layouts


def combinations():
    templates = sorted(layouts.templates())
    turn = itertools.cycle(templates)
    for case, layout, container, encoding in itertools.product(
        layouts.cases(), layouts.LAYOUTS, layouts.CONTAINERS, layouts.ENCODINGS
    ):
        own_page = layouts.CONTAINERS[container][1] is not None
        yield case, layout, container, encoding, (None if own_page else next(turn))


def expected_cells(case) -> dict:
    cells = {}
    for row, columns in case.active.items():
        cells.update({("active", row, column): value for column, value in columns.items()})
    for row, columns in case.requests.items():
        cells.update({("requests", row, column): value for column, value in columns.items()})
    for group, columns in case.review.items():
        cells.update({("review_litigation", group, column): value for column, value in columns.items()})
    return cells


def check(case, layout, container, encoding, template) -> tuple[int, int, list[str]]:
    """(cells right, cells, problems) of one combination."""
    data = layouts.render_page(case, layout, container, encoding, template)
    item = run_chain({"raw_html": data, "url": "http://127.0.0.1/art/report.html", "warnings": []})
    problems = []
    right = 0
    expected = expected_cells(case)
    for (table, row, column), value in expected.items():
        got = ((item.get(table) or {}).get(row) or {}).get(column, "absent")
        if got == value and type(got) is type(value):
            right += 1
        else:
            problems.append(f"{table}.{row}.{column}={got!r} (want {value!r})")
    if item["validation"]["ok"] != case.ok:
        problems.append(f"validation.ok={item['validation']['ok']!r} (want {case.ok!r}) {item['validation']['errors'][:2]}")
    leaked = [s for s in CHROME_STRINGS if s in (item.get("text") or "")]
    if leaked:
        problems.append(f"chrome in text: {leaked}")
    if item.get("format") != case.fmt:
        problems.append(f"format={item.get('format')!r}")
    return right, len(expected), problems


def run_matrix() -> tuple[int, int, int, list[str]]:
    combos = right = cells = 0
    failures = []
    for combo in combinations():
        combos += 1
        ok_cells, all_cells, problems = check(*combo)
        right += ok_cells
        cells += all_cells
        if problems:
            case, layout, container, encoding, template = combo
            failures.append(f"{case.name} {layout} {container} {encoding} {template}: {'; '.join(problems[:4])}")
    return combos, right, cells, failures


def test_every_layout_of_the_same_numbers_gives_the_same_item():
    assert len(layouts.templates()) >= 10
    combos, right, cells, failures = run_matrix()
    print(f"\nlayout matrix: {combos} combinations, {combos - len(failures)} right; {right}/{cells} cells right")
    assert not failures, "\n".join(failures[:20]) + f"\n... {len(failures)} combinations wrong"


def test_the_matrix_covers_every_layout_container_and_encoding():
    seen = {(layout, container, encoding) for _, layout, container, encoding, _ in combinations()}
    assert len(seen) == len(layouts.LAYOUTS) * len(layouts.CONTAINERS) * len(layouts.ENCODINGS)
    assert keys.REVIEW_GROUPS  # the contract's keys are what the renderer prints
