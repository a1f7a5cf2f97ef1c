// Intentionally empty: the target's only purpose is FuzzMain.c.
