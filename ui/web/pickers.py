"""Form pieces several tabs share (briefs, topic ideas, check my post): the product picker, the
platform picker and the how-many slider, so they look and behave the same everywhere."""

from __future__ import annotations

from collections.abc import Sequence

import gradio as gr

from assistant.briefs.models import PLATFORM_NAMES

#: the platforms briefs, topic ideas and the post checker know, as (label, key)
PLATFORM_CHOICES = [(f"{name} ({key})", key) for key, name in PLATFORM_NAMES.items()]


def product_picker(label: str, elem_id: str, choices: Sequence[tuple[str, str]] = ()) -> gr.Dropdown:
    """Products picked from the catalogue or typed by name or code (the handler resolves and checks them)."""
    return gr.Dropdown(label=label, choices=list(choices), multiselect=True, allow_custom_value=True, elem_id=elem_id,
                       min_width=240)


def platform_picker(elem_id: str, first: Sequence[tuple[str, str]] = ()) -> gr.Radio:
    return gr.Radio([*first, *PLATFORM_CHOICES], value="xiaohongshu", label="Platform", elem_id=elem_id, min_width=240)


def count_slider(maximum: int, label: str, elem_id: str) -> gr.Slider:
    return gr.Slider(1, maximum, value=5, step=1, label=label, elem_id=elem_id, min_width=160)
