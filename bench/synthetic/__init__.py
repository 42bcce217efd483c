"""A synthetic region for benchmarks and tests: `build_region`, `default_rules`."""

from bench.synthetic.base import Shape, SyntheticRegion
from bench.synthetic.events import default_rules
from bench.synthetic.region import build_region

__all__ = ["Shape", "SyntheticRegion", "build_region", "default_rules"]
