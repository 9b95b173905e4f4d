"""The assistant tests share the sample knowledge base fixtures of tests/conftest.py."""
