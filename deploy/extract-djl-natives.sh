#!/bin/sh
# extract-djl-natives.sh LIB_DIR OUT_DIR
#
# Pre-extracts the PyTorch natives of every pytorch-native-* jar in LIB_DIR into OUT_DIR in
# exactly the layout DJL 0.29's LibUtils uses for its engine cache:
#
#   OUT_DIR/pytorch/<version>-<flavor>-<classifier>/libtorch.so, libc10.so, ...   (native jar)
#   OUT_DIR/pytorch/<version>-<flavor>-<classifier>/<djl_version>-libdjl_torch.so  (pytorch-jni)
#
# With ENGINE_CACHE_DIR=OUT_DIR, DJL finds libtorch.so and the JNI library there and writes
# nothing, so OUT_DIR can be read-only (it is, in the image) and a pod start copies no ~0.5 GB
# (CPU) or ~3 GB (CUDA) of natives into an emptyDir.
#
# Why by hand and not by a warm start of DJL at image build time: DJL extracts only the flavor
# it picks on the machine it runs on, and an image build has no GPU, so a warm start would
# extract the CPU natives even for the CUDA image. This script extracts every flavor bundled.
# deploy/check-packaged.sh proves the layout: it starts the service with ENGINE_CACHE_DIR on a
# read-only copy of this script's output (any mismatch makes DJL try to write there and fail).
#
# Needs unzip or the JDK's jar tool.
set -eu

if [ $# -ne 2 ]; then
    echo "usage: $0 LIB_DIR OUT_DIR   (LIB_DIR: e.g. service/target/quarkus-app/lib/boot)" >&2
    exit 2
fi
lib="$1"
out="$2"

list() { # jar -> entry names
    if command -v unzip >/dev/null 2>&1; then unzip -Z1 "$1"; else jar tf "$1"; fi
}
extract() { # jar dest entry... -> files under dest, with their paths
    jarfile="$1"; dest="$2"; shift 2
    mkdir -p "$dest"
    if command -v unzip >/dev/null 2>&1; then
        unzip -q -o "$jarfile" "$@" -d "$dest"
    else
        abs="$(cd "$(dirname "$jarfile")" && pwd)/$(basename "$jarfile")"
        (cd "$dest" && jar xf "$abs" "$@")
    fi
}
prop() { # file key -> value
    sed -n "s/^$2=//p" "$1" | tr -d '\r' | head -n 1
}

set -- "$lib"/*pytorch-engine-*.jar
[ -f "$1" ] || { echo "extract-djl-natives: no pytorch-engine jar in $lib" >&2; exit 1; }
engine_jar="$1"
set -- "$lib"/*pytorch-jni-*.jar
[ -f "$1" ] || { echo "extract-djl-natives: no pytorch-jni jar in $lib" >&2; exit 1; }
jni_jar="$1"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

extract "$engine_jar" "$work/engine" pytorch-engine.properties
djl_version="$(prop "$work/engine/pytorch-engine.properties" djl_version)"
[ -n "$djl_version" ] || { echo "extract-djl-natives: no djl_version in $engine_jar" >&2; exit 1; }

found=0
for native_jar in "$lib"/*pytorch-native-*.jar; do
    [ -f "$native_jar" ] || continue
    found=1
    dir="$work/$(basename "$native_jar" .jar)"
    extract "$native_jar" "$dir" native/lib/pytorch.properties
    props="$dir/native/lib/pytorch.properties"
    version="$(prop "$props" version)"
    flavor="$(prop "$props" flavor)"
    classifier="$(prop "$props" classifier)"
    libraries="$(prop "$props" libraries)"
    if [ -z "$version" ] || [ -z "$flavor" ] || [ -z "$classifier" ] || [ -z "$libraries" ]; then
        echo "extract-djl-natives: incomplete $props in $native_jar" >&2
        exit 1
    fi
    # DJL appends -precxx11 for bundles that ship their own libstdc++ (PyTorch 1.9 and older).
    case ",$libraries," in
        *,libstdc++.so.6,*) case "$flavor" in *-precxx11) ;; *) flavor="$flavor-precxx11" ;; esac ;;
    esac
    target="$out/pytorch/$version-$flavor-$classifier"
    if [ -f "$target/libtorch.so" ]; then
        echo "extract-djl-natives: $target already there"
    else
        # The libraries sit under pytorch/<flavor>/<classifier>/ in the jar (DJL 0.29 layout).
        src="$dir/pytorch/$flavor/$classifier"
        mkdir -p "$target"
        old_ifs="$IFS"; IFS=,
        for name in $libraries; do
            IFS="$old_ifs"
            extract "$native_jar" "$dir" "pytorch/$flavor/$classifier/$name"
            [ -f "$src/$name" ] || { echo "extract-djl-natives: $name missing from $native_jar" >&2; exit 1; }
            mv "$src/$name" "$target/$name"
        done
        IFS="$old_ifs"
    fi
    jni_flavor="$flavor"
    extract "$jni_jar" "$work/jni" "jnilib/$classifier/$jni_flavor/libdjl_torch.so"
    jni="$work/jni/jnilib/$classifier/$jni_flavor/libdjl_torch.so"
    [ -f "$jni" ] || { echo "extract-djl-natives: no jnilib/$classifier/$jni_flavor in $jni_jar" >&2; exit 1; }
    cp "$jni" "$target/$djl_version-libdjl_torch.so"
    echo "extract-djl-natives: $(basename "$native_jar") -> $target"
done
[ "$found" = 1 ] || { echo "extract-djl-natives: no pytorch-native-* jar in $lib" >&2; exit 1; }
chmod -R a+rX "$out"
