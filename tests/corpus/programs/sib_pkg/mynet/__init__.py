"""mynet: small text classifiers."""
from .models import build_classifier

__all__ = ["build_classifier"]
