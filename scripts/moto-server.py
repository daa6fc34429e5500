"""Start moto's server configured to execute Step Functions state machines.

Nine behaviours of moto 5.2.x are adjusted before the server starts:

1. CloudFormation creates AWS::StepFunctions::StateMachine resources in the
   plain Step Functions backend, which never runs executions. The resource
   handlers are pointed at the executing (ASL interpreter) backend instead.
2. ExecuteChangeSet applies the resources but keeps the stack's outputs from before the
   change set (none, for a stack created through one). The outputs are rebuilt after applying.
3. Before moto 5.2.3, StartExecution deep-copies the state machine together
   with its live executions (moto issue 10077): a second execution started
   while another waits for a task token fails with HTTP 500. The copy now
   leaves the executions list out.
4. SendTaskFailure drops the request's cause, so a failed execution reports
   only its error. The cause is now passed on.
5. A task token stays usable until its execution ends, so a second SendTaskSuccess
   racing the first (two operators, or the email link and the CLI) also succeeds.
   AWS accepts a token once and answers later uses with TaskTimedOut ("Provided
   task does not exist anymore"); the launcher now does the same, remembering each token
   answered (a retry arriving while the execution runs its next states was still accepted).
6. A stack update that changes only a parameter used inside Fn::Sub (the Email in the state
   machine's definition, the approval function's code, the topic's subscription) changes no
   resource: moto looks for parameters in Ref only. Such resources are now updated, a topic
   keeps its ARN and swaps its subscriptions (no replacement, as on AWS), and
   DescribeStateMachineForExecution answers with the definition the execution started on
   (moto answers with the state machine's current one).
7. SendTaskSuccess's output is parsed and written again (`{"Status": "..."}`, with
   spaces) into the TaskSucceeded event. AWS records the text as it was sent, which
   is how a CLI whose reply was lost recognised its own decision before decisions
   carried a DecisionId (it still does for --exact-payload); the event now carries the
   text as sent. APPROVALS_MOTO_KEEP_OUTPUT_TEXT=0 turns this fix off.
8. Publish measures a message in characters: moto takes 262,144 characters of
   two-byte text. SNS's limit is 262,144 bytes of UTF-8 ("at most 256 KB in size
   (262,144 bytes, not 262,144 characters)", Publish's Message parameter in the SNS API
   reference, https://docs.aws.amazon.com/sns/latest/api/API_Publish.html); a longer
   message is refused with InvalidParameter, as on AWS.
9. JSONata is not evaluated: the interpreter calls a JVM bridge moto does not ship, so every
   JSONata state fails with "'NoneType' object is not callable". JSONata now runs on the npm
   `jsonata` package in a helper Node process (scripts/moto_jsonata.py, which says how), as AWS
   documents it in "Transforming data with JSONata in Step Functions" (AWS Step Functions
   Developer Guide): $states.input, $states.result, $states.context, Assign variables as $name,
   in Arguments, Output, Assign and Choice Conditions; an expression that fails fails its state
   with States.QueryEvaluationError.

Usage: python3 moto-server.py [-H HOST] [-p PORT]   (the arguments of moto_server)
"""

import copy
import json
import os
import re
import sys
import threading

try:
    from moto.cloudformation import models as cfn_models
    from moto.cloudformation import parsing as cfn_parsing
    from moto.core.config import default_user_config
    from moto.core.exceptions import AWSError
    from moto.server import main
    from moto.sns import models as sns_models
    from moto.stepfunctions import models as sfn_models
    from moto.core.responses import ActionResult, EmptyResult
    from moto.stepfunctions.responses import StepFunctionResponse
    from moto.stepfunctions.parser.models import stepfunctions_parser_backends
    from moto.stepfunctions.parser.asl.eval.callback import callback as sfn_callback
    from moto.stepfunctions.parser.asl.component.state.exec.state_task.service import (
        state_task_service as sfn_task_service,
        state_task_service_callback as sfn_task_callback,
    )

    # (8) lives in a module beside this file; no bytecode cache is written into the repository.
    sys.dont_write_bytecode = True
    import moto_jsonata
