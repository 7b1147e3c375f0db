# shellcheck shell=bash
# Images without a registry: FROM scratch images made of this machine's Debian binaries
# and the shared libraries ldd lists for them, built on every lab node.
#
#   biu/redis:7   redis-server and redis-cli (Debian's redis 7.0); no entrypoint, so a
#                 container's command is `redis-server ...`, as with the official image;
#                 runs as uid 999, who owns /data
#   biu/jre:17    a jlink'ed Java 17 runtime under /opt/jre (java on PATH) with a /tmp,
#                 where Netty unpacks its native epoll transport
#   biu/proxy:1   the Biu proxy's jar on biu/jre:17: java -jar ... /etc/biu/proxy.properties
#                 (built only when the proxy's jar is, i.e. after a build)
#   biu/web:1     busybox httpd serving /www on port 80; /cgi-bin/host answers the
#                 container's hostname, so a load balancer's spread can be seen
#
# A name that does not start with biu/ (BIU_IMAGE_REDIS=redis:7, say) is pulled instead.
# A node rebuilds an image only when its build context changed (label biu.context).

JRE_MODULES=java.base,java.logging,java.management,java.naming,jdk.unsupported,java.net.http,jdk.crypto.ec,java.sql,jdk.management

images_up() {
  local i pids=() failed=0
  images_contexts
  for ((i = 1; i <= BIU_NODES; i++)); do
    images_on_node "$i" >>"$LOG_DIR/images.log" 2>&1 &
    pids+=($!)
  done
  for i in "${!pids[@]}"; do
    wait "${pids[$i]}" || { warn "images failed on node$((i + 1)); see $LOG_DIR/images.log"; failed=1; }
  done
  ((failed == 0)) || die "could not provide the images on every node"
}

images_on_node() {
  local i=$1
  image_provide "$i" "$IMAGE_REDIS" "$DATA_DIR/images/redis"
  image_provide "$i" "$IMAGE_JRE" "$DATA_DIR/images/jre"
  if [[ -f $DATA_DIR/images/proxy/.hash ]]; then image_provide "$i" "$IMAGE_PROXY" "$DATA_DIR/images/proxy"; fi
  image_provide "$i" "$IMAGE_WEB" "$DATA_DIR/images/web"
}

