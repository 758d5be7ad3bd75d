"""城市基层党建比较案例库: load, check and render the case library."""

__version__ = "0.1.0"
