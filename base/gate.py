"""One switch that stops the code from reaching a real model (as pydantic-ai's ``ALLOW_MODEL_REQUESTS``).

The test suite turns it off for every test not marked ``real_model``, so a fast test that would
load EmbeddingGemma or call a chat endpoint by accident fails at once with a clear message instead
of passing slowly (or, on a machine with a key, spending money). Production never touches it.
"""

from __future__ import annotations

ALLOW_MODEL_REQUESTS = True


class ModelRequestsBlocked(RuntimeError):
    """A real model was about to be loaded or called while ``ALLOW_MODEL_REQUESTS`` is off."""


def check_model_requests(what: str) -> None:
    """Raise ``ModelRequestsBlocked`` naming ``what`` unless real models are allowed."""
    if not ALLOW_MODEL_REQUESTS:
        raise ModelRequestsBlocked(f"{what}: real model requests are disabled here (base.gate.ALLOW_MODEL_REQUESTS=False); "
                                   "use a fake model, or mark the test real_model")
