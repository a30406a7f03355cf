# What loading zod + Porthole's schemas (and the whole server) costs unbundled vs tree-shaken
# into one file by rolldown (node_modules/.bin). Run from the repo root after npm run build:main.
set -e
T=$(mktemp -d)
echo "export * from '$PWD/dist/common/protocol.js';" > $T/proto.mjs
echo "export * from '$PWD/dist/main/server/server.js';" > $T/srv.mjs
npx rolldown $T/proto.mjs --format esm --platform node -o $T/proto-out.mjs >/dev/null
npx rolldown $T/srv.mjs --format esm --platform node --external node-pty -o $T/srv-out.mjs >/dev/null
P=benchmarks/results/perf-memory-probes/module-cost.mjs
node $P zod ./dist/common/protocol.js | tail -2
node $P $T/proto-out.mjs | tail -1
node $P ./dist/main/server/server.js | tail -1
node $P $T/srv-out.mjs | tail -1
