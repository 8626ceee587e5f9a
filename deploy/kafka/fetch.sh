#!/bin/sh
# Fetches the broker's jars into deploy/kafka/libs/ once per version of pom.xml. Parallel callers
# (several jest projects starting brokers at once) queue on one lock, and the stamp is written last,
# so an interrupted download is fetched again instead of leaving half a classpath behind.
set -eu
cd "$(dirname "$0")"
exec 9>"${TMPDIR:-/tmp}/lbc-kafka-fetch.lock"
flock 9
stamp=$(sha256sum pom.xml | cut -d' ' -f1)
if [ "$(cat libs/.pom.sha256 2>/dev/null || true)" = "$stamp" ]; then exit 0; fi
rm -rf libs
mvn -q -B -f pom.xml dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory=libs
echo "$stamp" > libs/.pom.sha256
