"""Layer types grouped by Keras family; see ``registry`` for lookup."""
