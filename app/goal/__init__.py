"""Goals: targets, check-ins, pace, safe days and streaks."""
