#!/usr/bin/env bash
# A distributed run on any Kubernetes cluster: loadgen as an Indexed Job of N segment pods
# against the game-api Service, then the merge Job, then the merged summary copied to
# ./results/<testid>/merged. Needs kubectl pointed at the cluster and `kubectl apply -k infra/k8s`
# done once. Usage: infra/k8s/run-distributed.sh <preset> <segments> [image]
# START_LEAD_SEC (default 15): how far ahead of "every pod is running" the common start is.
set -euo pipefail

preset=${1:?usage: run-distributed.sh <preset> <segments> [image]}
segments=${2:?usage: run-distributed.sh <preset> <segments> [image]}
image=${3:-${LOADGEN_IMAGE:-game-load-lab/loadgen:local}}
ns=${NAMESPACE:-game-load-lab}
testid="${preset}-$(date -u +%Y%m%dT%H%M%S)"
testid_k8s=$(echo "$testid" | tr 'A-Z' 'a-z')
here=$(cd "$(dirname "$0")" && pwd)

render() { # document index (0 = segments Job, 1 = merge Job)
  sed -e "s|__TESTID__|$testid_k8s|g" -e "s|__PRESET__|$preset|g" \
      -e "s|__SEGMENTS__|$segments|g" -e "s|__IMAGE__|$image|g" "$here/loadgen-job.yaml" |
    awk -v want="$1" 'BEGIN{doc=0} /^---$/{doc++; next} doc==want'
}

echo "== $testid: $segments segment pod(s) of '$preset' in namespace $ns"
render 0 | kubectl -n "$ns" apply -f -

# The start barrier. Each pod waits for /results/<testid>/start-at (loadgen-job.yaml); once every
# pod is scheduled and running (images pulled, containers up), one start time a little ahead goes
# there, and every pod passes it to --start-at. The nodes' clocks must agree (NTP), as for any
# distributed measurement; a pod that reads the time more than 1 s late fails rather than skews.
selector="job-name=loadgen-$testid_k8s"
until [ "$(kubectl -n "$ns" get pods -l "$selector" -o name | wc -l)" -ge "$segments" ]; do sleep 2; done
kubectl -n "$ns" wait --for=condition=Ready --timeout=15m pod -l "$selector"
lead=${START_LEAD_SEC:-15}
start_ms=$(( ($(date +%s) + lead) * 1000 ))
first=$(kubectl -n "$ns" get pods -l "$selector" -o jsonpath='{.items[0].metadata.name}')
kubectl -n "$ns" exec "$first" -- sh -c \
  "mkdir -p /results/$testid_k8s && echo $start_ms > /results/$testid_k8s/start-at.tmp && mv /results/$testid_k8s/start-at.tmp /results/$testid_k8s/start-at"
echo "== all $segments pods start at $(date -u -d "@$(( start_ms / 1000 ))" +%H:%M:%SZ 2>/dev/null || echo "epoch ms $start_ms") (in ${lead} s)"
kubectl -n "$ns" wait --for=condition=complete --timeout=2h "job/loadgen-$testid_k8s"

echo "== merging the $segments summaries"
render 1 | kubectl -n "$ns" apply -f -
kubectl -n "$ns" wait --for=condition=complete --timeout=10m "job/loadgen-merge-$testid_k8s"
kubectl -n "$ns" logs "job/loadgen-merge-$testid_k8s"

echo "== copying the merged summary to ./results/$testid_k8s/merged"
pod=$(kubectl -n "$ns" get pods -l "job-name=loadgen-merge-$testid_k8s" -o jsonpath='{.items[0].metadata.name}')
mkdir -p "results/$testid_k8s"
kubectl -n "$ns" run "copy-$testid_k8s" --restart=Never --image=busybox:1.36 \
  --overrides="{\"spec\":{\"volumes\":[{\"name\":\"r\",\"persistentVolumeClaim\":{\"claimName\":\"loadgen-results\"}}],\"containers\":[{\"name\":\"c\",\"image\":\"busybox:1.36\",\"command\":[\"sleep\",\"300\"],\"volumeMounts\":[{\"name\":\"r\",\"mountPath\":\"/results\"}]}]}}"
kubectl -n "$ns" wait --for=condition=ready --timeout=2m "pod/copy-$testid_k8s"
kubectl -n "$ns" cp "copy-$testid_k8s:/results/$testid_k8s/merged" "results/$testid_k8s/merged"
kubectl -n "$ns" delete pod "copy-$testid_k8s" --wait=false
echo "== done: results/$testid_k8s/merged/summary.json (merge pod was $pod)"
