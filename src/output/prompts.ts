// The prompts this tool uses, re-exported statically so that the bundle keeps only these four of
// @inquirer/prompts' prompt types. Import this module with `await import()`: prompts load only
// when one is shown.
export { checkbox, confirm, input, select } from "@inquirer/prompts";
