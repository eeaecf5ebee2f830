"""Views of the reporting pages, by area: a department's month and its Excel round
trip (month), one entry (entry), the review queue and missing reports (review)."""
