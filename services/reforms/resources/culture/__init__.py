"""Work culture: instruments, surveys on activities, their results and the culture index."""
