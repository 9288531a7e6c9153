"""Turn Japanese local-government meeting materials into structured tables."""
