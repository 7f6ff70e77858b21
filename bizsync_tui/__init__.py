"""bizsync: publish Sage 100 key business indicators to a mobile platform."""

__version__ = "0.1.0"
