"""Drives the official Python client (Debian's python3-kubernetes) against a fake API server.

Usage: python3 python-client-scenario.py <kubeconfig> <server url>
Prints one JSON object with what the client observed; the calling test asserts on it. Any exception the
client raises fails the run (non-zero exit).
"""
import json
import sys
import urllib.request

from kubernetes import client, config, dynamic, watch
from kubernetes.client.rest import ApiException

kubeconfig, server_url = sys.argv[1], sys.argv[2]
api_client = config.new_client_from_config(config_file=kubeconfig)
core = client.CoreV1Api(api_client)
apps = client.AppsV1Api(api_client)
observed = {}

# Typed CRUD.
core.create_namespace(client.V1Namespace(metadata=client.V1ObjectMeta(name="py")))
created = core.create_namespaced_config_map(
    "py", client.V1ConfigMap(metadata=client.V1ObjectMeta(name="settings"), data={"mode": "fast"})
)
patched = core.patch_namespaced_config_map("settings", "py", {"data": {"mode": "slow"}})
read = core.read_namespaced_config_map("settings", "py")
observed["crud"] = {
    "createdUid": bool(created.metadata.uid),
    "patchedMode": patched.data["mode"],
    "readMode": read.data["mode"],
    "resourceVersionChanged": created.metadata.resource_version != read.metadata.resource_version,
}
try:
    core.create_namespaced_config_map("py", client.V1ConfigMap(metadata=client.V1ObjectMeta(name="settings")))
    observed["crud"]["duplicateStatus"] = None
except ApiException as error:
    observed["crud"]["duplicateStatus"] = error.status

# Pagination: limit and _continue.
for index in range(5):
    core.create_namespaced_config_map("py", client.V1ConfigMap(metadata=client.V1ObjectMeta(name=f"page-{index}")))
names, pages, token = [], 0, None
while True:
    page = core.list_namespaced_config_map("py", limit=2, _continue=token)
    pages += 1
    names.extend(item.metadata.name for item in page.items)
    token = page.metadata._continue
    if not token:
        break
observed["pagination"] = {"pages": pages, "names": names}

# Watch (the client sends watch=True) from a resourceVersion: the changes made after the list arrive.
listed = core.list_namespaced_config_map("py")
start = listed.metadata.resource_version
core.create_namespaced_config_map("py", client.V1ConfigMap(metadata=client.V1ObjectMeta(name="watched")))
core.delete_namespaced_config_map("page-0", "py")
events = []
stream = watch.Watch()
for event in stream.stream(core.list_namespaced_config_map, "py", resource_version=start, timeout_seconds=10):
    events.append([event["type"], event["object"].metadata.name])
    if len(events) == 2:
        stream.stop()
observed["watch"] = events

# An expired resourceVersion: the client retries once, then raises the 410.
request = urllib.request.Request(f"{server_url}/_fake/faults/compact", data=b"{}", method="POST")
urllib.request.urlopen(request).read()
core.create_namespaced_config_map("py", client.V1ConfigMap(metadata=client.V1ObjectMeta(name="after-compaction")))
try:
    for event in watch.Watch().stream(core.list_namespaced_config_map, "py", resource_version=start, timeout_seconds=5):
        observed["expired"] = {"unexpectedEvent": event["type"]}
        break
    else:
        observed["expired"] = {"status": None}
except ApiException as error:
    observed["expired"] = {"status": error.status, "reason": error.reason}

# Dynamic client: discovery, then create, get, list and delete a Deployment.
dynamic_client = dynamic.DynamicClient(api_client)
deployments = dynamic_client.resources.get(api_version="apps/v1", kind="Deployment")
manifest = {
    "apiVersion": "apps/v1",
    "kind": "Deployment",
    "metadata": {"name": "web", "namespace": "py"},
    "spec": {
        "replicas": 2,
        "selector": {"matchLabels": {"app": "web"}},
        "template": {
            "metadata": {"labels": {"app": "web"}},
            "spec": {"containers": [{"name": "web", "image": "nginx:1.27"}]},
        },
    },
}
deployments.create(body=manifest, namespace="py")
fetched = deployments.get(name="web", namespace="py")
listed_deployments = deployments.get(namespace="py")
typed = apps.read_namespaced_deployment("web", "py")
deployments.delete(name="web", namespace="py")
observed["dynamic"] = {
    "replicas": fetched.spec.replicas,
    "listed": [item.metadata.name for item in listed_deployments.items],
    "typedImage": typed.spec.template.spec.containers[0].image,
    "afterDelete": [item.metadata.name for item in deployments.get(namespace="py").items],
}

print(json.dumps(observed))
