"""Campaign topic briefs for HQ and topic/title help for KOCs, grounded in the handbooks."""
