#!/usr/bin/env bash
# Scaffolds an Nx project: tools/new-project.sh libs/NAME "type:domain" [scope:shared]
set -euo pipefail
dir=$1; type=$2; scope=${3:-scope:shared}
name=$(basename "$dir")
mkdir -p "$dir/src"
depth=$(echo "$dir" | awk -F/ '{print NF}')
up=$(printf '../%.0s' $(seq 1 "$depth"))
kind=library; [[ $dir == apps/* ]] && kind=application
cat > "$dir/project.json" <<JSON
{
  "name": "$name",
  "\$schema": "${up}node_modules/nx/schemas/project-schema.json",
  "sourceRoot": "$dir/src",
  "projectType": "$kind",
  "tags": ["$scope", "$type"],
  "targets": { "typecheck": {} }
}
JSON
cat > "$dir/tsconfig.json" <<JSON
{
  "extends": "${up}tsconfig.base.json",
  "compilerOptions": { "types": ["node", "jest"], "isolatedModules": true },
  "include": ["src/**/*.ts"]
}
JSON
cat > "$dir/jest.config.js" <<JS
module.exports = {
  displayName: '$name',
  preset: '${up}jest.preset.js',
  rootDir: __dirname,
};
JS
[ -f "$dir/src/index.ts" ] || echo "export {};" > "$dir/src/index.ts"
