"""Models of the committee_reports app."""
