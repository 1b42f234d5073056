"""The HTTP layer: parses requests, calls the plain functions of each stage, maps errors."""
