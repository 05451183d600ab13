"""The only writers of a child's record. Each runs in a transaction, checks who may write the
part it changes (cme.accounts.record_access), refuses a form or request made on an older
version of the record, and leaves a RecordChange (the values before and after) and an audit
event (ids and field names only) in the same transaction."""

from .contact import (
    AddressDetails,
    CarerDetails,
    address_add,
    address_correct,
    address_end,
    carer_add,
    carer_correct,
    carer_end,
)
from .identity import IdentityChange, child_identity_update
from .intake import ChildDetails, child_create, child_take_details_from_referral
from .needs import (
    NeedsChange,
    SafeguardingChange,
    needs_update,
    risk_factor_correct,
    risk_factor_end,
    risk_factor_raise,
    safeguarding_update,
)
from .siblings import sibling_add, sibling_remove

__all__ = [
    "AddressDetails",
    "CarerDetails",
    "ChildDetails",
    "IdentityChange",
    "NeedsChange",
    "SafeguardingChange",
    "address_add",
    "address_correct",
    "address_end",
    "carer_add",
    "carer_correct",
    "carer_end",
    "child_create",
    "child_identity_update",
    "child_take_details_from_referral",
    "needs_update",
    "risk_factor_correct",
    "risk_factor_end",
    "risk_factor_raise",
    "safeguarding_update",
    "sibling_add",
    "sibling_remove",
]
