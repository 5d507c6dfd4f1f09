"""The Rasa assistant: training data, routing rules and the custom action server."""
