"""Custom Rasa NLU components: sentence embeddings (all-MiniLM-L6-v2 in numpy) and the classifier on them."""
