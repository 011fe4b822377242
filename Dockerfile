# coalition-bot: CPU-only image. Build: docker build -t coalition-bot .
# Stage 1 builds a virtualenv with CPU torch first (an unpinned torch would pull CUDA), then the app.
FROM python:3.11-slim AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
WORKDIR /app
RUN python -m venv /venv
# TORCH_INDEX: optionally, the URL of a CPU-only torch wheel index (keeps the image small).
ARG TORCH_INDEX=""
RUN if [ -n "$TORCH_INDEX" ]; then /venv/bin/pip install --index-url "$TORCH_INDEX" torch==2.13.0; \
    else /venv/bin/pip install torch==2.13.0; fi
COPY pyproject.toml requirements.lock README.md ./
COPY bot ./bot
COPY retrieval ./retrieval
COPY config ./config
RUN /venv/bin/pip install -c requirements.lock .

# Stage 2: the runtime, non-root, with the corpus and the packaged model (inside the venv).
FROM python:3.11-slim
ENV PATH=/venv/bin:$PATH PYTHONUNBUFFERED=1 HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 ANONYMIZED_TELEMETRY=False \
    DATA_DIR=/data CORPUS_DIR=/app/corpus/articles REGISTRY_PATH=/app/corpus/members.csv
RUN useradd --create-home --uid 10001 bot && mkdir -p /data && chown bot /data
COPY --from=build /venv /venv
WORKDIR /app
COPY corpus ./corpus
COPY docker-entrypoint.sh /usr/local/bin/docker-entrypoint.sh
USER bot
VOLUME ["/data"]
ENTRYPOINT ["docker-entrypoint.sh"]
CMD ["python", "-m", "bot"]
