"""The AI paths: prompts, the paid-request flow, and the text generation rules."""
