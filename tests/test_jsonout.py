"""hyoka.jsonout.dumps writes the text of json.dumps(…, ensure_ascii=False, indent=N) byte for byte: every JSON
twin and data file of the site goes through it (hyoka.export.to_json), so these compare it with the standard
library on the real content's pages and data, and on values that json treats specially."""

from __future__ import annotations

import enum
import json

import pytest
from markupsafe import Markup

from hyoka.jsonout import dumps
from hyoka.loader import to_data
from hyoka.site import Page, SiteContext
from hyoka.views import build_outputs

from realcontent import ROOT, corpus


def _std(value, indent=1):
    return json.dumps(value, ensure_ascii=False, indent=indent)


def test_the_real_sites_twins_and_data_are_the_standard_librarys_text():
    c = corpus()
    values = [{"type": "assessment", **to_data(a)} for a in c.assessments]
    outputs = build_outputs(c, SiteContext(site_config_dir=str(ROOT / "site_config")))
    values += [o.data for o in outputs if isinstance(o, Page) and o.data is not None]
    assert len(values) > len(c.assessments)
    for v in values:
        assert dumps(v) == _std(v)


class Level(enum.IntEnum):
    HIGH = 3


AWKWARD = [
    {}, [], [[]], {"a": {}, "b": []}, ("t", ("u", ())), "", "\u2028\x00\x1f\"\\/\n\t日本語", Markup("<b>&\n</b>"),
    {2: "int", 1.5: "float", True: "true", False: "false", None: "null", "s": "str"},
    [1.0, -0.0, 1e300, 1e-300, float("nan"), float("inf"), -float("inf")], 10**40, -7, True, False, None,
    {"enum": Level.HIGH, "nested": [{"x": [None, True, 0, "y"]}]}, {Level.HIGH: 1},
]


@pytest.mark.parametrize("value", AWKWARD, ids=range(len(AWKWARD)))
@pytest.mark.parametrize("indent", [1, 2])
def test_awkward_values_are_the_standard_librarys_text(value, indent):
    assert dumps(value, indent) == _std(value, indent)


def test_what_json_refuses_it_refuses_the_same_way():
    with pytest.raises(TypeError):
        dumps({"x": object()})
    with pytest.raises(TypeError):
        dumps({(1, 2): "tuple key"})
    loop: list = []
    loop.append(loop)
    with pytest.raises(ValueError):
        dumps(loop)
