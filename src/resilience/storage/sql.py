"""Deprecated alias of an old module path; see :mod:`resilience._deprecated`."""

from resilience._deprecated import forward

__getattr__ = forward(__name__)
