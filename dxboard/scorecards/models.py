"""Models of the scorecards app."""
