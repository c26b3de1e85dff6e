"""Frozen value types of the domain. Nothing here does I/O or touches plugins."""
