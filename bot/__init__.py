"""coalition-bot's front ends: a thin discord.py adapter over `retrieval/`, and the offline terminal session."""
