import type { ChalkInstance } from "chalk";
import type { AslState } from "../core/workflow/definition.js";
import { type GraphState, isEndState, type StateMark, transitionsOf } from "../core/workflow/graph.js";
import { safeText } from "../lib/safe-text.js";

/** What {@link drawWorkflow} draws: a definition's states and, optionally, where one execution went. */
export interface GraphInput {
  startAt: string;
  states: Record<string, AslState>;
  /** The states marked for an execution (as `show --json` reports them); without them every state is drawn unmarked. */
  marks?: readonly GraphState[];
  /** The execution's status, to say why it stopped where it did. */
  status?: string;
}

const MARKS: Record<StateMark, string> = { visited: "✔", current: "◉", stopped: "✖", "not-visited": "○" };
const PAINT = { visited: "green", current: "cyan", stopped: "red", "not-visited": "dim" } as const satisfies Record<StateMark, string>;

/** The legend printed under the graph, so the marks read without colour. */
export const GRAPH_LEGEND = "✔ visited  ◉ current  ✖ stopped  ○ not visited  ▶ branch taken";

/** Longest condition label before it is shortened. */
const LABEL_WIDTH = 72;

/**
 * Draw a state machine as a tree from its start state: a plain `Next` continues downwards, a
 * Choice (or Catch) fans out into labelled branches, and a state already drawn is referred to
 * rather than drawn again, so loops and joins stay finite. Marks show where the execution went.
 */
export function drawWorkflow(graph: GraphInput, style: ChalkInstance): string[] {
  const lines: string[] = [];
  const drawn = new Set<string>();
  const trace = graph.marks && new Map(graph.marks.map((m) => [m.name, m]));

  const node = (name: string, indent: string) => {
    drawn.add(name);
    const state = graph.states[name];
    const marked = trace?.get(name);
    const mark = marked?.mark ?? "not-visited";
    const glyph = trace ? MARKS[mark] : "○";
    const paint = trace ? style[PAINT[mark]] : plain;
    const note = trace ? markNote(mark, graph.status, state) : "";
    // State names, types and Choice conditions come from the deployed definition: untrusted.
    const shown = safeText(name);
    lines.push(
      `${indent}${paint(glyph)} ${mark === "not-visited" && trace ? style.dim(shown) : style.bold(shown)}  ${style.dim(safeText(kindOf(state)))}${note ? `  ${paint(note)}` : ""}`,
    );
    if (!state) return;
    const exits = transitionsOf(state);
    const only = exits.length === 1 ? exits[0] : undefined;
    if (only && only.label === undefined) {
      lines.push(`${indent}${style.dim("│")}`);
      follow(only.next, indent);
      return;
    }
    exits.forEach((exit, i) => {
      const last = i === exits.length - 1;
      const taken = marked?.transitions.some((t) => t.next === exit.next && t.taken) ?? false;
      const branch = `${last ? "└─" : "├─"}${taken ? "▶" : "─"}`;
      const label = shorten(safeText(exit.label ?? "next"));
      lines.push(
        `${indent}${taken ? style.green(branch) : style.dim(branch)} ${taken ? style.green(label) : label}${taken ? style.green("  ← taken") : ""}`,
      );
      follow(exit.next, `${indent}${last ? "    " : `${style.dim("│")}   `}`);
    });
  };

  const follow = (name: string, indent: string) => {
    if (drawn.has(name)) lines.push(`${indent}${style.dim("↪")} ${safeText(name)} ${style.dim("(above)")}`);
    else node(name, indent);
  };

  node(graph.startAt, "");
  return lines;
}

const plain = (text: string) => text;

function kindOf(state: AslState | undefined): string {
  if (!state) return "missing from the definition";
  const parts = [state.Type];
  if (state.Type === "Task" && state.Resource?.endsWith(".waitForTaskToken")) parts.push("waits for a task token");
  if (isEndState(state)) parts.push("end");
  return parts.join(", ");
}

function markNote(mark: StateMark, status: string | undefined, state: AslState | undefined): string {
  if (mark === "current") return state?.Resource?.endsWith(".waitForTaskToken") ? "← waiting here for a decision" : "← here now";
  if (mark !== "stopped") return "";
  const how: Record<string, string> = { FAILED: "failed", TIMED_OUT: "timed out", ABORTED: "aborted" };
  return `← ${how[status ?? ""] ?? "stopped"} here`;
}

function shorten(text: string): string {
  return text.length > LABEL_WIDTH ? `${text.slice(0, LABEL_WIDTH - 1)}…` : text;
}
