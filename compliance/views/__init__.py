"""View-models: the only place documents get their facts, as text ready to print."""
