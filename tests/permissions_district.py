"""Permission matrix rows for the district office area, approvals and applications (merged into tests/test_permissions.py).

ROWS: name -> (kwargs builder taking the objects dict, {persona: status}).
HIDDEN: [(name, kwargs builder, {persona: status})] for objects outside the persona's reach.
extra_objects(objects) adds the objects these rows need to the shared objects dict.
"""

ROWS: dict = {}
HIDDEN: list = []


def extra_objects(objects: dict) -> dict:
    return {}
