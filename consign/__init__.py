"""consign: consignment inventory and settlement for IKM goods in PHRI partner hotels."""

__version__ = "0.3.0"
