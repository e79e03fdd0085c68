"""Matching mentors to schools new to eTwinning: a plain module, no Flask in it."""
