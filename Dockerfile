# The kg application (api and loader of docker-compose.yml). It always talks to the Neo4j
# server named by NEO4J_URI, so neither Java nor the embedded Neo4j is installed here.

# Build the project's wheel in a throwaway stage: the sources never reach the final image.
FROM python:3.11-slim AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_ROOT_USER_ACTION=ignore
WORKDIR /src
COPY . .
RUN pip wheel --no-deps --wheel-dir /wheels .

FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_ROOT_USER_ACTION=ignore \
    KG_HOME=/data

RUN groupadd --system --gid 10001 kg \
    && useradd --system --uid 10001 --gid kg --home-dir /home/kg --create-home kg \
    && mkdir /data && chown kg:kg /data

# Dependencies first (from pyproject.toml, without dev extras): this layer survives code edits.
COPY pyproject.toml /tmp/pyproject.toml
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('/tmp/pyproject.toml', 'rb'))['project']['dependencies']))" \
        > /tmp/requirements.txt \
    && pip install -r /tmp/requirements.txt \
    && rm /tmp/pyproject.toml /tmp/requirements.txt

COPY --from=build /wheels /wheels
RUN pip install --no-deps /wheels/*.whl && rm -rf /wheels

USER kg
WORKDIR /home/kg
EXPOSE 5000

# The API (gunicorn on every interface of the container); the loader service overrides this.
CMD ["kg", "serve", "--host", "0.0.0.0", "--port", "5000"]
