"""The report's template environment reads dict fields faster but exactly as plain Jinja would."""

import jinja2
import pytest

from trpm6_hsh.report.render import template_environment

TEMPLATES = [
    "{{ d.name }}",
    "{{ d.items is callable }}",  # a dict method wins over a key of the same name, as in plain Jinja
    "{{ d.get('name') }}",
    "{{ d.nested.inner }}",
    "{{ (d.absent is defined) }}",
    "{% for key, value in d.nested.items() %}{{ key }}={{ value }}{% endfor %}",
]
DATA = {"name": "<b>x</b>", "items": "a key called items", "nested": {"inner": 3}}


@pytest.mark.parametrize("source", TEMPLATES)
def test_dict_fields_render_as_plain_jinja_renders_them(source):
    plain = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    assert template_environment().from_string(source).render(d=DATA) == plain.from_string(source).render(d=DATA)


def test_a_missing_dict_field_still_stops_the_render():
    with pytest.raises(jinja2.UndefinedError, match="'dict object' has no attribute 'absent'"):
        template_environment().from_string("{{ d.absent }}").render(d=DATA)
