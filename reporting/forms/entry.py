"""What the entry pages' forms share across kinds: the actions a form posts.
The forms themselves belong to the kinds (targets/forms.py, projects/forms.py) and
are found through the adapters."""

ACTIONS = ("preview", "save", "submit")


def action_of(data) -> str:
    action = data.get("action", "save")
    return action if action in ACTIONS else "save"
