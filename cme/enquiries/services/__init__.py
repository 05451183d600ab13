"""Every change to an enquiry. One module per part; all re-exported here."""

from .answering import Answer, enquiry_answer, enquiry_answer_by_link, is_recipient
from .chasing import ChaseRun, enquiries_chase_due, enquiry_chase, enquiry_escalate
from .delivery import email_resend, enquiry_email_deliver
from .incoming import (
    IncomingAnswer,
    IncomingChild,
    incoming_answer,
    incoming_check,
    incoming_receive,
)
from .letters import enquiry_letter, letter_render, letter_template_for, letter_template_save
from .links import LinkCheck, LinkProblem, link_check, link_issue
from .sending import Recipient, enquiry_send, enquiry_withdraw

__all__ = [
    "Answer",
    "ChaseRun",
    "IncomingAnswer",
    "IncomingChild",
    "LinkCheck",
    "LinkProblem",
    "Recipient",
    "email_resend",
    "enquiries_chase_due",
    "enquiry_answer",
    "enquiry_answer_by_link",
    "enquiry_chase",
    "enquiry_email_deliver",
    "enquiry_escalate",
    "enquiry_letter",
    "enquiry_send",
    "enquiry_withdraw",
    "incoming_answer",
    "incoming_check",
    "incoming_receive",
    "is_recipient",
    "letter_render",
    "letter_template_for",
    "letter_template_save",
    "link_check",
    "link_issue",
]