image_provide() {
  local i=$1 name=$2 ctx=$3 want have
  if [[ $name != biu/* ]]; then
    node_docker "$i" image inspect "$name" &>/dev/null || node_docker "$i" pull "$name"
    return
  fi
  want=$(<"$ctx/.hash")
  have=$(node_docker "$i" image inspect -f '{{index .Config.Labels "biu.context"}}' "$name" 2>/dev/null || true)
  [[ $have == "$want" ]] && return 0
  echo "node$i: building $name"
  node_docker "$i" build -q --label "biu.context=$want" -t "$name" "$ctx"
}

# Copies binaries into a rootfs together with every shared library they load.
copy_with_libs() {
  local root=$1 f lib
  shift
  for f in "$@"; do
    mkdir -p "$root$(dirname "$f")"
    cp -L "$f" "$root$f"
    for lib in $(ldd "$f" 2>/dev/null | grep -o '/[^ ]*'); do
      [[ -e $root$lib ]] && continue
      mkdir -p "$root$(dirname "$lib")"
      cp -L "$lib" "$root$lib"
    done
  done
}

images_contexts() {
  mkdir -p "$DATA_DIR/images"
  [[ $IMAGE_REDIS == biu/* ]] && image_context redis context_redis
  [[ $IMAGE_JRE == biu/* ]] && image_context jre context_jre
  [[ $IMAGE_WEB == biu/* ]] && image_context web context_web
  [[ $IMAGE_PROXY == biu/* && -f $BIU_ROOT/$PROXY_JAR ]] && image_context proxy context_proxy "$BIU_ROOT/$PROXY_JAR"
  return 0
}

# Builds a context directory once per version of this recipe and of the files it copies
# (given after the fill function); the context's hash makes node builds idempotent.
image_context() {
  local fill=$2 ctx=$DATA_DIR/images/$1 recipe
  recipe=$(cat "${BASH_SOURCE[0]}" "${@:3}" | sha256sum | cut -c1-16)
  [[ -f $ctx/.hash && $(cat "$ctx/.recipe" 2>/dev/null) == "$recipe" ]] && return 0
  rm -rf "$ctx" "$ctx.tmp"
  mkdir -p "$ctx.tmp/rootfs/tmp"
  chmod 1777 "$ctx.tmp/rootfs/tmp"
  "$fill" "$ctx.tmp"
  # an image's files keep their modes: whoever a container runs as must be able to read and run them
  chmod -R a+rX "$ctx.tmp"
  (cd "$ctx.tmp" && { find . -type f ! -name .hash -print0 | LC_ALL=C sort -z | xargs -0 sha256sum
    find . ! -name .hash -printf '%m %p\n' | LC_ALL=C sort; } | sha256sum | cut -c1-16) >"$ctx.tmp/.hash"
  echo "$recipe" >"$ctx.tmp/.recipe"
  mv "$ctx.tmp" "$ctx"
}

context_redis() {
  local ctx=$1
  copy_with_libs "$ctx/rootfs" /usr/bin/redis-server /usr/bin/redis-cli
  # /data belongs to Redis's user (999, as in the official image): a new volume mounted there takes its
  # owner, so Redis, not running as root, can write it. A tar keeps the owner, which COPY would not.
  mkdir -p "$ctx/data/data"
  tar -C "$ctx/data" --owner=999 --group=999 --numeric-owner --mtime=@0 -cf "$ctx/data.tar" data
  rm -rf "$ctx/data"
  cat >"$ctx/Dockerfile" <<'EOF'
FROM scratch
COPY rootfs/ /
ADD data.tar /
ENV PATH=/usr/bin:/bin
WORKDIR /data
USER 999:999
CMD ["redis-server"]
EOF
}

context_jre() {
  local ctx=$1 jdk f
  jdk=$(java_home)
  "$jdk/bin/jlink" --add-modules "$JRE_MODULES" --strip-debug --no-header-files --no-man-pages \
    --compress=2 --output "$ctx/rootfs/opt/jre" 2>/dev/null
  local -a natives=("$ctx/rootfs/opt/jre/bin/java" "$ctx/rootfs/opt/jre/lib/server/libjvm.so")
  for f in "$ctx"/rootfs/opt/jre/lib/*.so; do natives+=("$f"); done
  for f in "${natives[@]}"; do
    for lib in $(ldd "$f" 2>/dev/null | grep -o '/[^ ]*'); do
      [[ $lib == "$ctx"/* || -e $ctx/rootfs$lib ]] && continue
      mkdir -p "$ctx/rootfs$(dirname "$lib")"
      cp -L "$lib" "$ctx/rootfs$lib"
    done
  done
  # Native libraries that Java code loads at run time (Netty's epoll transport links
  # libdl and librt) are not in ldd's view of the JDK: add glibc's small companions.
  local libc_dir
  libc_dir=$(dirname "$(ldd "$ctx/rootfs/opt/jre/bin/java" | grep -o '/[^ ]*/libc\.so\.6')")
  for f in libdl.so.2 librt.so.1 libpthread.so.0 libm.so.6; do
    mkdir -p "$ctx/rootfs$libc_dir"
    cp -L "$libc_dir/$f" "$ctx/rootfs$libc_dir/$f"
  done
  cat >"$ctx/Dockerfile" <<'EOF'
FROM scratch
COPY rootfs/ /
ENV PATH=/opt/jre/bin:/usr/bin:/bin JAVA_HOME=/opt/jre
CMD ["java", "-version"]
EOF
}

# The JVM is sized for a proxy that must stay small: 96 MiB of heap and of direct buffers.
context_proxy() {
  local ctx=$1
  mkdir -p "$ctx/rootfs/opt/biu" "$ctx/rootfs/etc/biu"
  cp "$BIU_ROOT/$PROXY_JAR" "$ctx/rootfs/opt/biu/biu-proxy.jar"
  cat >"$ctx/Dockerfile" <<EOF
FROM $IMAGE_JRE
COPY rootfs/ /
USER 999:999
ENTRYPOINT ["java", "-XX:+UseSerialGC", "-Xms32m", "-Xmx96m", "-XX:MaxDirectMemorySize=96m", \\
  "-XX:ReservedCodeCacheSize=32m", "-XX:MaxMetaspaceSize=48m", "-Xss512k", "-XX:+ExitOnOutOfMemoryError", \\
  "-jar", "/opt/biu/biu-proxy.jar"]
CMD ["/etc/biu/proxy.properties"]
EOF
}

context_web() {
  local ctx=$1
  mkdir -p "$ctx/rootfs/bin" "$ctx/rootfs/www/cgi-bin"
  cp /bin/busybox "$ctx/rootfs/bin/busybox"
  ln -s busybox "$ctx/rootfs/bin/sh"
  ln -s busybox "$ctx/rootfs/bin/hostname"
  echo "biu web" >"$ctx/rootfs/www/index.html"
  cat >"$ctx/rootfs/www/cgi-bin/host" <<'EOF'
#!/bin/sh
printf 'Content-Type: text/plain\r\n\r\n%s\n' "$(hostname)"
EOF
  chmod 755 "$ctx/rootfs/www/cgi-bin/host"
  cat >"$ctx/Dockerfile" <<'EOF'
FROM scratch
COPY rootfs/ /
ENV PATH=/bin
EXPOSE 80
ENTRYPOINT ["/bin/busybox", "httpd", "-f", "-p", "80", "-h", "/www"]
EOF
}
