"""A Job's life through the official Python client (Debian's python3-kubernetes), against the
kubeconfig jobctl exported: create, watch to Complete, read the pod's logs, delete. Prints one
JSON line of what it saw; exits non-zero on any failure."""
import json
import sys

from kubernetes import client, config, watch

NAME = sys.argv[1]
config.load_kube_config(config_file=sys.argv[2], context="jobctl")
batch = client.BatchV1Api()
core = client.CoreV1Api()

job = client.V1Job(
    api_version="batch/v1",
    kind="Job",
    metadata=client.V1ObjectMeta(name=NAME),
    spec=client.V1JobSpec(
        backoff_limit=0,
        template=client.V1PodTemplateSpec(
            spec=client.V1PodSpec(
                restart_policy="Never",
                containers=[
                    client.V1Container(
                        name="c", image="busybox:1.35", command=["sh", "-c", "echo hello from python"]
                    )
                ],
            )
        ),
    ),
)
created = batch.create_namespaced_job("default", job)
seen = []
w = watch.Watch()
condition = None
for event in w.stream(
    batch.list_namespaced_job,
    "default",
    field_selector="metadata.name=" + NAME,
    resource_version=created.metadata.resource_version,
    timeout_seconds=60,
):
    seen.append(event["type"])
    for c in event["object"].status.conditions or []:
        if c.status == "True" and c.type in ("Complete", "Failed"):
            condition = c.type
    if condition:
        w.stop()
pods = core.list_namespaced_pod("default", label_selector="batch.kubernetes.io/controller-uid=" + created.metadata.uid)
logs = core.read_namespaced_pod_log(pods.items[0].metadata.name, "default")
batch.delete_namespaced_job(NAME, "default", propagation_policy="Background")
print(json.dumps({"uid": created.metadata.uid, "events": seen, "condition": condition, "logs": logs}))
