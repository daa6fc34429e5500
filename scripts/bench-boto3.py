"""The benchmark's baseline scripts, written as an operator would write them with boto3.

  reads   <endpoint> <state machine ARN> <threads>   list RUNNING executions, read each history tail
  approve <endpoint> [threads]                        SendTaskSuccess for the task tokens given as a
                                                      JSON list on stdin, one at a time (default) or
                                                      from that many threads

Prints one JSON line: the loop's own time in seconds (client creation and interpreter start-up
excluded), how many executions it handled and how many throttled answers it retried.
Throttled answers are retried here, with jittered exponential back-off, so the count is visible.
"""

import json
import random
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

THROTTLED = {"ThrottlingException", "Throttling", "TooManyRequestsException"}
retries = 0
retries_lock = threading.Lock()


def client(endpoint, threads=1):
    config = Config(retries={"total_max_attempts": 1}, max_pool_connections=max(10, threads))
    return boto3.client("stepfunctions", endpoint_url=endpoint, region_name="us-east-1", config=config)


def call(fn, **params):
    global retries
    for attempt in range(20):
        try:
            return fn(**params)
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") not in THROTTLED:
                raise
            with retries_lock:
                retries += 1
            time.sleep(random.uniform(0, min(1.0, 0.05 * 2**attempt)))
    return fn(**params)


def reads(endpoint, state_machine_arn, threads):
    sfn = client(endpoint, threads)
    begun = time.perf_counter()
    arns, token = [], None
    while True:
        params = {"stateMachineArn": state_machine_arn, "statusFilter": "RUNNING", "maxResults": 1000}
        page = call(sfn.list_executions, **params, **({"nextToken": token} if token else {}))
        arns += [e["executionArn"] for e in page["executions"]]
        token = page.get("nextToken")
        if not token:
            break

    def tail(arn):
        events = call(sfn.get_execution_history, executionArn=arn, reverseOrder=True, maxResults=10, includeExecutionData=True)
        return any(e["type"] == "TaskScheduled" for e in events["events"])

    with ThreadPoolExecutor(max_workers=threads) as pool:
        found = sum(pool.map(tail, arns))
    return {"seconds": time.perf_counter() - begun, "found": found, "retries": retries}


def approve(endpoint, tokens, threads=1):
    sfn = client(endpoint, threads)
    output = json.dumps({"Status": "Approved! Task approved by bench@example.com"})
    begun = time.perf_counter()
    if threads == 1:
        for token in tokens:
            call(sfn.send_task_success, taskToken=token, output=output)
    else:
        with ThreadPoolExecutor(max_workers=threads) as pool:
            list(pool.map(lambda token: call(sfn.send_task_success, taskToken=token, output=output), tokens))
    return {"seconds": time.perf_counter() - begun, "found": len(tokens), "retries": retries}


if __name__ == "__main__":
    mode, endpoint = sys.argv[1], sys.argv[2]
    if mode == "reads":
        result = reads(endpoint, sys.argv[3], int(sys.argv[4]))
    else:
        result = approve(endpoint, json.load(sys.stdin), int(sys.argv[3]) if len(sys.argv) > 3 else 1)
    print(json.dumps(result))