except ImportError as error:  # pragma: no cover - depends on the machine
    sys.stderr.write(
        f"moto is not installed ({error}). Install it with: pip install \"moto[server]\"\n"
    )
    sys.exit(3)

default_user_config["stepfunctions"] = {"execute_state_machine": True}
default_user_config["lambda"] = {"use_docker": False}

# (1) The CloudFormation handlers look the backend up through this module global.
sfn_models.stepfunctions_backends = stepfunctions_parser_backends


# (2) Rebuild outputs from the applied template.
_apply_change_set = cfn_models.ChangeSet.apply


def _apply_and_refresh_outputs(self):
    _apply_change_set(self)
    self.stack.template = self.template
    self.stack.template_dict = self.template_dict
    self.stack.output_map = self.stack._create_output_map()


cfn_models.ChangeSet.apply = _apply_and_refresh_outputs


# (3) Copy a state machine without its executions.
def _copy_without_executions(self, memo):
    clone = self.__class__.__new__(self.__class__)
    memo[id(self)] = clone
    for key, value in self.__dict__.items():
        setattr(clone, key, [] if key == "executions" else copy.deepcopy(value, memo))
    return clone


sfn_models.StateMachine.__deepcopy__ = _copy_without_executions


# (4) Pass SendTaskFailure's cause on with its error.
def _send_task_failure_with_cause(self):
    self.stepfunction_backend.send_task_failure(
        self._get_param("taskToken"),
        error=self._get_param("error"),
        cause=self._get_param("cause"),
    )
    return EmptyResult()


StepFunctionResponse.send_task_failure = _send_task_failure_with_cause

# (5) Accept each task token once: the check and the use happen under one lock, as requests
# are served on several threads. (The parser's own TaskTimedOut is not serialised by the server:
# it would answer HTTP 500, so the error is raised as a regular moto service error.)
class TaskTimedOut(AWSError):
    TYPE = "TaskTimedOut"
    STATUS = 400


_notify = sfn_callback.CallbackPoolManager.notify
_notify_lock = threading.Lock()


# Tokens already answered are remembered by id: the endpoint's outcome alone is not enough, as the
# execution's thread takes the outcome while the execution still runs its next states, and a second
# SendTaskSuccess arriving then (the SDK's retry of a call whose reply was lost) was accepted.
_answered = set()


def _notify_once(self, callback_id, outcome):
    with _notify_lock:
        endpoint = self._pool.get(callback_id, None)
        if callback_id in _answered or (endpoint is not None and endpoint.get_outcome() is not None):
            raise TaskTimedOut("Task Timed Out: 'Provided task does not exist anymore'")
        notified = _notify(self, callback_id, outcome)
        if notified:
            _answered.add(callback_id)
        return notified


sfn_callback.CallbackPoolManager.notify = _notify_once


# (6) Parameters referenced as ${Name} inside Fn::Sub count as references too. The module global
# is what the stack-update diff calls.
_SUB_REFERENCE = re.compile(r"\$\{([^!}][^}]*)\}")


def _references_with_sub(template):
    references = []
    if isinstance(template, dict):
        for key, value in template.items():
            if key == "Ref":
                references.append(value)
                continue
            if key == "Fn::Sub":
                text = value[0] if isinstance(value, list) and value else value
                if isinstance(text, str):
                    references.extend(_SUB_REFERENCE.findall(text))
            references.extend(_references_with_sub(value))
    elif isinstance(template, list):
        for item in template:
            references.extend(_references_with_sub(item))
    return references


cfn_parsing.get_references_from_template = _references_with_sub


def _diff_with_parameters(self):
    """The change set lists what a changed parameter modifies, as ExecuteChangeSet will apply it."""
    actions = self.stack.resource_map.build_resource_diff(self.template_dict, self.parameters)
    resources = self.template_dict.get("Resources") or {}
    old = self.stack.resource_map._resource_json_map
    return [
        cfn_models.Change(
            action=action,
            logical_resource_id=name,
            resource_type=(resources.get(name) or old.get(name) or {}).get("Type", ""),
        )
        for action in ("Add", "Modify", "Remove")
        for name in actions[action]
    ]


