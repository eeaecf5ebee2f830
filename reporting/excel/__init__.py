"""The Excel round trip: download a department's month as a template, upload it back."""
