"""JSONata for moto's Step Functions interpreter: entry 8 of scripts/moto-server.py.

moto 5.2.1's interpreter (moto.stepfunctions.parser, a port of LocalStack's) evaluates JSONata
through a JVM bridge it does not ship: `eval_jsonata_expression` calls a function left as None, so
every JSONata state fails with "'NoneType' object is not callable". It also writes the values an
expression reads ($states, variables) into the expression's text, quoting strings without
escaping them, so an input holding a double quote would change the expression.

Here the npm `jsonata` package evaluates instead, in one long-lived Node process
(scripts/jsonata-helper.mjs, line-delimited JSON over its stdin and stdout): the expression goes as
written and the values as JSONata bindings, never as text. The process starts at the first
evaluation, starts again after it died, is killed when an evaluation takes longer than
APPROVALS_JSONATA_TIMEOUT_S seconds (default 5), and ends with the server. Evaluation errors fail
the state with States.QueryEvaluationError, as AWS reports them ("Transforming data with JSONata in
Step Functions", AWS Step Functions Developer Guide: $states.input, $states.result, $states.context,
Assign variables as $name, in Arguments, Output, Assign and a Choice rule's Condition).
"""

import atexit
import json
import os
import queue
import shutil
import subprocess
import threading
import time

from moto.stepfunctions.parser.api import EvaluationFailedEventDetails, HistoryEventType
from moto.stepfunctions.parser.asl.component.common.error_name.failure_event import (
    FailureEvent,
    FailureEventException,
)
from moto.stepfunctions.parser.asl.component.common.error_name.states_error_name import StatesErrorName
from moto.stepfunctions.parser.asl.component.common.error_name.states_error_name_type import (
    StatesErrorNameType,
)
from moto.stepfunctions.parser.asl.component.common.query_language import QueryLanguageMode
from moto.stepfunctions.parser.asl.component.common.string import string_expression as sfn_strings
from moto.stepfunctions.parser.asl.eval import variable_store as sfn_variables
from moto.stepfunctions.parser.asl.eval.event.event_detail import EventDetails
from moto.stepfunctions.parser.asl.jsonata import jsonata as sfn_jsonata
from moto.stepfunctions.parser.asl.jsonata import validations as sfn_validations
from moto.stepfunctions.parser.asl.utils.encoding import to_json_str

HELPER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "jsonata-helper.mjs")


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


def _query_evaluation_failure(env, cause):
    """Fail the state with the error and event AWS gives an expression that cannot be evaluated."""
    error_name = StatesErrorName(typ=StatesErrorNameType.StatesQueryEvaluationError)
    failure = FailureEventException(
        failure_event=FailureEvent(
            env=env,
            error_name=error_name,
            event_type=HistoryEventType.EvaluationFailed,
            event_details=EventDetails(
                evaluationFailedEventDetails=EvaluationFailedEventDetails(error=error_name.error_name, cause=cause)
            ),
        )
    )
    env.event_manager.add_event(
        context=env.event_history_context,
        event_type=HistoryEventType.EvaluationFailed,
        event_details=EventDetails(evaluationFailedEventDetails=failure.get_evaluation_failed_event_details()),
    )
    return failure


def install(evaluator):
    """Point moto's JSONata evaluation at the evaluator."""

    def bindings_of(env, with_states):
        store = env.variable_store
        bindings = {**store._outer_scope, **store._inner_scope}
        if with_states:
            bindings["states"] = env.states._states_data
        return bindings

    def evaluate_jsonata(self, env):
        # Kept from moto: it refuses `$` and `$$` (DEVELOPERS.md, "The local emulator").
        sfn_jsonata.extract_jsonata_variable_references(self.expression)
        expression = self.expression
        try:
            answer = evaluator.evaluate(expression, bindings_of(env, True))
        except JSONataEvaluationError as error:
            raise _query_evaluation_failure(env, f"The JSONata expression '{expression}' could not be evaluated: {error}.")
        if "error" in answer:
            raise _query_evaluation_failure(env, f"The JSONata expression '{expression}' failed: {answer['error']}.")
        # The two causes above are the launcher's; the two below, moto's (its jsonata/validations.py).
        if answer.get("undefined"):
            raise _query_evaluation_failure(env, f"The JSONata expression '{expression}' returned nothing (undefined).")
        if "unsupported" in answer:
            raise _query_evaluation_failure(
                env, f"The JSONata expression '{expression}' returned an unsupported result type."
            )
        env.stack.append(answer["value"])

    def sample_variable(self, env):
        # A variable read in a JSONPath field (`"name.$": "$customerName"`) or a JSONata one.
        answer = evaluator.evaluate(self.expression, bindings_of(env, self.query_language_mode == QueryLanguageMode.JSONata))
        if "error" in answer:
            raise JSONataEvaluationError(answer["error"])
        env.stack.append(answer.get("value"))

    def evaluate_text(expression):
        answer = evaluator.evaluate(expression, {})
        if "error" in answer:
            raise sfn_jsonata.JSONataException("UNKNOWN", answer["error"])
        return answer.get("value")

    def assigned_variables(self):
        # For the history's assignedVariables: JSON text of each value (moto quoted strings unescaped).
        return {name: to_json_str(self.get(name), separators=(",", ":")) for name in self._declaration_tracing}

    sfn_strings.StringJSONata._eval_body = evaluate_jsonata
    sfn_strings.StringVariableSample._eval_body = sample_variable
    for module in (sfn_jsonata, sfn_strings, sfn_validations):
        module.eval_jsonata_expression = evaluate_text
    sfn_variables.VariableStore.get_assigned_variables = assigned_variables


def install_from_environment():
    """Install an evaluator run by APPROVALS_NODE (else `node` on PATH), stopped when the server exits."""
    node = os.environ.get("APPROVALS_NODE") or shutil.which("node") or "node"
    timeout_s = float(os.environ.get("APPROVALS_JSONATA_TIMEOUT_S") or 5)
    evaluator = Evaluator(node, HELPER, timeout_s)
    install(evaluator)
    atexit.register(evaluator.close)
    return evaluator