cfn_models.ChangeSet.diff = _diff_with_parameters

_replace_topic = sns_models.Topic.update_from_cloudformation_json.__func__


def _update_topic_in_place(cls, original_resource, new_resource_name, cloudformation_json, account_id, region_name):
    """A topic whose TopicName is unchanged keeps its ARN; only its subscriptions change."""
    properties = cloudformation_json.get("Properties") or {}
    if properties.get("TopicName", original_resource.name) != original_resource.name:
        return _replace_topic(cls, original_resource, new_resource_name, cloudformation_json, account_id, region_name)
    backend = sns_models.sns_backends[account_id][region_name]
    wanted = {(s["Protocol"], s["Endpoint"]) for s in properties.get("Subscription", [])}
    for subscription in backend._get_topic_subscriptions(original_resource):
        if (subscription.protocol, subscription.endpoint) not in wanted:
            backend.unsubscribe(subscription.arn)
    for protocol, endpoint in sorted(wanted):
        backend.subscribe(original_resource.arn, endpoint, protocol)
    return original_resource


sns_models.Topic.update_from_cloudformation_json = classmethod(_update_topic_in_place)


def _describe_state_machine_an_execution_runs_on(self):
    arn = self._get_param("executionArn")
    machine = self.stepfunction_backend.describe_state_machine_for_execution(arn)
    execution = next(e for e in machine.executions if e.execution_arn == arn)
    # The parser's executions run on a copy of the machine taken at StartExecution.
    ran_on = getattr(execution, "state_machine", machine)
    return ActionResult(
        {
            "stateMachineArn": machine.arn,
            "name": machine.name,
            "definition": ran_on.definition,
            "roleArn": ran_on.roleArn,
            "updateDate": ran_on.update_date,
            "loggingConfiguration": ran_on.loggingConfiguration,
            "tracingConfiguration": ran_on.tracingConfiguration,
            "encryptionConfiguration": ran_on.encryptionConfiguration,
        }
    )


StepFunctionResponse.describe_state_machine_for_execution = _describe_state_machine_an_execution_runs_on


# (7) Remember the text of each callback output the interpreter parses (per execution thread),
# and write that text, not a re-serialisation, when the same value becomes the TaskSucceeded output.
_parsed_text = threading.local()


class _JsonKeepingText:
    def __getattr__(self, name):
        return getattr(json, name)

    def loads(self, text, *args, **kwargs):
        value = json.loads(text, *args, **kwargs)
        _parsed_text.last = (value, text)
        return value


_to_json_str = sfn_task_service.to_json_str


def _to_json_str_as_sent(obj, separators=None):
    last = getattr(_parsed_text, "last", None)
    if last is not None and last[0] is obj:
        return last[1]
    return _to_json_str(obj, separators)


# APPROVALS_MOTO_KEEP_OUTPUT_TEXT=0 leaves moto's re-serialisation in place: the test that a CLI
# recognises its own decision by its DecisionId, not by its bytes, runs an emulator without this fix.
if os.environ.get("APPROVALS_MOTO_KEEP_OUTPUT_TEXT", "1") != "0":
    sfn_task_callback.json = _JsonKeepingText()
    sfn_task_service.to_json_str = _to_json_str_as_sent


# (8) Measure a message (not a text message to a phone, which has its own limit) in UTF-8 bytes.
_publish = sns_models.SNSBackend.publish


def _publish_measuring_bytes(self, message, arn=None, phone_number=None, **kwargs):
    if not phone_number and len(message.encode("utf-8")) > sns_models.MAXIMUM_MESSAGE_LENGTH:
        raise sns_models.InvalidParameterValue("Invalid parameter: Message too long")
    return _publish(self, message, arn, phone_number=phone_number, **kwargs)


sns_models.SNSBackend.publish = _publish_measuring_bytes
# (9) Evaluate JSONata in a helper process (moto_jsonata.py).
moto_jsonata.install_from_environment()

if __name__ == "__main__":
    main(sys.argv[1:])
