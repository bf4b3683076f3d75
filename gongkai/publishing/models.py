"""Models of the publishing app."""
