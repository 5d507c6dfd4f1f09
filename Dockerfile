# The API, worker and beat image: official Python base, pinned dependencies.
FROM python:3.11-slim
WORKDIR /app
COPY requirements.lock .
RUN pip install --no-cache-dir -r requirements.lock
COPY api api
COPY content_library content_library
COPY compliance compliance
USER nobody
