"""Default settings and lexicons, installed as the resource package ``pipeline.configs``
(see pyproject.toml) and read with importlib.resources."""
