# syntax=docker/dockerfile:1.7
#
# The trainer image: `bin/dad` (train, eval, calibrate, ...) with the DJL backend, CPU or CUDA,
# for the training Job of k8s/training. Build from the repository root:
#
#   docker build -f deploy/trainer.Dockerfile -t dad/trainer:0.1.0-cpu .
#   docker build -f deploy/trainer.Dockerfile --build-arg VARIANT=cuda -t dad/trainer:0.1.0-cuda .
#
# The image keeps the repository's layout under /opt/dad (bin/dad, toolkit/target, deploy/),
# so bin/dad and the Job's scripts run unchanged. deploy/trainer.Dockerfile.dockerignore keeps
# build outputs, models and data out of the context. Not built in this repository's CI (no
# Docker engine there); see docs/DEPLOY.md.

ARG VARIANT=cpu
ARG JDK_IMAGE=eclipse-temurin:17-jdk-jammy
ARG JRE_IMAGE=eclipse-temurin:17-jre-jammy
# As in deploy/Dockerfile: CUDA 12.1 to match pytorch-native-cu121; the driver comes from the node.
ARG CUDA_IMAGE=nvidia/cuda:12.1.1-runtime-ubuntu22.04

# ---- build: the backend jar and its dependencies (target/lib), as bin/dad expects them ----------
FROM ${JDK_IMAGE} AS build
ARG VARIANT
WORKDIR /src
COPY . .
RUN --mount=type=cache,target=/root/.m2 \
    ./mvnw -B -q -DskipTests -P"${VARIANT}" package -pl toolkit -am \
 && mkdir -p /out/dad/toolkit/target /out/dad/deploy \
 && cp -R toolkit/target/lib /out/dad/toolkit/target/lib \
 && find toolkit/target -maxdepth 1 -name 'dad-toolkit-*.jar' ! -name '*-sources.jar' \
      ! -name '*-javadoc.jar' ! -name '*-tests.jar' -exec cp {} /out/dad/toolkit/target/ \; \
 && cp -R bin /out/dad/bin \
 && cp deploy/train-job.sh deploy/publish-model.sh /out/dad/deploy/
# Natives pre-extracted for every flavor bundled (see deploy/Dockerfile and extract-djl-natives.sh):
# nothing is extracted at start, and the root file system can stay read-only.
RUN deploy/extract-djl-natives.sh toolkit/target/lib /out/djl-engine

# ---- runtime bases ------------------------------------------------------------------------------
FROM ${JRE_IMAGE} AS runtime-cpu

FROM ${JRE_IMAGE} AS jre
FROM ${CUDA_IMAGE} AS runtime-cuda
COPY --from=jre /opt/java/openjdk /opt/java/openjdk
ENV JAVA_HOME=/opt/java/openjdk \
    PATH=/opt/java/openjdk/bin:$PATH \
    NVIDIA_DRIVER_CAPABILITIES=compute,utility

# ---- runtime ------------------------------------------------------------------------------------
FROM runtime-${VARIANT} AS runtime
ARG VARIANT
LABEL org.opencontainers.image.title="dad-trainer" \
      org.opencontainers.image.description="DiffusionAD training toolkit (bin/dad), ${VARIANT}"

RUN groupadd --system --gid 10001 dad \
 && useradd --system --uid 10001 --gid 10001 --no-create-home --home-dir /nonexistent \
      --shell /usr/sbin/nologin dad

# Owned by root, read-only for the user; everything written goes to the Job's volumes and /tmp.
COPY --from=build /out/dad /opt/dad
COPY --from=build /out/djl-engine /opt/dad/djl-engine
RUN chmod 0755 /opt/dad/bin/* /opt/dad/deploy/*.sh

ENV OPT_OUT_TRACKING=true \
    DJL_OFFLINE=true \
    ENGINE_CACHE_DIR=/opt/dad/djl-engine \
    DJL_CACHE_DIR=/tmp/djl \
    TMPDIR=/tmp \
    PATH=/opt/dad/bin:$PATH

USER 10001:10001
WORKDIR /opt/dad
# The training Job's entry point (k8s/training); `docker run ... dad --help` for the toolkit.
ENTRYPOINT ["/opt/dad/deploy/train-job.sh"]
