"""The reviewed Frictionless Table Schemas, one YAML file per table (shipped as ``pipeline.schemas``)."""
