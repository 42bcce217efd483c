"""Exports for coordinators."""
