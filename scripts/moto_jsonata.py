"""JSONata for moto's Step Functions interpreter: entry 8 of scripts/moto-server.py.

moto 5.2.1's interpreter (moto.stepfunctions.parser, a port of LocalStack's) evaluates JSONata
through a JVM bridge it does not ship: `eval_jsonata_expression` calls a function left as None, so
every JSONata state fails with "'NoneType' object is not callable". It also writes the values an
expression reads ($states, variables) into the expression's text, quoting strings without
escaping them, so an input holding a double quote would change the expression.

Here the npm `jsonata` package evaluates instead, in one long-lived Node process
(jsonata_evaluator.py runs scripts/jsonata-helper.mjs, line-delimited JSON over its stdin and
stdout): the expression goes as written and the values as JSONata bindings, never as text. The process starts at the first
evaluation, starts again after it died, is killed when an evaluation takes longer than
APPROVALS_JSONATA_TIMEOUT_S seconds (default 5), and ends with the server. Evaluation errors fail
the state with States.QueryEvaluationError, as AWS reports them ("Transforming data with JSONata in
Step Functions", AWS Step Functions Developer Guide: $states.input, $states.result, $states.context,
Assign variables as $name, in Arguments, Output, Assign and a Choice rule's Condition).
"""

import atexit
import os
import shutil

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

from jsonata_evaluator import Evaluator, JSONataEvaluationError

HELPER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "jsonata-helper.mjs")


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
