#!/bin/sh
# Copies what one component needs at run time into a folder, laid out as /app in its image:
#   package.json                       the root manifest (workspaces, "type": "module")
#   node_modules/...                   the component's production dependencies only, as
#                                      `npm ls --omit=dev --all` lists them for its workspace;
#                                      workspace links (node_modules/@coupler/kit -> ../../kit) stay links
#   <workspace>/package.json           for the component and each workspace it depends on,
#   <workspace>/<files>                with the files its package.json "files" names (default
#                                      dist), less dist/test, dist/sim and compiled *.test.* files
#   deploy/<component>/, deploy/lmdb-backup.mjs
#   flows/templates/                   edge only: the Node-RED flow templates
#   flows/nodes/                       edge only: the project's own Node-RED nodes
#
# usage: deploy/stage-runtime.sh edge|cloud <out-dir>
# Run from the repository root after `npm ci` and `npm run build`. The Dockerfiles run it in
# their build stage; scripts/deployment.test.ts runs it and starts the staged component, which
# is how the runtime images' contents are tested without a Docker engine.
set -eu

if [ "$#" -ne 2 ]; then
  echo "usage: $0 edge|cloud <out-dir>" >&2
  exit 64
fi
component=$1
out=$2
case $component in
  edge | cloud) ;;
  *)
    echo "stage: unknown component $component (edge or cloud)" >&2
    exit 64
    ;;
esac
if [ ! -f package.json ] || [ ! -d "$component" ]; then
  echo "stage: run from the repository root" >&2
  exit 64
fi
if [ ! -f "$component/dist/src/main.js" ]; then
  echo "stage: $component/dist/src/main.js is missing: run npm run build first" >&2
  exit 1
fi
# The edge image starts its bundle, which loads grpc-js and protobufjs from a second one
# (scripts/bundle-edge.mjs, part of npm run build).
if [ "$component" = edge ]; then
  for bundle in edge/dist/src/main.bundle.js edge/dist/src/vendor.bundle.cjs; do
    if [ ! -f "$bundle" ]; then
      echo "stage: $bundle is missing: run npm run build first" >&2
      exit 1
    fi
  done
fi

root=$(pwd -P)
mkdir -p "$out"
out=$(CDPATH='' cd -- "$out" && pwd -P)
list=$(mktemp)
trap 'rm -f "$list" "$list.sorted"' EXIT

# npm ls exits non-zero for problems that do not matter here (an optional addon that failed to
# build is reported missing); its list is still complete for what is installed.
if ! npm ls --omit=dev --all --parseable --workspace "@coupler/$component" >"$list"; then
  echo "stage: npm ls reported problems (above); staging what it listed" >&2
fi
if ! grep -qx "$root/node_modules/@coupler/$component" "$list"; then
  echo "stage: npm ls did not list @coupler/$component" >&2
  exit 1
fi
# Sorted, a folder comes before anything inside it, so a nested package is already there.
sort -u "$list" >"$list.sorted"

# copy <path relative to the root>: once, keeping symlinks, modes and times.
copy() {
  if [ -e "$out/$1" ] || [ -L "$out/$1" ]; then
    return 0
  fi
  mkdir -p "$out/$(dirname -- "$1")"
  cp -a "$root/$1" "$out/$1"
}

# stage_workspace <folder relative to the root>
stage_workspace() {
  copy "$1/package.json"
  files=$(node -e 'const p = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")); for (const f of p.files ?? ["dist"]) console.log(f)' "$root/$1/package.json")
  for f in $files; do
    if [ -e "$root/$1/$f" ]; then copy "$1/$f"; fi
  done
  rm -rf "$out/$1/dist/test" "$out/$1/dist/sim"
  # Unit tests compiled next to the code (STYLE §7) need vitest, which the image does not have.
  if [ -d "$out/$1/dist" ]; then find "$out/$1/dist" -type f -name '*.test.*' -exec rm -f {} +; fi
}

copy package.json
while IFS= read -r path; do
  case $path in
    "$root") continue ;;
    "$root"/*) rel=${path#"$root"/} ;;
    *)
      echo "stage: $path is outside $root" >&2
      exit 1
      ;;
  esac
  copy "$rel"
  if [ -L "$path" ]; then
    target=$(CDPATH='' cd -- "$path" && pwd -P)
    stage_workspace "${target#"$root"/}"
  fi
done <"$list.sorted"

find "$out" -name '*.tsbuildinfo' -type f -exec rm -f {} +
rm -rf "$out/node_modules/.bin" "$out/node_modules/.package-lock.json"

mkdir -p "$out/deploy"
copy "deploy/$component"
# The edge's Node-RED flow templates (nodeRed.templatesDir defaults to ./flows/templates, /app in the image).
if [ "$component" = edge ] && [ -d flows/templates ]; then copy flows/templates; fi
# And the project's own Node-RED nodes (nodeRed.nodesDir defaults to ./flows/nodes).
if [ "$component" = edge ] && [ -d flows/nodes ]; then copy flows/nodes; fi
copy deploy/lmdb-backup.mjs
echo "stage: $component staged in $out"
