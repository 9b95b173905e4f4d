"""The knowledge base as a LangChain ``BaseRetriever`` (for chains and agents that expect one)."""

from __future__ import annotations

from typing import Any

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from knowledge.audience import Viewer
from knowledge.types import SearchFilters


class KnowledgeRetriever(BaseRetriever):
    """Hybrid search as ``viewer`` (who may read what: ``knowledge.audience``; None = everything,
    for HQ); each Document carries the hit's metadata and the query's coverage decision."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    kb: Any
    k: int = 5
    filters: SearchFilters | None = None
    viewer: Viewer | None

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun) -> list[Document]:
        result = self.kb.search(query, k=self.k, filters=self.filters, viewer=self.viewer)
        return [Document(page_content=h.text, id=h.chunk_id,
                         metadata={**h.model_dump(exclude={"text"}), "covered": result.covered})
                for h in result.hits]
