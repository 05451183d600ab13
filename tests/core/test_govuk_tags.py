"""Dates as GOV.UK writes them, the character count's limit, and the error summary's links."""

from __future__ import annotations

from datetime import UTC, date, datetime

from django import forms
from django.template import Context, Template
from html_page import page

from cme.core.forms import GovukDateField, GovukForm, LongTextField
from cme.core.templatetags.govuk import error_anchor, govuk_date, govuk_datetime, thousands


def test_dates_read_as_3_april_2014_from_a_date_a_datetime_or_an_iso_string() -> None:
    assert govuk_date(date(2014, 4, 3)) == "3 April 2014"
    assert govuk_date("2014-04-03") == "3 April 2014"
    # 23:30 UTC on 2 April is 00:30 on 3 April in London (summer time).
    assert govuk_date(datetime(2014, 4, 2, 23, 30, tzinfo=UTC)) == "3 April 2014"
    assert govuk_date(None, "Not known") == "Not known"
    assert govuk_date("about 11", "Not known") == "Not known"


def test_moments_read_as_3_april_2014_at_2_05pm() -> None:
    assert govuk_datetime(datetime(2014, 4, 3, 13, 5, tzinfo=UTC)) == "3 April 2014 at 2:05pm"
    assert govuk_datetime(datetime(2014, 1, 3, 12, 0, tzinfo=UTC)) == "3 January 2014 at midday"
    assert govuk_datetime(datetime(2014, 1, 3, 0, 0, tzinfo=UTC)) == "3 January 2014 at midnight"
    assert govuk_datetime(None) == ""


def test_a_date_with_no_format_of_its_own_is_written_in_full() -> None:
    rendered = Template("{{ d }}|{{ d|date }}").render(Context({"d": date(2014, 4, 3)}))
    assert rendered == "3 April 2014|3 April 2014"


class Sample(GovukForm):
    kind = forms.ChoiceField(label="Kind", choices=[("a", "A")], widget=forms.RadioSelect)
    on = GovukDateField(label="Date received")
    words = forms.CharField(label="Words")
    note = LongTextField(label="Note")


def test_the_summary_links_to_the_first_radio_or_date_box_and_the_box_counts_down() -> None:
    form = Sample({})
    assert not form.is_valid()
    assert [error_anchor(form[name]) for name in ("kind", "on", "words")] == [
        "id_kind_0",
        "id_on_0",
        "id_words",
    ]
    html = Template(
        '{% include "core/includes/error_summary.html" %}'
        '{% for field in form %}{% include "core/includes/field.html" %}{% endfor %}'
    ).render(Context({"form": form}))
    shown = page(html)
    hrefs = [link.attr("href") for link in shown.select_all(".govuk-error-summary a")]
    assert hrefs == ["#id_kind_0", "#id_on_0", "#id_words", "#id_note"]
    assert all(shown.select(str(href)) is not None for href in hrefs)
    counted = shown.select('[data-module="govuk-character-count"]')
    assert counted is not None and counted.attr("data-maxlength") == "5000"
    assert counted.select("textarea.govuk-js-character-count") is not None
    assert "You can enter up to 5,000 characters" in counted.text
    assert thousands(5000) == "5,000"
