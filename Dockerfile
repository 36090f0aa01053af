# claimwatch service image. Build: docker build -t claimwatch .
FROM python:3.11-slim

# OpenCV needs libGL and GLib at import time.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libgl1 libglib2.0-0 \
    && rm -rf /var/lib/apt/lists/*

RUN useradd --system --create-home --home-dir /var/lib/claimwatch claimwatch
WORKDIR /opt/claimwatch
COPY pyproject.toml README.md ./
COPY claimwatch ./claimwatch
COPY collector ./collector
COPY storage ./storage
COPY media ./media
COPY scoring ./scoring
COPY review ./review
COPY digest ./digest
COPY config ./config
RUN pip install --no-cache-dir .

USER claimwatch
ENV CLAIMWATCH_STORAGE_DATA_DIR=/var/lib/claimwatch \
    CLAIMWATCH_CONFIG=/etc/claimwatch/claimwatch.toml \
    CLAIMWATCH_SERVICE_LOG_FORMAT=json
VOLUME ["/var/lib/claimwatch"]
EXPOSE 8750
STOPSIGNAL SIGTERM
CMD ["claimwatch", "run"]
