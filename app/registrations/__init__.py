"""Other schools come to an activity: registration, places, waiting list and attendance."""
