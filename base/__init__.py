"""The settings base every package may import: configuration and the text script helpers."""
