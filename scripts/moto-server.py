"""Start moto's server configured to execute Step Functions state machines.

Six behaviours of moto 5.2.x are adjusted before the server starts:

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
   task does not exist anymore"); the launcher now does the same.
6. SendTaskSuccess's output is parsed and written again (`{"Status": "..."}`, with
   spaces) into the TaskSucceeded event. AWS records the text as it was sent, which
   is how a CLI whose reply was lost recognises its own decision; the event now
   carries the text as sent.

Usage: python3 moto-server.py [-H HOST] [-p PORT]   (the arguments of moto_server)
"""

import copy
import json
import sys
import threading

try:
    from moto.cloudformation import models as cfn_models
    from moto.core.config import default_user_config
    from moto.core.exceptions import AWSError
    from moto.server import main
    from moto.stepfunctions import models as sfn_models
    from moto.core.responses import EmptyResult
    from moto.stepfunctions.responses import StepFunctionResponse
    from moto.stepfunctions.parser.models import stepfunctions_parser_backends
    from moto.stepfunctions.parser.asl.eval.callback import callback as sfn_callback
    from moto.stepfunctions.parser.asl.component.state.exec.state_task.service import (
        state_task_service as sfn_task_service,
        state_task_service_callback as sfn_task_callback,
    )
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


def _notify_once(self, callback_id, outcome):
    with _notify_lock:
        endpoint = self._pool.get(callback_id, None)
        if endpoint is not None and endpoint.get_outcome() is not None:
            raise TaskTimedOut("Task Timed Out: 'Provided task does not exist anymore'")
        return _notify(self, callback_id, outcome)


sfn_callback.CallbackPoolManager.notify = _notify_once


# (6) Remember the text of each callback output the interpreter parses (per execution thread),
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


sfn_task_callback.json = _JsonKeepingText()
sfn_task_service.to_json_str = _to_json_str_as_sent

if __name__ == "__main__":
    main(sys.argv[1:])
