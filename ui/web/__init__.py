"""The Gradio app, one module per tab (see ``ui.app`` for how they are put together)."""
