"""Self-checks for the exercises at the end of each notebook: ``helpers.exercises.nbNN`` serves notebook NN."""
