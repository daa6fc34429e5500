"""A JSONata evaluator in a helper Node process (scripts/jsonata-helper.mjs), for moto_jsonata.py.

One request at a time goes to the helper as a JSON line ({id, expr, bindings}) and its answer comes
back as one: {id, value}, {id, undefined}, {id, unsupported} or {id, error}. The helper starts at the
first request, starts again after it died, and is killed when an answer takes longer than the
timeout; close() kills it, and the helper ends itself once this process is gone.
"""

import json
import os
import queue
import subprocess
import threading
import time


class JSONataEvaluationError(Exception):
    """The helper could not answer: it failed to start, died, or took too long."""


class _Exited(Exception):
    """The helper ended before it answered; the message is what it said last."""


class Evaluator:
    """One helper process, used by one evaluation at a time (executions run on several threads)."""

    def __init__(self, node, script, timeout_s):
        # The helper watches for this process to be gone (it may be too busy to see its stdin close).
        self._command = [node, script, str(os.getpid())]
        self._timeout_s = timeout_s
        self._lock = threading.Lock()
        self._process = None
        self._answers = None
        self._stderr = ""
        self._next_id = 0

    def _start(self):
        try:
            process = subprocess.Popen(
                self._command,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                encoding="utf-8",
            )
        except OSError as error:
            raise JSONataEvaluationError(f"cannot start the JSONata evaluator ({self._command[0]}): {error}")
        answers = queue.Queue()
        self._process, self._answers, self._stderr = process, answers, ""

        def read_answers():
            with process.stdout:
                for line in process.stdout:
                    answers.put(line)
            answers.put(None)

        def read_errors():
            with process.stderr:
                for line in process.stderr:
                    self._stderr = (self._stderr + line)[-2000:]

        threading.Thread(target=read_answers, daemon=True).start()
        self._stderr_reader = threading.Thread(target=read_errors, daemon=True)
        self._stderr_reader.start()

    def _stop(self):
        process, self._process = self._process, None
        if process is None:
            return
        if process.poll() is None:
            process.kill()
        try:
            process.wait(timeout=2)
        except subprocess.TimeoutExpired:
            pass
        # Its readers close stdout and stderr when they reach their end.
        try:
            process.stdin.close()
        except OSError:
            pass

    def _send(self, line):
        """Write one request, starting the helper first if it is not running (once more if it just died)."""
        for attempt in (1, 2):
            if self._process is None or self._process.poll() is not None:
                self._stop()
                self._start()
            try:
                self._process.stdin.write(line)
                self._process.stdin.flush()
                return
            except OSError:
                self._stop()
                if attempt == 2:
                    raise JSONataEvaluationError("the JSONata evaluator does not accept requests")

    def evaluate(self, expression, bindings):
        """The helper's answer: {"value": ...}, {"undefined": true}, {"unsupported": type} or {"error": message}."""
        with self._lock:
            request = {"expr": expression, "bindings": bindings}
            # A helper that died while idle may still look alive when the request goes out: once
            # more, then, on a fresh one.
            for attempt in (1, 2):
                try:
                    return self._ask(request)
                except _Exited as exited:
                    if attempt == 2:
                        raise JSONataEvaluationError(f"the JSONata evaluator exited: {exited}")

    def _ask(self, request):
        self._next_id += 1
        request_id = self._next_id
        self._send(json.dumps({"id": request_id, **request}, default=str) + "\n")
        deadline = time.monotonic() + self._timeout_s
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                self._stop()
                raise JSONataEvaluationError(f"the evaluation took longer than {self._timeout_s:g} s and was stopped")
            try:
                line = self._answers.get(timeout=remaining)
            except queue.Empty:
                continue
            if line is None:
                self._stderr_reader.join(timeout=1)
                self._stop()
                lines = self._stderr.strip().splitlines()
                # Node's own report of an uncaught error ends with its version: name the error.
                raise _Exited(next((line for line in lines if "Error" in line), lines[-1] if lines else "no message").strip())
            answer = json.loads(line)
            if answer.get("id") == request_id:  # an answer to a request given up on is dropped
                return answer

    def close(self):
        """Kill the helper now, without waiting for an evaluation in progress (which then fails)."""
        process = self._process
        if process is not None and process.poll() is None:
            process.kill()
