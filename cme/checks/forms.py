"""Forms for the Check page: a decision on one candidate, and the referral to PAEWS."""

from __future__ import annotations

from typing import Any

from django import forms

from .selectors import paews_officers


class DecisionForm(forms.Form):
    action = forms.ChoiceField(
        choices=[("confirm", "Confirm"), ("reject", "Reject"), ("reopen", "Reopen")],
        widget=forms.HiddenInput,
    )
    reason = forms.CharField(
        label="Reason",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Needed to reject or reopen: what tells you it is, or is not, this child",
    )


class PaewsReferralForm(forms.Form):
    paews_officer = forms.ModelChoiceField(
        label="PAEWS officer", queryset=paews_officers(), empty_label="Choose an officer"
    )
    note = forms.CharField(
        label="Note for PAEWS (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["paews_officer"].queryset = paews_officers()  # type: ignore[attr-defined]
