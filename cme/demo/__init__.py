"""The fictional demo authority that `cme demo` loads: made-up schools, staff and children.

A plain package of small modules: names (word lists), schools (a GIAS CSV loaded through the
real import), accounts (organisations and sign-ins), plans (what happens to each child, pure),
children, referrals and cases (the rows), and builder (the one entry point).
"""
