"""Models of the workdays app."""
