"""Appeals on published results: the window, filing by participants, answers by the organiser."""
