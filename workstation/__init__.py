"""Floor annotation workstation: the annotator's app and the floor hub behind it."""

__version__ = "0.1.0"
APP_NAME = "floor-workstation"
