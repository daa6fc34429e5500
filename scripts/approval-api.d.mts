/** A request as the loopback approval API receives it. */
export interface ProxyRequest {
  method: string;
  /** Path and query string, as in the request line. */
  url: string;
  /** Header names and values, alternating, as sent. */
  rawHeaders?: string[];
  body?: string;
  apiId: string;
  stage: string;
  accountId?: string;
  sourceIp?: string;
}

export function proxyEvent(request: ProxyRequest): Record<string, unknown>;

export interface ApprovalApi {
  /** `http://127.0.0.1:PORT`: the value for APPROVALS_API_ENDPOINT. */
  url: string;
  stop(): Promise<void>;
}

export function startApprovalApi(options: {
  endpoint: string;
  port?: number;
  template?: string;
  onLogs?: (logs: string) => void;
  /** Apply the stage's throttle (MethodSettings) as API Gateway does, answering 429; default false. */
  throttle?: boolean;
}): Promise<ApprovalApi>;
